import { describe, expect, it } from "vitest";
import { resolveConfig, type SentryClientOptions } from "../../../src/config.js";
import type { ResolvedRateLimit } from "../../../src/config.js";
import { LocalRateLimiter } from "../../../src/http/limits/limiter.js";
import { parseRateLimitHeaders } from "../../../src/http/limits/rate-limit-headers.js";
import { serverDelayMs } from "../../../src/http/limits/retry.js";
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
const limited = (headers: Record<string, string>) => new Response(JSON.stringify("limited"), { status: 429, headers: { "content-type": "application/json", ...headers } });
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
    const later = transport.api.GET(TEAMS, org).then(() => { done = true; });
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
    limiter.observe(KEY, { status: 200, headers: new Headers({ "x-sentry-rate-limit-limit": "40", "x-sentry-rate-limit-remaining": "0", "x-sentry-rate-limit-reset": String(T0 / 1000 + 10 * 365 * 86400) }) });
    let started = 0;
    const next = limiter.schedule(KEY, async () => { started = clock.now(); });
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
    limiter.observe(KEY, { status: 200, headers: new Headers({ date: new Date(serverNow).toUTCString(), "x-sentry-rate-limit-limit": "40", "x-sentry-rate-limit-remaining": "0", "x-sentry-rate-limit-reset": String(serverNow / 1000 + 1) }) });
    let started = 0;
    const next = limiter.schedule(KEY, async () => { started = clock.now(); });
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
