import { describe, expect, it } from "vitest";
import { SentryNetworkError, SentryTimeoutError } from "../../../src/http/errors/errors.js";
import type { RetryEvent } from "../../../src/http/send/hooks.js";
import { backoffMs, retryPolicy, serverDelayMs, withRetry } from "../../../src/http/limits/retry.js";
import { fakeClock, settle } from "../fake-clock.js";

const T0 = 1_700_000_000_000;
const policy = retryPolicy({ retries: 3, minDelayMs: 100, maxDelayMs: 1_000, budgetMs: 10_000 });

type Outcome = number | Error;

/** Runs withRetry over a scripted list of statuses/errors, advancing the fake clock through every sleep. */
async function run(method: string, script: Outcome[], options: { headers?: Record<string, string>; policy?: typeof policy } = {}) {
  const clock = fakeClock(T0);
  const events: RetryEvent[] = [];
  let attempts = 0;
  const promise = withRetry(
    async () => {
      const next = script[Math.min(attempts, script.length - 1)]!;
      attempts += 1;
      if (next instanceof Error) throw next;
      return new Response(`{"n":${attempts}}`, { status: next, headers: options.headers });
    },
    {
      method,
      url: "https://sentry.io/api/0/x/",
      policy: options.policy ?? policy,
      clock,
      onRetry: (e) => {
        events.push(e);
      },
    },
  );
  const outcome = promise.then(
    (r) => r.status,
    (e: unknown) => e,
  );
  for (let i = 0; i < 10; i++) await clock.advance(60_000);
  return { result: await outcome, attempts, events, sleeps: clock.sleeps };
}

const refused = () => new SentryNetworkError({ method: "POST", url: "https://sentry.io/", code: "ECONNREFUSED", requestSent: false });
const reset = () => new SentryNetworkError({ method: "POST", url: "https://sentry.io/", code: "ECONNRESET", requestSent: true });
const timeout = () => new SentryTimeoutError({ method: "GET", url: "https://sentry.io/", timeoutMs: 10 });

describe("retry matrix", () => {
  const cases: [string, Outcome, boolean][] = [];
  for (const method of ["GET", "PUT", "DELETE", "HEAD", "OPTIONS"]) {
    for (const status of [429, 502, 503, 504]) cases.push([method, status, true]);
    for (const status of [400, 401, 403, 404, 409, 500, 501]) cases.push([method, status, false]);
  }
  for (const method of ["POST", "PATCH"]) {
    cases.push([method, 429, true]);
    for (const status of [400, 403, 409, 500, 502, 503, 504]) cases.push([method, status, false]);
  }

  it.each(cases)("%s answered %s is retried: %s", async (method, status, retried) => {
    const { result, attempts } = await run(method, [status, 200]);
    expect(attempts).toBe(retried ? 2 : 1);
    expect(result).toBe(retried ? 200 : status);
  });

  it.each([
    ["GET", reset, 2],
    ["PUT", reset, 2],
    ["DELETE", timeout, 2],
    ["POST", refused, 2],
    ["PATCH", refused, 2],
    ["POST", reset, 1],
    ["POST", timeout, 1],
  ] as const)("%s after %o makes %i attempts", async (method, makeError, expected) => {
    const { result, attempts } = await run(method, [makeError(), 200]);
    expect(attempts).toBe(expected);
    if (expected === 1) expect(result).toBeInstanceOf(Error);
    else expect(result).toBe(200);
  });

  it("returns the last response once retries are spent", async () => {
    const { result, attempts, events } = await run("GET", [503]);
    expect(attempts).toBe(4);
    expect(result).toBe(503);
    expect(events.map((e) => [e.attempt, e.reason, e.status])).toEqual([
      [1, "status", 503],
      [2, "status", 503],
      [3, "status", 503],
    ]);
  });

  it("throws the last network error once retries are spent", async () => {
    const { result, attempts } = await run("GET", [reset()]);
    expect(attempts).toBe(4);
    expect(result).toBeInstanceOf(SentryNetworkError);
  });

  it("does not retry a refused connection when the policy says so (retryRefused: false), and still retries a reset", async () => {
    const strict = retryPolicy({ retries: 3, minDelayMs: 100, maxDelayMs: 1_000, budgetMs: 10_000, retryRefused: false });
    const refusedRun = await run("GET", [refused(), 200], { policy: strict });
    expect(refusedRun.attempts).toBe(1);
    expect(refusedRun.result).toMatchObject({ code: "ECONNREFUSED" });
    expect((await run("GET", [reset(), 200], { policy: strict })).attempts).toBe(2);
    expect((await run("GET", [refused(), 200])).attempts).toBe(2);
  });

  it("does not retry when the policy is off", async () => {
    const { attempts } = await run("GET", [503, 200], { policy: false as never });
    expect(attempts).toBe(1);
  });
});

