// Acceptance: a follow of 20,000 rows while the emulator keeps writing (equal timestamps, late commits), killed with
// SIGKILL at seeded random points and restarted: at the file sink, 0 rows lost and 0 duplicated.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../../../src/testing/index.js";
import { createRandom } from "../../../../src/testing/random.js";

const CHILD = fileURLToPath(new URL("./kill-child.ts", import.meta.url));
const TOTAL = 20_000;

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["pipe", "ignore", "pipe"] });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** Complete lines in the sink (cheap: the parent also serves the emulator, so it must not stall on parsing). */
async function linesIn(path: string): Promise<number> {
  const data = await readFile(path).catch(() => Buffer.alloc(0));
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

async function idsIn(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line.endsWith("}"))
    .map((line) => (JSON.parse(line) as { metadata: { uid: string } }).metadata.uid);
}

describe("audit stream under kill -9", () => {
  it("loses and repeats nothing across SIGKILLs while the emulator keeps writing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-kill-"));
    let t = Date.parse("2026-03-01T12:00:00Z");
    const emu = createEmulator({ fixture: "demo", rateLimit: false, auditRows: 0, now: () => t });
    const live = emu.liveAudit({ ratePerSecond: 200, maxRows: TOTAL, sameTimestamp: 5, lateFraction: 0.02, lateByMs: 1_000, seed: 12 });
    const server = await emu.listen();
    // The emulator's clock runs about 8x faster than real time: the 20,000 rows are written over ~12 s, during the kills.
    const ticker = setInterval(() => {
      t += 80;
    }, 10);
    const sink = join(dir, "audit.ndjson");
    const args = [server.url, emu.adminToken, emu.org, sink, join(dir, "checkpoint.json"), new Date(t - 60_000).toISOString()];
    const random = createRandom(2026);
    let kills = 0;
    let child: ChildProcess | undefined;
    try {
      for (; kills < 5; kills++) {
        child = start(args);
        await new Promise((resolve) => setTimeout(resolve, 700 + random.int(900)));
        await stop(child);
      }
      const killedAt = Date.now();
      child = start(args);
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        live.catchUp();
        if (live.written === TOTAL && (await linesIn(sink)) >= TOTAL) break;
      }
      await stop(child);
      const ids = await idsIn(sink);
      const expected = emu.state.auditLog.map((e) => e.id);
      const unique = new Set(ids);
      const lost = expected.filter((id) => !unique.has(id)).length;
      const duplicated = ids.length - unique.size;
      console.log(
        `audit stream kill test: ${kills} SIGKILLs, ${expected.length} rows written, ${ids.length} delivered, ${lost} lost, ${duplicated} duplicated; last run caught up in ${Date.now() - killedAt} ms`,
      );
      expect(expected.length).toBe(TOTAL);
      expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
      expect(ids.length).toBe(TOTAL);
    } finally {
      clearInterval(ticker);
      if (child) await stop(child);
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
