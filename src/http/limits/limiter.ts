/**
 * Client-side rate limiting shaped like Sentry's: one bucket per endpoint (`METHOD path-template`) under one
 * shared concurrency cap. A bucket starts as a token bucket (requestsPerSecond, burst), then learns the
 * endpoint's fixed window from X-Sentry-Rate-Limit-* and never spends more than the server says remains: it
 * stops at Remaining 0 and resumes at Reset. A window 429 pauses the bucket until Reset/Retry-After; a
 * concurrency 429 halves the in-flight cap, which then grows back by one per good response.
 *
 * In-process state is kept here rather than in bottleneck: bottleneck's local datastore yields a macrotask per
 * operation, which costs more than a loopback request (figures in bench/README.md). The Redis-shared mode
 * (limiter-redis.ts) is one Lua script per grant on Redis's clock: bottleneck's Redis mode let each process
 * refill the shared reservoir on its own timer (429s after every window boundary) and could hang on a dead Redis.
 */
import { type Clock, DEFAULT_MAX_PAUSE_MS, type ResolvedRateLimit } from "../../config.js";
import type { RateLimitEvent } from "../send/hooks.js";
import { matchOperation } from "../send/operations.js";
import { isConcurrencyLimited, parseRateLimitHeaders, type RateLimitHeaders } from "./rate-limit-headers.js";
import { serverDelayMs } from "./retry.js";

/** The limiter as the transport sees it; implementations can be swapped without touching callers. */
export interface RateLimiter {
  /**
   * Runs `fn` when the endpoint's budget and the concurrency cap allow; rejects with the abort reason on abort.
   * When the endpoint is paused by the server (a 429, or Remaining 0 until Reset) for longer than `maxWaitMs`,
   * rejects at once with an {@link EndpointPausedError} instead of parking the call past its caller's budget.
   */
  schedule<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal, maxWaitMs?: number): Promise<T>;
  /** Feeds a response's status and headers back so the bucket learns the server's limits. */
  observe(key: string, info: { status: number; headers: Headers }): void;
  /** Releases timers and connections; pending jobs reject. */
  close(): Promise<void>;
}

/**
 * The endpoint `key` is paused by the server until `resumesAt` (epoch ms), later than the caller can wait; the
 * pipeline turns it into a RateLimitError for the request.
 */
export class EndpointPausedError extends Error {
  /**
   * @example throw new EndpointPausedError("GET /api/0/", Date.now() + 60_000, 5_000);
   */
  constructor(
    readonly key: string,
    readonly resumesAt: number,
    readonly maxWaitMs: number,
  ) {
    super(`${key} is paused until ${new Date(resumesAt).toISOString()}, longer than this call may wait (${maxWaitMs} ms)`);
    this.name = "EndpointPausedError";
  }
}

/** What a limiter needs besides its settings. */
export interface LimiterDeps {
  clock: Pick<Clock, "now" | "sleep">;
  /** Longest pause a response may impose on an endpoint (Retry-After, Reset, Remaining 0). Default 60 s. */
  maxPauseMs?: number;
  onRateLimit?(event: RateLimitEvent): void;
  log?(level: "debug" | "warn", message: string): void;
}

/**
 * The bucket key of a request: `METHOD /api/0/template/` when the operation is known, else method + pathname.
 * @example limiterKey("GET", "/api/0/organizations/acme/teams/") // "GET /api/0/organizations/{organization_id_or_slug}/teams/"
 */
export function limiterKey(method: string, pathname: string, operation = matchOperation(method.toUpperCase(), pathname)): string {
  return `${method.toUpperCase()} ${operation?.path ?? pathname}`;
}

/** A window assumed when the server's reset is unknown after a rollover (Sentry's windows are 1 s). */
const ASSUMED_WINDOW_MS = 1000;

interface Waiter {
  run: () => void;
  reject: (reason: unknown) => void;
}

