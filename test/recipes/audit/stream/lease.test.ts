// One writer per checkpoint in the SDK: a file checkpoint is locked (<path>.lock, stale locks of dead processes taken
// over), a Redis checkpoint is fenced by the organization's lease, and an unreachable Redis is one clear error.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createSentryClient } from "../../../../src/client.js";
import {
  AuditCheckpointBusyError,
  AuditRedisUnavailableError,
  connectAuditRedis,
  lockFileCheckpoint,
  tailAuditLog,
} from "../../../../src/recipes/audit/stream/index.js";
import { createEmulator } from "../../../../src/testing/index.js";

const REDIS_URL = process.env.SENTRY_RBAC_TEST_REDIS_URL;

function client(rows = 30) {
  const emu = createEmulator({ fixture: "demo", rateLimit: false, auditRows: rows });
  return { emu, sentry: createSentryClient({ org: emu.org, token: emu.adminToken, baseUrl: emu.baseUrl, fetch: emu.fetch, rateLimit: false, retry: false }) };
}

const collect = () => {
  const records: unknown[] = [];
  return {
    records,
    sink: {
      write: async (r: readonly unknown[]) => {
        records.push(...r);
      },
      close: async () => {},
    },
  };
};

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("audit stream: one writer per checkpoint", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-lease-"));
    dirs.push(dir);
    return dir;
  };

  it("locks a file checkpoint: a second tail on the same file is refused while the first runs, and the lock goes with it", async () => {
    const { sentry } = client();
    const dir = await tempDir();
    const checkpoint = join(dir, "cp.json");
    const since = new Date(Date.now() - 200 * 86_400_000);
    const release = await lockFileCheckpoint(checkpoint);
    const held = JSON.parse(await readFile(`${checkpoint}.lock`, "utf8")) as { pid: number; host: string };
    expect(held).toMatchObject({ pid: process.pid, host: hostname() });
    const { sink, records } = collect();
    const refused = await tailAuditLog(sentry, { since, checkpoint, sink, rules: false }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuditCheckpointBusyError);
    expect((refused as Error).message).toContain(`process ${process.pid}`);
    expect((refused as Error).message).toContain(`${checkpoint}.lock`);
    expect(records).toHaveLength(0);
    await release();
    await expect(stat(`${checkpoint}.lock`)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await tailAuditLog(sentry, { since, checkpoint, sink, rules: false })).rows).toBe(30);
    // Released after the run: the lock file is gone.
    await expect(stat(`${checkpoint}.lock`)).rejects.toMatchObject({ code: "ENOENT" });
    await sentry.close();
  });

  it("takes over the lock of a process that died without removing it (kill -9)", async () => {
    const { sentry } = client();
    const dir = await tempDir();
    const checkpoint = join(dir, "cp.json");
    // A pid that surely does not run any more: a child that has exited.
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid;
    await writeFile(`${checkpoint}.lock`, JSON.stringify({ pid: dead, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
    const { sink } = collect();
    expect((await tailAuditLog(sentry, { since: new Date(Date.now() - 200 * 86_400_000), checkpoint, sink, rules: false })).rows).toBe(30);
    await expect(stat(`${checkpoint}.lock`)).rejects.toMatchObject({ code: "ENOENT" });
    // Another host's lock is never guessed stale.
    await writeFile(`${checkpoint}.lock`, JSON.stringify({ pid: dead, host: "some-other-host", since: "2026-01-01T00:00:00.000Z" }));
    await expect(lockFileCheckpoint(checkpoint)).rejects.toBeInstanceOf(AuditCheckpointBusyError);
    await sentry.close();
  });

  it("names the Redis URL (without its password) and the cause when Redis is unreachable", async () => {
    const port = await closedPort();
    const error = await connectAuditRedis(`redis://:hunter2@127.0.0.1:${port}/0`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditRedisUnavailableError);
    expect((error as Error).message).toBe(`cannot reach Redis at redis://127.0.0.1:${port}/0: connection refused (ECONNREFUSED)`);
    expect((error as Error).message).not.toContain("hunter2");
  });

  it.skipIf(!REDIS_URL && !process.env.CI)("refuses a one-shot tail on a Redis checkpoint whose lease another process holds", async () => {
    if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
    const { emu, sentry } = client();
    const prefix = `sentry-rbac-test-${randomUUID()}`;
    const redis = new Redis(REDIS_URL);
    const { sink, records } = collect();
    const checkpoint = `${REDIS_URL}?prefix=${prefix}`;
    const since = new Date(Date.now() - 200 * 86_400_000);
    try {
      await redis.set(`${prefix}:${emu.org}:lease`, "other-worker", "PX", 60_000);
      const refused = await tailAuditLog(sentry, { since, checkpoint, sink, rules: false }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AuditCheckpointBusyError);
      expect(records).toHaveLength(0);
      await redis.del(`${prefix}:${emu.org}:lease`);
      expect((await tailAuditLog(sentry, { since, checkpoint, sink, rules: false })).rows).toBe(30);
      // The lease is released after the run, the checkpoint stays.
      expect(await redis.get(`${prefix}:${emu.org}:lease`)).toBeNull();
      expect(await redis.exists(`${prefix}:${emu.org}:checkpoint`)).toBe(1);
    } finally {
      await redis.quit();
      await sentry.close();
    }
  });
});
