import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { resolveConfig, systemClock, type ResolvedRateLimit } from "../../../src/config.js";
import { isLimiterUnavailableError, isRateLimitError, type RateLimitError } from "../../../src/http/errors/errors.js";
import { createRateLimiter } from "../../../src/http/limits/create-limiter.js";
import { createTransport } from "../../../src/http/send/transport.js";
import { createEmulator } from "../../../src/testing/index.js";

const REDIS_URL = process.env.SENTRY_RBAC_TEST_REDIS_URL;
const CHILD = fileURLToPath(new URL("./redis-child.ts", import.meta.url));
const BUDGET_CHILD = fileURLToPath(new URL("./redis-budget-child.ts", import.meta.url));
const KEY = "GET /api/0/organizations/{organization_id_or_slug}/teams/";
const TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";

function runNode(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}
const runChild = async (url: string, keyPrefix: string, jobs: number, graceMs: number) => {
  const lines = (await runNode(CHILD, [url, keyPrefix, String(jobs), String(graceMs)])).split("\n");
  // The probe (another endpoint) proves the process reached Redis, so "0 ran" means "no budget", not "too slow".
  expect(lines).toContain("probe");
  return lines.filter((l) => l === "ran").length;
};

const sockets: Socket[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A TCP server that accepts connections and never answers: a Redis that hangs. */
async function blackhole(): Promise<string> {
  const server = createServer((socket) => {
    sockets.push(socket);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `redis://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
/** A port nothing listens on. */
async function refused(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `redis://127.0.0.1:${port}`;
}

function settings(url: string, onUnavailable: "local" | "fail"): ResolvedRateLimit {
  return {
    requestsPerSecond: 10,
    burst: 10,
    maxConcurrent: 10,
    maxConcurrentIsExplicit: false,
    redis: { url, keyPrefix: `t-${randomUUID()}`, connectTimeoutMs: 200, onUnavailable },
  };
}

describe("an unreachable Redis never hangs a call", () => {
  it.each([
    ["hangs", blackhole],
    ["refuses connections", refused],
  ] as const)(
    "falls back to the in-process limiter with one warning when Redis %s",
    async (_what, make) => {
      const warnings: string[] = [];
      const limiter = createRateLimiter(settings(await make(), "local"), {
        clock: systemClock,
        log: (level, m) => {
          if (level === "warn") warnings.push(m);
        },
      });
      const results = await Promise.all([1, 2, 3].map((i) => limiter.schedule(KEY, async () => i)));
      expect(results).toEqual([1, 2, 3]);
      expect(await limiter.schedule(KEY, async () => "later")).toBe("later");
      expect(warnings.filter((w) => /unavailable/.test(w))).toHaveLength(1);
      await limiter.close();
    },
    15_000,
  );

  it("fails with a typed error when told to, and close() returns", async () => {
    const limiter = createRateLimiter(settings(await blackhole(), "fail"), { clock: systemClock });
    const error = await limiter.schedule(KEY, async () => "never").catch((e: unknown) => e);
    expect(isLimiterUnavailableError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Redis/);
    await limiter.close();
  }, 15_000);

  it("an abort or close() during the connection attempt returns at once", async () => {
    const limiter = createRateLimiter(
      { ...settings(await blackhole(), "fail"), redis: { url: await blackhole(), keyPrefix: "t", connectTimeoutMs: 600_000, onUnavailable: "fail" } },
      { clock: systemClock },
    );
    const controller = new AbortController();
    const aborted = limiter.schedule(KEY, async () => "never", controller.signal);
    const closed = limiter.schedule(KEY, async () => "never");
    setTimeout(() => controller.abort(new Error("caller stopped")), 20);
    await expect(aborted).rejects.toThrow("caller stopped");
    await limiter.close();
    await expect(closed).rejects.toThrow(/closed/);
  }, 15_000);

  it("a client whose redis is down still answers, within timeoutMs, and closes", async () => {
    const emu = createEmulator({ fixture: "demo" });
    const warnings: string[] = [];
    const transport = createTransport(
      resolveConfig(
        {
          token: emu.adminToken,
          org: "acme",
          baseUrl: emu.baseUrl,
          fetch: emu.fetch,
          timeoutMs: 5_000,
          rateLimit: { redis: { url: await blackhole(), connectTimeoutMs: 200 } },
          logger: { warn: (m) => warnings.push(m) },
        },
        {},
      ),
    );
    const { response } = await transport.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
      params: { path: { organization_id_or_slug: "acme" } },
    });
    expect(response.status).toBe(200);
    expect(warnings.join("\n")).toMatch(/in-process limiter/);
    await transport.close();
  }, 15_000);
});

describe("Redis-shared budget", () => {
  // Locally the test needs a redis-server; in CI a missing URL is a failure, not a skip.
  it.skipIf(!REDIS_URL && !process.env.CI)(
    "two processes share one endpoint budget through Redis",
    async () => {
      if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
      const keyPrefix = `sentry-rbac-test-${randomUUID()}`;
      // Burst 5 per window of 5000 s: the first process spends the whole window...
      expect(await runChild(REDIS_URL, keyPrefix, 5, 500)).toBe(5);
      // ...so two more processes, each of which alone would run 5 jobs, get none (their probe on another endpoint runs).
      const [b, c] = await Promise.all([runChild(REDIS_URL, keyPrefix, 5, 1500), runChild(REDIS_URL, keyPrefix, 5, 1500)]);
      expect(b + c).toBe(0);
      // A fresh prefix is a fresh budget: the same child runs all 5 there.
      expect(await runChild(REDIS_URL, `${keyPrefix}-other`, 5, 500)).toBe(5);
    },
    60_000,
  );

  it.skipIf(!REDIS_URL && !process.env.CI)(
    "a shared pause longer than a caller's budget fails that caller at once with RateLimitError naming resumesAt",
    async () => {
      if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
      const keyPrefix = `sentry-rbac-test-${randomUUID()}`;
      // Two clients on one Redis budget, as two processes would be: the first meets a 429 asking for ten minutes.
      const sent = [0, 0];
      const client = (i: number, budgetMs: number) =>
        createTransport(
          resolveConfig(
            {
              token: TOKEN,
              org: "acme",
              baseUrl: "https://sentry.example.com",
              maxPauseMs: 3_600_000,
              timeoutMs: 2_000,
              retry: { budgetMs, retries: 1, minDelayMs: 0, maxDelayMs: 0 },
              rateLimit: { redis: { url: REDIS_URL, keyPrefix } },
              fetch: async () => {
                sent[i]! += 1;
                return new Response('"limited"', { status: 429, headers: { "content-type": "application/json", "retry-after": "600" } });
              },
            },
            {},
          ),
        );
      const first = client(0, 5_000);
      const second = client(1, 5_000);
      try {
        const before = Date.now();
        await expect(
          first.api.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: { organization_id_or_slug: "acme" } } }),
        ).rejects.toSatisfy(isRateLimitError);
        // The pause reaches Redis after the answer; wait for it rather than race it.
        const redis = new Redis(REDIS_URL);
        try {
          for (let i = 0; i < 50 && (await redis.keys(`${keyPrefix}:pause:*`)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        } finally {
          redis.disconnect();
        }
        const error = await second.api
          .GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: { organization_id_or_slug: "acme" } } })
          .catch((e: unknown) => e);
        expect(isRateLimitError(error)).toBe(true);
        const resumesAt = (error as RateLimitError).resumesAt?.getTime() ?? 0;
        // Redis's own clock sets the pause: about ten minutes from now (generous bounds, not a timing assertion).
        expect(resumesAt).toBeGreaterThan(before + 500_000);
        expect(resumesAt).toBeLessThan(Date.now() + 700_000);
        expect(sent).toEqual([1, 0]);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    },
    30_000,
  );

  it.skipIf(!REDIS_URL && !process.env.CI)(
    "three processes x 300 calls against a 40/s window get no 429",
    async () => {
      if (!REDIS_URL) throw new Error("SENTRY_RBAC_TEST_REDIS_URL is not set: CI must provide a redis-server for this test");
      const emu = createEmulator({ fixture: "demo", rateLimit: { limit: 40, windowMs: 1000, concurrent: 25 } });
      const server = await emu.listen({ port: 0, host: "127.0.0.1" });
      try {
        const keyPrefix = `sentry-rbac-test-${randomUUID()}`;
        const outputs = await Promise.all([0, 1, 2].map(() => runNode(BUDGET_CHILD, [server.url, REDIS_URL, keyPrefix, "300", emu.adminToken])));
        const limited = outputs.map((o) => (JSON.parse(o.trim().split("\n").pop()!) as { limited: number }).limited);
        expect(limited).toEqual([0, 0, 0]);
      } finally {
        await server.close();
      }
    },
    240_000,
  );
});