class ConcurrencyGate {
  inflight = 0;
  private readonly queue: Waiter[] = [];
  constructor(public cap: number) {}

  enter(waiter: Waiter): void {
    this.queue.push(waiter);
    this.drain();
  }
  /** Takes a slot at once when one is free and nobody is queued for it. */
  tryEnter(): boolean {
    if (this.inflight >= this.cap || this.queue.length > 0) return false;
    this.inflight += 1;
    return true;
  }
  cancel(waiter: Waiter): boolean {
    const at = this.queue.indexOf(waiter);
    if (at >= 0) this.queue.splice(at, 1);
    return at >= 0;
  }
  leave(): void {
    this.inflight -= 1;
    this.drain();
  }
  drain(): void {
    while (this.inflight < this.cap && this.queue.length > 0) {
      this.inflight += 1;
      this.queue.shift()?.run();
    }
  }
  rejectAll(reason: unknown): void {
    for (const waiter of this.queue.splice(0)) waiter.reject(reason);
  }
}

class Bucket {
  tokens: number;
  lastRefill: number;
  /** Learned window: limit per window, and its end (undefined right after a local rollover). */
  window: { limit: number; resetAt: number | undefined; rolledAt: number } | undefined;
  pausedUntil = 0;
  /** Requests of this bucket started and not yet settled. */
  inflight = 0;
  readonly queue: Waiter[] = [];
  wake: AbortController | undefined;

  constructor(
    private readonly settings: ResolvedRateLimit,
    now: number,
  ) {
    this.tokens = settings.burst;
    this.lastRefill = now;
  }

  /** Brings `tokens` up to date and returns when it is next worth looking again (undefined: no timer needed). */
  refresh(now: number): number | undefined {
    if (this.pausedUntil > now) return this.pausedUntil;
    if (this.pausedUntil !== 0) {
      this.pausedUntil = 0;
      this.rollover(now);
    }
    if (this.window) {
      const end = this.window.resetAt ?? this.window.rolledAt + ASSUMED_WINDOW_MS;
      if (now >= end) this.rollover(now);
      return this.tokens >= 1 ? undefined : (this.window.resetAt ?? this.window.rolledAt + ASSUMED_WINDOW_MS);
    }
    const { requestsPerSecond: rps, burst } = this.settings;
    this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefill) * rps) / 1000);
    this.lastRefill = now;
    return this.tokens >= 1 ? undefined : now + Math.ceil(((1 - this.tokens) * 1000) / rps);
  }

  private rollover(now: number): void {
    if (this.window) {
      this.tokens = this.window.limit;
      this.window = { limit: this.window.limit, resetAt: undefined, rolledAt: now };
    } else {
      this.tokens = this.settings.burst;
      this.lastRefill = now;
    }
  }

  learn(h: RateLimitHeaders & { limit: number; remaining: number; resetAtMs: number }, now: number): void {
    const previous = this.window;
    if (!previous) {
      // First headers: the server's count replaces the default bucket; requests of ours still in flight may
      // not be counted yet, so keep room for them.
      this.tokens = Math.max(0, h.remaining - Math.max(0, this.inflight - 1));
      this.window = { limit: h.limit, resetAt: h.resetAtMs, rolledAt: now };
      return;
    }
    if (previous.resetAt !== undefined && h.resetAtMs < previous.resetAt) return; // a late answer from an older window
    if (previous.resetAt !== undefined && h.resetAtMs > previous.resetAt) {
      // The server rolled over before our clock did: its count for the new window is the truth.
      this.tokens = h.remaining;
    } else {
      // Same window (or the one we already rolled into locally): our count includes requests still in flight.
      this.tokens = Math.min(this.tokens, h.remaining);
    }
    this.window = { limit: h.limit, resetAt: h.resetAtMs, rolledAt: previous.rolledAt };
  }

  /** When a pause the server imposed (a 429, or Remaining 0 until Reset) ends; undefined when there is none. */
  serverPauseEnd(now: number): number | undefined {
    this.refresh(now);
    if (this.pausedUntil > now) return this.pausedUntil;
    if (this.window?.resetAt !== undefined && this.tokens < 1 && this.window.resetAt > now) return this.window.resetAt;
    return undefined;
  }

  pause(until: number): void {
    this.tokens = 0;
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}