describe("delays", () => {
  it("backs off exponentially with full jitter under the cap", () => {
    expect(backoffMs(1, policy, () => 0.999)).toBe(99);
    expect(backoffMs(3, policy, () => 0.5)).toBe(200);
    expect(backoffMs(10, policy, () => 0.999)).toBe(999); // capped by maxDelayMs
    expect(backoffMs(2, policy, () => 0)).toBe(0);
  });

  it("honours Retry-After in seconds", async () => {
    const { sleeps, events } = await run("GET", [503, 200], { headers: { "Retry-After": "7" } });
    expect(sleeps).toContain(7000);
    expect(events[0]?.delayMs).toBe(7000);
  });

  it("honours Retry-After as an HTTP-date", async () => {
    const date = new Date(T0 + 4000).toUTCString();
    expect(serverDelayMs(new Headers({ "retry-after": date }), T0)).toBe(4000);
    const { events } = await run("GET", [429, 200], { headers: { "Retry-After": date } });
    expect(events[0]?.delayMs).toBe(4000);
  });

  it("waits for X-Sentry-Rate-Limit-Reset on a 429 without Retry-After", async () => {
    const { events } = await run("POST", [429, 201], { headers: { "X-Sentry-Rate-Limit-Reset": String(T0 / 1000 + 2), "X-Sentry-Rate-Limit-Remaining": "0" } });
    expect(events[0]).toMatchObject({ reason: "rate-limit", status: 429, delayMs: 2000 });
  });

  it("uses a short jittered backoff, not the reset, for a concurrency 429", async () => {
    const { events } = await run("GET", [429, 200], {
      headers: { "X-Sentry-Rate-Limit-Reset": String(T0 / 1000 + 30), "X-Sentry-Rate-Limit-Remaining": "12", "X-Sentry-Rate-Limit-ConcurrentRemaining": "0" },
    });
    expect(events[0]?.delayMs).toBe(50); // random 0.5 × minDelayMs
  });

  it("gives up when the next wait would exceed the retry budget", async () => {
    const { result, attempts, events } = await run("GET", [429, 200], { headers: { "Retry-After": "60" } });
    expect(attempts).toBe(1);
    expect(result).toBe(429);
    expect(events).toHaveLength(0);
  });
});

describe("cancellation", () => {
  it("aborting during a backoff sleep rejects at once with the signal's reason", async () => {
    const clock = fakeClock(T0);
    const controller = new AbortController();
    let attempts = 0;
    const promise = withRetry(
      async () => {
        attempts += 1;
        return new Response(null, { status: 503, headers: { "Retry-After": "3" } });
      },
      { method: "GET", url: "u", policy, clock, signal: controller.signal },
    );
    const outcome = promise.catch((e: unknown) => e);
    await settle();
    expect(clock.pending()).toBe(1);
    controller.abort(new Error("user cancelled"));
    expect(await outcome).toMatchObject({ message: "user cancelled" });
    expect(attempts).toBe(1);
  });

  it("never retries an attempt the caller aborted", async () => {
    const clock = fakeClock(T0);
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    let attempts = 0;
    const result = withRetry(
      async () => {
        attempts += 1;
        throw reset();
      },
      { method: "GET", url: "u", policy, clock, signal: controller.signal },
    );
    await expect(result).rejects.toThrow("gone");
    expect(attempts).toBe(1);
  });
});
