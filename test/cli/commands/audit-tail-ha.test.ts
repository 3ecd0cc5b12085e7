// `audit tail` with one writer per checkpoint: the file lock, the Redis lease and its standby, the fleet in the CLI
// (--org repeated, --orgs-file), and an unreachable Redis. Redis cases: like test/http/limiter-redis.test.ts, skipped
// locally without SENTRY_RBAC_TEST_REDIS_URL, a failure in CI.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/program.js";
import { createEmulator, demoFixture, type Emulator } from "../../../src/testing/index.js";
import { createFakeIo, demoCli, runWith, type FakeIo } from "../helpers.js";

const REDIS_URL = process.env.SENTRY_RBAC_TEST_REDIS_URL;
const needsRedis = it.skipIf(!REDIS_URL && !process.env.CI);

async function until(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

/** Audit row ids printed on a run's stdout (alerts left out). */
function rowIds(io: FakeIo): string[] {
  return io
    .stdoutText()
    .split("\n")
    .filter((line) => line !== "" && !line.includes('"type":"alert"'))
    .map((line) => String((JSON.parse(line) as { id: string }).id));
}

/** Several emulated organizations behind one fetch, as Sentry serves them behind one URL. */
function twoOrgs(rows: number) {
  const emus: Record<string, Emulator> = Object.fromEntries(
    ["acme", "acme-labs"].map((slug, i) => [
      slug,
      createEmulator({ fixture: { ...demoFixture(), org: { slug } }, rateLimit: false, auditRows: rows + i * 7, seed: i + 1, baseUrl: "https://sentry.test" }),
    ]),
  );
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const emu = emus[/\/organizations\/([^/]+)\//.exec(url)?.[1] ?? ""];
    if (emu === undefined) return new Response('{"detail":"The requested resource does not exist"}', { status: 404 });
    return emu.fetch(url, { ...init, headers: { Authorization: `Bearer ${emu.adminToken}` } });
  };
  return { emus, env: { SENTRY_AUTH_TOKEN: "sntryu_fleetclitoken0000000000", SENTRY_URL: "https://sentry.test" }, fetch };
}

describe("sentry-rbac audit tail: one writer per checkpoint", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-tail-ha-"));
    dirs.push(dir);
    return dir;
  };

  it("exits 2 with a clear message when another process holds the file checkpoint's lock", async () => {
    const { options } = demoCli({ auditRows: 20 });
    const dir = await tempDir();
    const checkpoint = join(dir, "cp.json");
    // This very process is alive: its lock is not stale.
    await writeFile(`${checkpoint}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), since: "2026-03-01T12:00:00.000Z" }));
    const run = await runWith(["audit", "tail", "--since", "200d", "--checkpoint", checkpoint], options());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`error: checkpoint ${checkpoint} is in use by process ${process.pid} on ${hostname()}`);
    expect(run.stderr).toContain(`${checkpoint}.lock`);
  });

  it("says in one line, without a stack trace or the password, that Redis cannot be reached", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const { options } = demoCli({ auditRows: 5 });
    const run = await runWith(["audit", "tail", "--follow", "--checkpoint", `redis://:hunter2@127.0.0.1:${port}/0`], options());
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")[0]).toBe(`error: cannot reach Redis at redis://127.0.0.1:${port}/0: connection refused (ECONNREFUSED)`);
    expect(run.stderr).not.toMatch(/Unhandled error event|\n\s+at |hunter2/);
  });

  it("refuses several organizations without a Redis checkpoint, or a file sink they would share", async () => {
    const { env, fetch } = twoOrgs(5);
    const dir = await tempDir();
    const noRedis = await runWith(["audit", "tail", "--org", "acme", "--org", "acme-labs", "--follow"], { env, fetch });
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/several organizations.*redis:\/\//);
    const shared = await runWith(
      ["audit", "tail", "--org", "acme", "--org", "acme-labs", "--follow", "--checkpoint", "redis://127.0.0.1:1", "--sink", `file:${join(dir, "all.ndjson")}`],
      { env, fetch },
    );
    expect(shared.code).toBe(2);
    expect(shared.stderr).toContain("{org}");
    // Other commands still take one organization.
    const other = await runWith(["teams", "list", "--org", "acme", "--org", "acme-labs"], { env, fetch });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--org/);
  });

  needsRedis(
    "a second process waits as a standby, says so once, and takes over when the first stops: every row once",
    async () => {
      if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
      const { emu, options } = demoCli({ auditRows: 40 });
      const live = emu.liveAudit({ ratePerSecond: 1, maxRows: 0 });
      const checkpoint = `${REDIS_URL}?prefix=sentry-rbac-test-${randomUUID()}`;
      const argv = ["audit", "tail", "--follow", "--since", "200d", "--checkpoint", checkpoint, "--interval", "50ms", "--lease", "600ms", "--lookback", "1s"];
      const a = createFakeIo(options());
      const runningA = runCli(argv, a);
      expect(await until(() => rowIds(a).length === 40, 10_000)).toBe(true);
      const b = createFakeIo(options());
      const runningB = runCli(argv, b);
      expect(await until(() => b.stderrText().includes("standby"), 10_000)).toBe(true);
      live.burst(5);
      expect(await until(() => rowIds(a).length === 45, 10_000)).toBe(true);
      // Several lease rounds later B has still printed nothing, and said "standby" once.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(b.stdoutText()).toBe("");
      expect(b.stderrText().match(/standby/g)).toHaveLength(1);
      expect(b.stderrText()).toMatch(/standby for acme: another process holds its lease; taking over within 600 ms of it stopping/);
      a.shutdown();
      expect(await runningA).toBe(0);
      live.burst(7);
      expect(await until(() => b.stderrText().includes("took over acme"), 10_000)).toBe(true);
      expect(await until(() => rowIds(b).length === 7, 10_000)).toBe(true);
      b.shutdown();
      expect(await runningB).toBe(0);
      const union = [...rowIds(a), ...rowIds(b)];
      expect(new Set(union).size).toBe(union.length);
      expect(union.sort()).toEqual(emu.state.auditLog.map((e) => String(e.id)).sort());
    },
    40_000,
  );

  needsRedis(
    "follows several organizations as a fleet: --org repeated, or --orgs-file",
    async () => {
      if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
      const { emus, env, fetch } = twoOrgs(30);
      const dir = await tempDir();
      await writeFile(join(dir, "orgs.txt"), "# organizations\nacme\n\nacme-labs\n");
      for (const orgArgs of [
        ["--org", "acme", "--org", "acme-labs"],
        ["--orgs-file", join(dir, "orgs.txt")],
      ]) {
        const out = join(dir, randomUUID());
        const checkpoint = `${REDIS_URL}?prefix=sentry-rbac-test-${randomUUID()}`;
        const io = createFakeIo({ env, fetch, files: { [join(dir, "orgs.txt")]: await readFile(join(dir, "orgs.txt"), "utf8") } });
        const running = runCli(
          [
            "audit",
            "tail",
            ...orgArgs,
            "--follow",
            "--since",
            "200d",
            "--checkpoint",
            checkpoint,
            "--interval",
            "50ms",
            "--lease",
            "1s",
            "--sink",
            `file:${out}-{org}.ndjson`,
          ],
          io,
        );
        const ids = async (org: string) =>
          (await readFile(`${out}-${org}.ndjson`, "utf8").catch(() => ""))
            .split("\n")
            .filter((l) => l !== "" && !l.includes('"type":"alert"'))
            .map((l) => String((JSON.parse(l) as { id: string }).id));
        expect(await until(async () => (await ids("acme")).length === 30 && (await ids("acme-labs")).length === 37, 15_000)).toBe(true);
        io.shutdown();
        expect(await running).toBe(0);
        for (const [org, emu] of Object.entries(emus)) expect((await ids(org)).sort()).toEqual(emu.state.auditLog.map((e) => String(e.id)).sort());
        expect(io.stderrText()).toMatch(/Delivered 30 audit row\(s\) .* for acme;/);
        expect(io.stderrText()).toMatch(/Delivered 37 audit row\(s\) .* for acme-labs;/);
      }
    },
    40_000,
  );
});