/** In-process limiter (the default). */
export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly gate: ConcurrencyGate;
  private learnedCap: number | undefined;
  private closed = false;

  constructor(
    private readonly settings: ResolvedRateLimit,
    private readonly deps: LimiterDeps,
  ) {
    this.gate = new ConcurrencyGate(settings.maxConcurrent);
  }

  /** The current in-flight cap (learned from ConcurrentLimit, narrowed after concurrency 429s). */
  get concurrencyCap(): number {
    return this.gate.cap;
  }

  schedule<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal, maxWaitMs?: number): Promise<T> {
    if (this.closed) return Promise.reject(new Error("rate limiter is closed"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const bucket = this.bucket(key);
    if (maxWaitMs !== undefined) {
      const now = this.deps.clock.now();
      const resumesAt = bucket.serverPauseEnd(now);
      if (resumesAt !== undefined && resumesAt - now > maxWaitMs) return Promise.reject(new EndpointPausedError(key, resumesAt, maxWaitMs));
    }
    // Fast path: budget and a slot are free and nobody waits, so the job runs now. Same accounting as a queued job,
    // without the waiter closures and abort listener (a running job is cancelled by the request's own signal).
    if (bucket.queue.length === 0 && bucket.refresh(this.deps.clock.now()) === undefined && this.gate.tryEnter()) {
      bucket.tokens -= 1;
      bucket.inflight += 1;
      let job: Promise<T>;
      try {
        job = fn();
      } catch (error) {
        job = Promise.reject(error);
      }
      // then() rather than finally(): one promise and one tick fewer per request, same settlement.
      return job.then(
        (value) => {
          this.release(bucket);
          return value;
        },
        (error: unknown) => {
          this.release(bucket);
          throw error;
        },
      );
    }
    return new Promise<T>((resolve, reject) => {
      let stage: "bucket" | "gate" | "running" = "bucket";
      const onAbort = () => {
        if (stage === "bucket") {
          const at = bucket.queue.indexOf(bucketWaiter);
          if (at >= 0) bucket.queue.splice(at, 1);
        } else if (stage === "gate" && this.gate.cancel(gateWaiter)) {
          bucket.tokens += 1; // the token was taken but never spent on a request
          this.pump(key, bucket);
        } else return; // running: the request itself carries the signal
        reject(signal?.reason);
      };
      const cleanup = () => signal?.removeEventListener("abort", onAbort);
      const gateWaiter: Waiter = {
        run: () => {
          stage = "running";
          cleanup();
          bucket.inflight += 1;
          fn()
            .then(resolve, reject)
            .finally(() => {
              bucket.inflight -= 1;
              this.gate.leave();
            });
        },
        reject: (reason) => {
          cleanup();
          reject(reason);
        },
      };
      const bucketWaiter: Waiter = {
        run: () => {
          stage = "gate";
          this.gate.enter(gateWaiter);
        },
        reject: gateWaiter.reject,
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      bucket.queue.push(bucketWaiter);
      this.pump(key, bucket);
    });
  }

  /** A job that held a slot of `bucket` settled. */
  private release(bucket: Bucket): void {
    bucket.inflight -= 1;
    this.gate.leave();
  }

  observe(key: string, info: { status: number; headers: Headers }): void {
    if (this.closed) return;
    // A success without Remaining or ConcurrentLimit teaches a bucket nothing (self-hosted Sentry sends none of the
    // headers): two lookups instead of parsing all five on every response.
    if (info.status !== 429 && !info.headers.has("x-sentry-rate-limit-remaining") && !info.headers.has("x-sentry-rate-limit-concurrentlimit")) {
      this.recoverCap(info.status);
      return;
    }
    const bucket = this.bucket(key);
    const now = this.deps.clock.now();
    const cap = this.deps.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
    const h = parseRateLimitHeaders(info.headers, now, cap);
    if (h?.concurrentLimit !== undefined && h.concurrentLimit > 0) this.learnConcurrency(h.concurrentLimit);
    if (info.status === 429) {
      if (isConcurrencyLimited(h)) {
        this.gate.cap = Math.max(1, Math.floor(Math.min(this.gate.cap, this.gate.inflight + 1) / 2));
        this.deps.log?.("warn", `concurrency 429 on ${key}: in-flight cap lowered to ${this.gate.cap}`);
        this.deps.onRateLimit?.({ endpoint: key, resetAt: undefined, concurrent: true });
        return;
      }
      const until = now + (serverDelayMs(info.headers, now, true, cap) ?? Math.min(cap, ASSUMED_WINDOW_MS));
      bucket.refresh(now);
      if (h?.limit !== undefined && h.resetAtMs !== undefined) bucket.window = { limit: h.limit, resetAt: h.resetAtMs, rolledAt: now };
      bucket.pause(until);
      this.deps.log?.("warn", `429 on ${key}: paused until ${new Date(until).toISOString()}`);
      this.deps.onRateLimit?.({ endpoint: key, resetAt: new Date(until), concurrent: false });
      this.pump(key, bucket);
      return;
    }
    if (h?.limit !== undefined && h.remaining !== undefined && h.resetAtMs !== undefined) {
      bucket.refresh(now);
      bucket.learn({ ...h, limit: h.limit, remaining: h.remaining, resetAtMs: h.resetAtMs }, now);
      this.pump(key, bucket);
    }
    this.recoverCap(info.status);
  }

  /** After a narrowing (a concurrency 429 or a lower learned cap), each success gives back one slot. */
  private recoverCap(status: number): void {
    if (status < 400 && this.gate.cap < this.targetCap()) {
      this.gate.cap += 1;
      this.gate.drain();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const reason = new Error("rate limiter closed");
    for (const bucket of this.buckets.values()) {
      bucket.wake?.abort();
      for (const waiter of bucket.queue.splice(0)) waiter.reject(reason);
    }
    this.gate.rejectAll(reason);
  }

  private targetCap(): number {
    if (this.learnedCap === undefined) return this.settings.maxConcurrent;
    return this.settings.maxConcurrentIsExplicit ? Math.min(this.settings.maxConcurrent, this.learnedCap) : this.learnedCap;
  }

  private learnConcurrency(limit: number): void {
    const first = this.learnedCap === undefined;
    this.learnedCap = limit;
    const target = this.targetCap();
    // Raise to a newly learned cap at once; after that, recovery from a narrowing goes one step per response.
    if (first || this.gate.cap > target) {
      this.gate.cap = target;
      this.gate.drain();
    }
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket(this.settings, this.deps.clock.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private pump(key: string, bucket: Bucket): void {
    if (this.closed) return;
    const now = this.deps.clock.now();
    let wakeAt = bucket.refresh(now);
    while (bucket.queue.length > 0 && wakeAt === undefined) {
      bucket.tokens -= 1;
      bucket.queue.shift()?.run();
      wakeAt = bucket.refresh(now);
    }
    bucket.wake?.abort();
    bucket.wake = undefined;
    if (bucket.queue.length === 0 || wakeAt === undefined) return;
    const controller = new AbortController();
    bucket.wake = controller;
    this.deps.clock.sleep(Math.max(0, wakeAt - now), controller.signal).then(
      () => {
        if (bucket.wake === controller) {
          bucket.wake = undefined;
          this.pump(key, bucket);
        }
      },
      () => undefined, // aborted: a newer wake-up replaced this one, or the limiter closed
    );
  }
}
