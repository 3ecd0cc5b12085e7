import { describe, expect, it } from "vitest";
import type { ResolvedRateLimit } from "../../../src/config.js";
import type { RateLimitEvent } from "../../../src/http/send/hooks.js";
import { LocalRateLimiter, limiterKey } from "../../../src/http/limits/limiter.js";
import { fakeClock, settle } from "../fake-clock.js";

const T0 = 1_700_000_000_000; // a whole second, so Reset headers line up with the fake clock

function settings(overrides: Partial<ResolvedRateLimit> = {}): ResolvedRateLimit {
  return { requestsPerSecond: 10, burst: 10, maxConcurrent: 10, maxConcurrentIsExplicit: false, redis: undefined, ...overrides };
}

function headers(h: { limit?: number; remaining?: number; reset?: number; climit?: number; cremaining?: number; retryAfter?: string }): Headers {
  const out = new Headers();
  if (h.limit !== undefined) out.set("X-Sentry-Rate-Limit-Limit", String(h.limit));
  if (h.remaining !== undefined) out.set("X-Sentry-Rate-Limit-Remaining", String(h.remaining));
  if (h.reset !== undefined) out.set("X-Sentry-Rate-Limit-Reset", String(h.reset));
  if (h.climit !== undefined) out.set("X-Sentry-Rate-Limit-ConcurrentLimit", String(h.climit));
  if (h.cremaining !== undefined) out.set("X-Sentry-Rate-Limit-ConcurrentRemaining", String(h.cremaining));
  if (h.retryAfter !== undefined) out.set("Retry-After", h.retryAfter);
  return out;
}

/** Schedules `n` jobs that record when they start and finish immediately. */
function scheduleMany(limiter: LocalRateLimiter, key: string, n: number, started: number[], clock: { now(): number }) {
  return Array.from({ length: n }, (_, i) =>
    limiter.schedule(key, async () => {
      started.push(clock.now());
      return i;
    }),
  );
}

const KEY = "GET /api/0/organizations/{organization_id_or_slug}/teams/";

describe("limiterKey", () => {
  it("keys by method and path template, or method and pathname for unknown paths", () => {
    expect(limiterKey("get", "/api/0/organizations/acme/teams/")).toBe(KEY);
    expect(limiterKey("GET", "/api/0/organizations/other/teams/")).toBe(KEY);
    expect(limiterKey("POST", "/api/0/not-a-route/")).toBe("POST /api/0/not-a-route/");
  });
});

describe("LocalRateLimiter defaults (no headers, as on self-hosted)", () => {
  it("lets a burst through, then paces at requestsPerSecond", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings({ burst: 3, requestsPerSecond: 2 }), { clock });
    const started: number[] = [];
    const jobs = scheduleMany(limiter, KEY, 5, started, clock);
    await settle();
    expect(started).toEqual([T0, T0, T0]);
    await clock.advance(499);
    expect(started).toHaveLength(3);
    await clock.advance(1);
    expect(started).toEqual([T0, T0, T0, T0 + 500]);
    await clock.advance(500);
    expect(started).toEqual([T0, T0, T0, T0 + 500, T0 + 1000]);
    await Promise.all(jobs);
  });

  it("keeps endpoints apart: one spent bucket does not hold another", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings({ burst: 1, requestsPerSecond: 1 }), { clock });
    const started: string[] = [];
    void limiter.schedule(KEY, async () => started.push("a1"));
    const a2 = limiter.schedule(KEY, async () => started.push("a2"));
    void limiter.schedule("POST /x/", async () => started.push("b1"));
    await settle();
    expect(started).toEqual(["a1", "b1"]);
    await limiter.close();
    await expect(a2).rejects.toThrow("closed");
  });

  it("caps requests in flight across all endpoints", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings({ maxConcurrent: 2 }), { clock });
    const releases: (() => void)[] = [];
    let running = 0;
    let peak = 0;
    const job = () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        releases.push(() => {
          running -= 1;
          resolve();
        });
      });
    const all = [limiter.schedule("GET /a/", job), limiter.schedule("GET /b/", job), limiter.schedule("GET /c/", job)];
    await settle();
    expect(running).toBe(2);
    releases.shift()?.();
    await settle();
    expect(running).toBe(2);
    releases.splice(0).forEach((r) => r());
    await Promise.all(all);
    expect(peak).toBe(2);
  });
});

