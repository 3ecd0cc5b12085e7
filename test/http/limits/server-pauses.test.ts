import { describe, expect, it } from "vitest";
import { resolveConfig, type SentryClientOptions } from "../../../src/config.js";
import type { ResolvedRateLimit } from "../../../src/config.js";
import { LocalRateLimiter } from "../../../src/http/limits/limiter.js";
import { parseRateLimitHeaders } from "../../../src/http/limits/rate-limit-headers.js";
import { serverDelayMs } from "../../../src/http/limits/retry.js";
import { isRateLimitError, type RateLimitError } from "../../../src/http/errors/errors.js";
import { createTransport } from "../../../src/http/send/transport.js";
import { fakeClock, settle } from "../fake-clock.js";

const T0 = 1_700_000_000_000;
const TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const TEAMS = "/api/0/organizations/{organization_id_or_slug}/teams/" as const;
const org = { params: { path: { organization_id_or_slug: "acme" } } };
const KEY = "GET /api/0/organizations/{organization_id_or_slug}/teams/";
const TEN_YEARS_S = "315360000";

const settings: ResolvedRateLimit = { requestsPerSecond: 10, burst: 10, maxConcurrent: 10, maxConcurrentIsExplicit: false, redis: undefined };

function transportWith(answer: (n: number) => Response, options: SentryClientOptions) {
  let n = 0;
  const fetch = async () => answer(++n);
  const transport = createTransport(resolveConfig({ token: TOKEN, org: "acme", fetch, ...options }, {}));
  return { transport, calls: () => n };
}
const limited = (headers: Record<string, string>) =>
  new Response(JSON.stringify("limited"), { status: 429, headers: { "content-type": "application/json", ...headers } });
const ok = (headers: Record<string, string> = {}) => new Response("[]", { status: 200, headers: { "content-type": "application/json", ...headers } });

describe("server-directed waits are capped by maxPauseMs", () => {
  it("reads a hostile Retry-After as at most the cap (default 60 s)", () => {
    expect(serverDelayMs(new Headers({ "retry-after": TEN_YEARS_S }), T0)).toBe(60_000);
    expect(serverDelayMs(new Headers({ "retry-after": TEN_YEARS_S }), T0, true, 5_000)).toBe(5_000);
    expect(serverDelayMs(new Headers({ "x-sentry-rate-limit-reset": String(T0 / 1000 + 10 * 365 * 86400) }), T0)).toBe(60_000);
    expect(resolveConfig({ token: TOKEN }, {}).maxPauseMs).toBe(60_000);
    expect(() => resolveConfig({ token: TOKEN, maxPauseMs: -1 }, {})).toThrow(/maxPauseMs/);
  });

  it("computes X-Sentry-Rate-Limit-Reset against the response's Date when the clocks disagree", () => {
    const serverNow = T0 + 3_600_000; // the server's clock is an hour ahead of ours
    const h = new Headers({ date: new Date(serverNow).toUTCString(), "x-sentry-rate-limit-reset": String(serverNow / 1000 + 2) });
    expect(serverDelayMs(h, T0)).toBe(2_000);
    expect(parseRateLimitHeaders(h, T0)?.resetAtMs).toBe(T0 + 2_000);
    const behind = new Headers({ date: new Date(T0 - 3_600_000).toUTCString(), "retry-after": new Date(T0 - 3_600_000 + 3_000).toUTCString() });
    expect(serverDelayMs(behind, T0)).toBe(3_000);
  });

  it("a 429 with Retry-After of ten years sleeps at most the cap before retrying", async () => {
    const clock = fakeClock(T0);
    const { transport, calls } = transportWith((n) => (n === 1 ? limited({ "retry-after": TEN_YEARS_S }) : ok()), { clock, maxPauseMs: 60_000 });
    const pending = transport.api.GET(TEAMS, org);
    await clock.advance(60_000);
    await expect(pending).resolves.toMatchObject({ data: [] });
    expect(calls()).toBe(2);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(60_000);
    await transport.close();
  });

  it("a later call waits at most the cap when a hostile 429 paused its endpoint (retries off)", async () => {
    const clock = fakeClock(T0);
    const { transport, calls } = transportWith((n) => (n === 1 ? limited({ "retry-after": TEN_YEARS_S }) : ok()), { clock, retry: false, maxPauseMs: 10_000 });
    await transport.api.GET(TEAMS, org).catch(() => undefined);
    let done = false;
    const later = transport.api.GET(TEAMS, org).then(() => {
      done = true;
    });
    await clock.advance(9_999);
    expect(done).toBe(false);
    await clock.advance(1);
    await later;
    expect(calls()).toBe(2);
    await transport.close();
  });

  it("Remaining 0 with a Reset years away stops the bucket for at most the cap", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings, { clock, maxPauseMs: 5_000 });
    await limiter.schedule(KEY, async () => undefined);
    limiter.observe(KEY, {
      status: 200,
      headers: new Headers({
        "x-sentry-rate-limit-limit": "40",
        "x-sentry-rate-limit-remaining": "0",
        "x-sentry-rate-limit-reset": String(T0 / 1000 + 10 * 365 * 86400),
      }),
    });
    let started = 0;
    const next = limiter.schedule(KEY, async () => {
      started = clock.now();
    });
    await settle();
    await clock.advance(5_000);
    await next;
    expect(started).toBe(T0 + 5_000);
  });

  it("a skewed client clock does not stop a bucket for the skew", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings, { clock });
    await limiter.schedule(KEY, async () => undefined);
    const serverNow = T0 + 3_600_000;
    limiter.observe(KEY, {
      status: 200,
      headers: new Headers({
        date: new Date(serverNow).toUTCString(),
        "x-sentry-rate-limit-limit": "40",
        "x-sentry-rate-limit-remaining": "0",
        "x-sentry-rate-limit-reset": String(serverNow / 1000 + 1),
      }),
    });
    let started = 0;
    const next = limiter.schedule(KEY, async () => {
      started = clock.now();
    });
    await clock.advance(1_000);
    await next;
    expect(started).toBe(T0 + 1_000);
  });

  it("a wait in a paused endpoint yields to the caller's signal", async () => {
    const clock = fakeClock(T0);
    const { transport } = transportWith(() => limited({ "retry-after": TEN_YEARS_S }), { clock, retry: false });
    await transport.api.GET(TEAMS, org).catch(() => undefined);
    const pending = transport.api.GET(TEAMS, { ...org, signal: AbortSignal.abort(new Error("deadline passed")) });
    await expect(pending).rejects.toThrow("deadline passed");
    await transport.close();
  });
});

