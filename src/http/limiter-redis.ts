/**
 * Rate limiter whose budget lives in Redis so several processes share it: a bottleneck Group (one limiter per
 * endpoint key, reservoir = the endpoint's budget) chained to one global bottleneck limiter (the shared
 * concurrency cap), all on one ioredis connection. Learning from headers mirrors the in-process limiter:
 * Remaining lowers the shared reservoir, Reset refills it to Limit, a window 429 empties it until Reset.
 */
import Bottleneck from "bottleneck";
import type { ResolvedRateLimit } from "../config.js";
import { SentryConfigError } from "./errors.js";
import type { LimiterDeps, RateLimiter } from "./limiter.js";
import { isConcurrencyLimited, parseRateLimitHeaders } from "./rate-limit-headers.js";
import { serverDelayMs } from "./retry.js";

interface KeyState {
  limit: number | undefined;
  resetAt: number | undefined;
  refill: AbortController | undefined;
}

/** Settings of a bucket before its window is learned: a token bucket refilled at requestsPerSecond. */
function defaultBucket(settings: ResolvedRateLimit): Bottleneck.ConstructorOptions {
  const interval = settings.requestsPerSecond >= 20 ? 50 : Math.ceil(1000 / settings.requestsPerSecond);
  const amount = settings.requestsPerSecond >= 20 ? Math.max(1, Math.round(settings.requestsPerSecond / 20)) : 1;
  return {
    reservoir: settings.burst,
    reservoirIncreaseInterval: interval,
    reservoirIncreaseAmount: amount,
    reservoirIncreaseMaximum: settings.burst,
  };
}

async function loadRedis(): Promise<new (url: string, options?: Record<string, unknown>) => unknown> {
  try {
    const mod = (await import("ioredis")) as unknown as { Redis?: unknown; default?: unknown };
    return (mod.Redis ?? mod.default) as new (url: string, options?: Record<string, unknown>) => unknown;
  } catch {
    throw new SentryConfigError("rateLimit.redis", "needs the optional peer dependency `ioredis` (npm i ioredis)");
  }
}

/**
 * Connects to Redis and returns a limiter sharing its budget with every process using the same url and keyPrefix.
 * @example const limiter = await createRedisRateLimiter(config.rateLimit, { clock: config.clock });
 * @throws {SentryConfigError} when ioredis is not installed.
 */
export async function createRedisRateLimiter(settings: ResolvedRateLimit, deps: LimiterDeps): Promise<RateLimiter> {
  const redis = settings.redis;
  if (!redis) throw new SentryConfigError("rateLimit.redis", "is required for the Redis limiter");
  const Redis = await loadRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: 3, lazyConnect: false });
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  connection.on("error", (e: unknown) => deps.log?.("warn", `redis limiter: ${String(e)}`));
  const global = new Bottleneck({ id: `${redis.keyPrefix}:concurrency`, maxConcurrent: settings.maxConcurrent, datastore: "ioredis", connection });
  const group = new Bottleneck.Group({ id: `${redis.keyPrefix}:endpoint`, datastore: "ioredis", connection, ...defaultBucket(settings) });
  group.on("created", (limiter: Bottleneck) => {
    limiter.chain(global);
    limiter.on("error", (e: unknown) => deps.log?.("warn", `redis limiter: ${String(e)}`));
  });
  await global.ready();
  return new RedisRateLimiter(settings, deps, connection, global, group);
}

class RedisRateLimiter implements RateLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly settings: ResolvedRateLimit,
    private readonly deps: LimiterDeps,
    private readonly connection: Bottleneck.IORedisConnection,
    private readonly global: Bottleneck,
    private readonly group: Bottleneck.Group,
  ) {}

  async schedule<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw signal.reason;
    const limiter = this.group.key(key);
    let cancelled = false;
    const job = limiter.schedule(async () => {
      if (!cancelled) return { value: await fn() };
      // Aborted while queued: hand the reservoir token back to the other processes.
      await limiter.incrementReservoir(1);
      return undefined;
    });
    if (!signal) return (await job)!.value;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        cancelled = true;
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      job.then(
        (result) => (result ? resolve(result.value) : undefined),
        reject,
      ).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  observe(key: string, info: { status: number; headers: Headers }): void {
    this.apply(key, info).catch((e: unknown) => this.deps.log?.("warn", `redis limiter: ${String(e)}`));
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { limit: undefined, resetAt: undefined, refill: undefined };
      this.keys.set(key, state);
    }
    return state;
  }

  private async apply(key: string, info: { status: number; headers: Headers }): Promise<void> {
    const h = parseRateLimitHeaders(info.headers);
    const limiter = this.group.key(key);
    const state = this.state(key);
    const now = this.deps.clock.now();
    if (h?.concurrentLimit !== undefined && h.concurrentLimit > 0) {
      const cap = this.settings.maxConcurrentIsExplicit ? Math.min(this.settings.maxConcurrent, h.concurrentLimit) : h.concurrentLimit;
      this.global.updateSettings({ maxConcurrent: cap });
    }
    if (info.status === 429) {
      if (isConcurrencyLimited(h)) {
        this.deps.onRateLimit?.({ endpoint: key, resetAt: undefined, concurrent: true });
        return;
      }
      const until = now + (serverDelayMs(info.headers, now) ?? 1000);
      state.limit ??= h?.limit;
      limiter.updateSettings({ reservoir: 0, reservoirIncreaseInterval: null, reservoirIncreaseAmount: null, reservoirIncreaseMaximum: null });
      this.scheduleRefill(key, state, until);
      this.deps.onRateLimit?.({ endpoint: key, resetAt: new Date(until), concurrent: false });
      return;
    }
    if (h?.limit === undefined || h.remaining === undefined || h.resetAtMs === undefined) return;
    if (state.limit === undefined) {
      limiter.updateSettings({ reservoirIncreaseInterval: null, reservoirIncreaseAmount: null, reservoirIncreaseMaximum: null });
    }
    state.limit = h.limit;
    if (state.resetAt !== undefined && h.resetAtMs < state.resetAt) return;
    const current = await limiter.currentReservoir();
    if (current !== null && h.remaining < current) await limiter.incrementReservoir(h.remaining - current);
    if (state.resetAt !== h.resetAtMs) this.scheduleRefill(key, state, h.resetAtMs);
  }

  private scheduleRefill(key: string, state: KeyState, at: number): void {
    state.refill?.abort();
    const controller = new AbortController();
    state.refill = controller;
    state.resetAt = at;
    this.deps.clock.sleep(Math.max(0, at - this.deps.clock.now()), controller.signal).then(
      () => {
        if (state.refill !== controller) return;
        state.refill = undefined;
        const limiter = this.group.key(key);
        limiter.updateSettings(state.limit === undefined ? defaultBucket(this.settings) : { reservoir: state.limit });
      },
      () => undefined, // replaced by a later refill, or closed
    );
  }

  async close(): Promise<void> {
    for (const state of this.keys.values()) state.refill?.abort();
    await Promise.allSettled([this.global.stop({ dropWaitingJobs: true }), ...this.group.limiters().map((l) => l.limiter.stop({ dropWaitingJobs: true }))]);
    await this.connection.disconnect();
  }
}