describe("LocalRateLimiter learning Sentry's window", () => {
  it("slows on low Remaining: spends only what is left, then waits for Reset", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings({ burst: 10 }), { clock });
    await limiter.schedule(KEY, async () => undefined);
    limiter.observe(KEY, { status: 200, headers: headers({ limit: 40, remaining: 2, reset: T0 / 1000 + 1 }) });
    const started: number[] = [];
    const jobs = scheduleMany(limiter, KEY, 5, started, clock);
    await settle();
    expect(started).toEqual([T0, T0]); // 9 local tokens left, but the server said 2
    await clock.advance(999);
    expect(started).toHaveLength(2);
    await clock.advance(1);
    expect(started).toEqual([T0, T0, T0 + 1000, T0 + 1000, T0 + 1000]);
    await Promise.all(jobs);
  });

  it("uses the learned limit, not the default burst, after a reset", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings({ burst: 2, requestsPerSecond: 1 }), { clock });
    await limiter.schedule(KEY, async () => undefined);
    limiter.observe(KEY, { status: 200, headers: headers({ limit: 40, remaining: 0, reset: T0 / 1000 + 1 }) });
    const started: number[] = [];
    const jobs = scheduleMany(limiter, KEY, 30, started, clock);
    await settle();
    expect(started).toHaveLength(0);
    await clock.advance(1000);
    expect(started).toHaveLength(30);
    await Promise.all(jobs);
  });

  it("ignores a late response from an older window", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings(), { clock });
    limiter.observe(KEY, { status: 200, headers: headers({ limit: 5, remaining: 5, reset: T0 / 1000 + 2 }) });
    limiter.observe(KEY, { status: 200, headers: headers({ limit: 5, remaining: 0, reset: T0 / 1000 + 1 }) });
    const started: number[] = [];
    await Promise.all(scheduleMany(limiter, KEY, 5, started, clock));
    expect(started).toHaveLength(5);
  });

  it("pauses an endpoint on a window 429 until Reset, then resumes", async () => {
    const clock = fakeClock(T0);
    const events: RateLimitEvent[] = [];
    const limiter = new LocalRateLimiter(settings(), { clock, onRateLimit: (e) => events.push(e) });
    limiter.observe(KEY, { status: 429, headers: headers({ limit: 40, remaining: 0, reset: T0 / 1000 + 3, climit: 25, cremaining: 24 }) });
    expect(events).toEqual([{ endpoint: KEY, resetAt: new Date(T0 + 3000), concurrent: false }]);
    const started: number[] = [];
    const other: number[] = [];
    const jobs = scheduleMany(limiter, KEY, 3, started, clock);
    await limiter.schedule("GET /other/", async () => other.push(clock.now()));
    expect(other).toEqual([T0]); // only the limited endpoint waits
    await clock.advance(2999);
    expect(started).toHaveLength(0);
    await clock.advance(1);
    expect(started).toEqual([T0 + 3000, T0 + 3000, T0 + 3000]);
    await Promise.all(jobs);
  });

  it("honours Retry-After over Reset on a 429 (a proxy's header)", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings(), { clock });
    limiter.observe(KEY, { status: 429, headers: headers({ retryAfter: "5" }) });
    const started: number[] = [];
    const jobs = scheduleMany(limiter, KEY, 1, started, clock);
    await clock.advance(4999);
    expect(started).toHaveLength(0);
    await clock.advance(1);
    expect(started).toEqual([T0 + 5000]);
    await Promise.all(jobs);
  });

  it("treats a concurrency 429 by narrowing in-flight requests, not by pausing the window", async () => {
    const clock = fakeClock(T0);
    const events: RateLimitEvent[] = [];
    const limiter = new LocalRateLimiter(settings({ maxConcurrent: 8 }), { clock, onRateLimit: (e) => events.push(e) });
    limiter.observe(KEY, { status: 200, headers: headers({ limit: 40, remaining: 30, reset: T0 / 1000 + 1, climit: 8, cremaining: 7 }) });
    expect(limiter.concurrencyCap).toBe(8);
    limiter.observe(KEY, { status: 429, headers: headers({ limit: 40, remaining: 29, reset: T0 / 1000 + 1, climit: 8, cremaining: 0 }) });
    expect(events).toEqual([{ endpoint: KEY, resetAt: undefined, concurrent: true }]);
    expect(limiter.concurrencyCap).toBeLessThan(8);
    const started: number[] = [];
    await Promise.all(scheduleMany(limiter, KEY, 3, started, clock));
    expect(started).toEqual([T0, T0, T0]); // window not paused
    const narrowed = limiter.concurrencyCap;
    limiter.observe(KEY, { status: 200, headers: headers({ limit: 40, remaining: 28, reset: T0 / 1000 + 1, climit: 8, cremaining: 7 }) });
    expect(limiter.concurrencyCap).toBe(narrowed + 1); // grows back one step per good response
  });

  it("learns the concurrency cap from ConcurrentLimit, bounded by an explicit maxConcurrent", () => {
    const clock = fakeClock(T0);
    const learned = new LocalRateLimiter(settings({ maxConcurrent: 10 }), { clock });
    learned.observe(KEY, { status: 200, headers: headers({ climit: 25, cremaining: 24 }) });
    expect(learned.concurrencyCap).toBe(25);
    const explicit = new LocalRateLimiter(settings({ maxConcurrent: 4, maxConcurrentIsExplicit: true }), { clock });
    explicit.observe(KEY, { status: 200, headers: headers({ climit: 25, cremaining: 24 }) });
    expect(explicit.concurrencyCap).toBe(4);
  });
});

