// Fleet acceptance against a real redis-server: two workers, two organizations; one worker emits per organization;
// SIGKILL it and the other takes over within the lease's lifetime; 0 rows lost, 0 duplicated per organization.
// Like test/http/limits/limiter-redis.test.ts: locally skipped without SENTRY_RBAC_TEST_REDIS_URL, a failure in CI.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createSentryClient } from "../../../../src/client.js";
import { followAuditFleet, tailAuditLog } from "../../../../src/recipes/audit/stream/index.js";
import { createEmulator, demoFixture, type Emulator } from "../../../../src/testing/index.js";

const REDIS_URL = process.env.SENTRY_RBAC_TEST_REDIS_URL;
const CHILD = fileURLToPath(new URL("./fleet-child.ts", import.meta.url));
const ORGS = ["acme", "acme-labs"];
const ROWS = 1_500;

/** One server for both emulators: routes /organizations/<slug>/ to that org's emulator with its admin token. */
async function proxy(emus: Record<string, Emulator>) {
  const server = createServer((req, res) => {
    const slug = /\/organizations\/([^/]+)\//.exec(req.url ?? "")?.[1] ?? "";
    const emu = emus[slug];
    if (!emu) return res.writeHead(404).end('{"detail":"The requested resource does not exist"}');
    void emu.fetch(`${emu.baseUrl}${req.url ?? "/"}`, { headers: { Authorization: `Bearer ${emu.adminToken}` } }).then(async (answer) => {
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function worker(args: string[]): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  return { child, out: () => out };
}

async function until(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

async function idsIn(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => String((JSON.parse(line) as { id: string }).id));
}

describe("audit stream fleet", () => {
  it.skipIf(!REDIS_URL && !process.env.CI)(
    "one worker per organization; a SIGKILLed worker's organizations are taken over, 0 lost, 0 duplicated",
    async () => {
      if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
      let t = Date.parse("2026-03-01T12:00:00Z");
      const emus = Object.fromEntries(
        ORGS.map((slug, i) => {
          const emu = createEmulator({
            fixture: { ...demoFixture(), org: { slug } },
            rateLimit: false,
            auditRows: 0,
            now: () => t,
            seed: i + 1,
            baseUrl: `https://${slug}.sentry.test`,
          });
          emu.liveAudit({ ratePerSecond: 100, maxRows: ROWS, sameTimestamp: 3, lateFraction: 0.02, lateByMs: 1_000, seed: i + 7 });
          return [slug, emu];
        }),
      );
      const server = await proxy(emus);
      const ticker = setInterval(() => {
        t += 40;
      }, 10);
      const dir = await mkdtemp(join(tmpdir(), "audit-fleet-"));
      const prefix = `sentry-rbac-test-${randomUUID()}`;
      const since = new Date(t - 60_000).toISOString();
      const args = (id: string) => [server.origin, REDIS_URL, prefix, ORGS.join(","), dir, id, since];
      const a = worker(args("worker-a"));
      let b: ReturnType<typeof worker> | undefined;
      try {
        expect(await until(() => ORGS.every((org) => a.out().includes(`acquired ${org}`)), 20_000)).toBe(true);
        // Worker A emits for both organizations.
        expect(await until(async () => (await Promise.all(ORGS.map((org) => idsIn(join(dir, `${org}.ndjson`))))).every((ids) => ids.length > 0), 20_000)).toBe(
          true,
        );
        b = worker(args("worker-b"));
        // B tries every round and finds both leases held: it emits nothing while A lives.
        const rounds = (org: string) => (b?.out().match(new RegExp(`held-elsewhere ${org}\n`, "g")) ?? []).length;
        expect(await until(() => ORGS.every((org) => rounds(org) >= 3), 20_000)).toBe(true);
        expect(b.out()).not.toContain("acquired");
        const killedAt = Date.now();
        a.child.kill("SIGKILL");
        expect(await until(() => ORGS.every((org) => b?.out().includes(`acquired ${org}`)), 15_000)).toBe(true);
        const takeoverMs = Date.now() - killedAt;
        // Within the lease's lifetime (1.5 s) plus one acquire round (0.5 s), with slack for a loaded machine.
        expect(takeoverMs).toBeLessThan(8_000);
        await until(async () => (await Promise.all(ORGS.map((org) => idsIn(join(dir, `${org}.ndjson`))))).every((ids) => ids.length >= ROWS), 30_000);
        for (const org of ORGS) {
          const ids = await idsIn(join(dir, `${org}.ndjson`));
          const expected = (emus[org] as Emulator).state.auditLog.map((e) => e.id);
          const unique = new Set(ids);
          const lost = expected.filter((id) => !unique.has(id)).length;
          console.log(
            `fleet ${org}: ${expected.length} rows, ${ids.length} delivered, ${lost} lost, ${ids.length - unique.size} duplicated; takeover ${takeoverMs} ms`,
          );
          expect({ org, lost, duplicated: ids.length - unique.size }).toEqual({ org, lost: 0, duplicated: 0 });
        }
      } finally {
        clearInterval(ticker);
        a.child.kill("SIGKILL");
        b?.child.kill("SIGKILL");
        await server.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );

  it.skipIf(!REDIS_URL && !process.env.CI)(
    "releases its leases when stopped and keeps the checkpoint in Redis",
    async () => {
      if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
      const emu = createEmulator({ fixture: "demo", rateLimit: false, auditRows: 50 });
      const sentry = createSentryClient({ org: emu.org, token: emu.adminToken, baseUrl: emu.baseUrl, fetch: emu.fetch, rateLimit: false, retry: false });
      const redis = new Redis(REDIS_URL);
      const prefix = `sentry-rbac-test-${randomUUID()}`;
      const controller = new AbortController();
      const records: unknown[] = [];
      try {
        const run = followAuditFleet(sentry, {
          orgs: [emu.org],
          redis,
          prefix,
          leaseMs: 600,
          since: new Date(Date.now() - 200 * 86_400_000),
          rules: false,
          signal: controller.signal,
          sinkFor: () => ({
            write: async (r: readonly unknown[]) => {
              records.push(...r);
            },
            close: async () => {},
          }),
        });
        expect(await until(() => records.length === 50, 10_000)).toBe(true);
        expect(await redis.get(`${prefix}:${emu.org}:lease`)).not.toBeNull();
        controller.abort();
        const report = await run;
        expect(report.orgs[emu.org]).toMatchObject({ rows: 50 });
        expect(await redis.get(`${prefix}:${emu.org}:lease`)).toBeNull();
        expect(JSON.parse(String(await redis.get(`${prefix}:${emu.org}:checkpoint`)))).toMatchObject({ v: 1, org: emu.org });
      } finally {
        await redis.quit();
        await sentry.close();
      }
    },
    30_000,
  );

  it.skipIf(!REDIS_URL && !process.env.CI)("keeps a single follower's checkpoint at a redis:// URL", async () => {
    if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
    const emu = createEmulator({ fixture: "demo", rateLimit: false, auditRows: 80 });
    const sentry = createSentryClient({ org: emu.org, token: emu.adminToken, baseUrl: emu.baseUrl, fetch: emu.fetch, rateLimit: false, retry: false });
    const prefix = `sentry-rbac-test-${randomUUID()}`;
    const checkpoint = `${REDIS_URL}?prefix=${prefix}`;
    const records: unknown[] = [];
    const sink = {
      write: async (r: readonly unknown[]) => {
        records.push(...r);
      },
      close: async () => {},
    };
    const since = new Date(Date.now() - 200 * 86_400_000);
    try {
      expect((await tailAuditLog(sentry, { since, checkpoint, sink, rules: false })).rows).toBe(80);
      expect((await tailAuditLog(sentry, { since, checkpoint, sink, rules: false })).rows).toBe(0);
      expect(records).toHaveLength(80);
      const redis = new Redis(REDIS_URL);
      expect(await redis.exists(`${prefix}:${emu.org}:checkpoint`)).toBe(1);
      await redis.quit();
    } finally {
      await sentry.close();
    }
  });
});