/** The outcome of `promise` once pending work has settled, without moving the clock: undefined if still pending. */
async function outcomeNow(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown } | undefined> {
  let outcome: { value?: unknown; error?: unknown } | undefined;
  promise.then(
    (value) => {
      outcome = { value };
    },
    (error: unknown) => {
      outcome = { error };
    },
  );
  await settle();
  return outcome;
}

describe("a wait is bounded by the caller's budget, not only by maxPauseMs", () => {
  it("a 429 paused the endpoint past the retry budget: this call and the next fail at once with RateLimitError naming resumesAt", async () => {
    const clock = fakeClock(T0);
    const { transport, calls } = transportWith((n) => (n === 1 ? limited({ "retry-after": TEN_YEARS_S }) : ok()), {
      clock,
      timeoutMs: 2_000,
      retry: { budgetMs: 5_000 },
    });
    const first = await outcomeNow(transport.api.GET(TEAMS, org));
    expect(isRateLimitError(first?.error)).toBe(true);
    expect((first?.error as RateLimitError).resumesAt?.getTime()).toBe(T0 + 60_000);
    const next = await outcomeNow(transport.api.GET(TEAMS, org));
    expect(next, "the next call must not be parked for the pause").toBeDefined();
    expect(isRateLimitError(next?.error)).toBe(true);
    expect(next?.error).toMatchObject({ status: 429, method: "GET", path: TEAMS });
    expect((next?.error as RateLimitError).resumesAt?.getTime()).toBe(T0 + 60_000);
    expect((next?.error as Error).message).toContain(new Date(T0 + 60_000).toISOString());
    expect(calls()).toBe(1);
    await transport.close();
  });

  it("X-Sentry-Rate-Limit-Reset ten minutes ahead with Remaining 0: a call with a 5 s budget is refused at once; with retries off, timeoutMs bounds it", async () => {
    for (const options of [{ retry: { budgetMs: 5_000 } }, { retry: false as const, timeoutMs: 2_000 }]) {
      const clock = fakeClock(T0);
      const reset = String(T0 / 1000 + 600);
      const { transport, calls } = transportWith(
        () => ok({ "x-sentry-rate-limit-limit": "40", "x-sentry-rate-limit-remaining": "0", "x-sentry-rate-limit-reset": reset }),
        {
          clock,
          maxPauseMs: 3_600_000,
          ...options,
        },
      );
      await transport.api.GET(TEAMS, org);
      const next = await outcomeNow(transport.api.GET(TEAMS, org));
      expect(isRateLimitError(next?.error), JSON.stringify(options)).toBe(true);
      expect((next?.error as RateLimitError).resumesAt?.getTime()).toBe(T0 + 600_000);
      expect(calls()).toBe(1);
      await transport.close();
    }
  });

  it("a caller whose budget covers the pause waits for it, as before", async () => {
    const clock = fakeClock(T0);
    const reset = String(T0 / 1000 + 4);
    const { transport, calls } = transportWith(
      (n) => ok(n === 1 ? { "x-sentry-rate-limit-limit": "40", "x-sentry-rate-limit-remaining": "0", "x-sentry-rate-limit-reset": reset } : {}),
      {
        clock,
        retry: { budgetMs: 5_000 },
      },
    );
    await transport.api.GET(TEAMS, org);
    const next = transport.api.GET(TEAMS, org);
    expect(await outcomeNow(next)).toBeUndefined();
    await clock.advance(4_000);
    await expect(next).resolves.toMatchObject({ data: [] });
    expect(calls()).toBe(2);
    await transport.close();
  });
});