describe("LocalRateLimiter cancellation", () => {
  it("rejects a job waiting for budget when its signal aborts, and never runs it", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings(), { clock });
    limiter.observe(KEY, { status: 429, headers: headers({ limit: 1, remaining: 0, reset: T0 / 1000 + 60 }) });
    const controller = new AbortController();
    let ran = false;
    const job = limiter.schedule(
      KEY,
      async () => {
        ran = true;
      },
      controller.signal,
    );
    await settle();
    controller.abort(new Error("caller gave up"));
    await expect(job).rejects.toThrow("caller gave up");
    await clock.advance(60_000);
    expect(ran).toBe(false);
  });

  it("rejects a job waiting for a concurrency slot and gives its token back", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings({ maxConcurrent: 1, burst: 2, requestsPerSecond: 0.001 }), { clock });
    let release!: () => void;
    const first = limiter.schedule(
      KEY,
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    const controller = new AbortController();
    const second = limiter.schedule(KEY, async () => "second", controller.signal);
    await settle();
    controller.abort(new Error("stop"));
    await expect(second).rejects.toThrow("stop");
    release();
    await first;
    await expect(limiter.schedule(KEY, async () => "third")).resolves.toBe("third"); // the token came back
  });

  it("rejects pending jobs on close", async () => {
    const clock = fakeClock(T0);
    const limiter = new LocalRateLimiter(settings({ burst: 1, requestsPerSecond: 0.001 }), { clock });
    await limiter.schedule(KEY, async () => undefined);
    const pending = limiter.schedule(KEY, async () => undefined);
    await limiter.close();
    await expect(pending).rejects.toThrow("closed");
    expect(clock.pending()).toBe(0);
  });
});
