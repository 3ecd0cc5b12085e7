/**
 * Exports that lose nothing across a crash: a child process is killed with SIGKILL (kill -9) at the moment a
 * checkpoint is reported, and an export resumed from that checkpoint, or from any earlier one it reported, gives
 * byte for byte the file an uninterrupted export gives.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSentryClient } from "../../../../src/client.js";
import { exportAuditLog, type AuditExportFormat } from "../../../../src/recipes/audit/export/export.js";
import { createEmulator } from "../../../../src/testing/index.js";

const CHILD = fileURLToPath(new URL("./export-child.ts", import.meta.url));
const NOW = Date.parse("2026-03-01T12:00:00Z");
const PER_PAGE = 25;
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-crash-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the child until it kills itself; returns the checkpoints it reported and how it ended. */
function crashAt(path: string, format: AuditExportFormat, killAt: number): Promise<{ cursors: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, path, format, String(PER_PAGE), String(killAt)], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") return reject(new Error(`child ended with ${code ?? signal}: ${err}`));
      const cursors = out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => (JSON.parse(l) as { cursor: string }).cursor);
      resolve({ cursors, signal });
    });
  });
}

function client() {
  const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => NOW, auditRows: 600, baseUrl: "https://sentry.test" });
  return createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: "https://sentry.test", fetch: emu.fetch, rateLimit: false });
}

async function cleanExport(format: AuditExportFormat): Promise<string> {
  const path = join(dir, `clean.${format}`);
  const sentry = client();
  await exportAuditLog(sentry, { format, to: path, perPage: PER_PAGE, now: new Date(NOW), overwrite: true });
  await sentry.close();
  return readFile(path, "utf8");
}

describe.each(["json", "ndjson", "csv"] as const)("%s export killed with SIGKILL", (format) => {
  it("resumed from the checkpoint reported at the kill, or from two pages before it, equals an uninterrupted export", async () => {
    const clean = await cleanExport(format);
    const path = join(dir, `crash.${format}`);
    const { cursors } = await crashAt(path, format, 5);
    expect(cursors).toHaveLength(5);
    for (const from of [cursors[4]!, cursors[2]!, cursors[4]!]) {
      const sentry = client();
      await exportAuditLog(sentry, { format, to: path, perPage: PER_PAGE, now: new Date(NOW), cursor: from });
      await sentry.close();
      const text = await readFile(path, "utf8");
      // Resuming the finished file again from an old checkpoint is exact too (no duplicate, nothing lost).
      expect(text).toBe(clean);
    }
    if (format === "json") expect((JSON.parse(clean) as unknown[]).length).toBeGreaterThan(5 * PER_PAGE);
  }, 60_000);
});
