/**
 * Choosing a client's limiter: the in-process one (limiter.ts), or the Redis-shared one (limiter-redis.ts), loaded
 * with ioredis on the first request. Kept apart from both so neither imports the other's module back.
 */
import type { ResolvedRateLimit } from "../../config.js";
import { type LimiterDeps, LocalRateLimiter, type RateLimiter } from "./limiter.js";

/**
 * Creates the limiter for one client: in-process, or shared through Redis when `settings.redis` is set
 * (ioredis is then loaded on first use).
 * @example const limiter = createRateLimiter(config.rateLimit, { clock: config.clock });
 */
export function createRateLimiter(settings: ResolvedRateLimit, deps: LimiterDeps): RateLimiter {
  if (settings.redis) return new LazyRedisLimiter(settings, deps);
  return new LocalRateLimiter(settings, deps);
}

/** Defers loading limiter-redis.ts (and ioredis) until the first request. */
class LazyRedisLimiter implements RateLimiter {
  private inner: Promise<RateLimiter> | undefined;
  constructor(
    private readonly settings: ResolvedRateLimit,
    private readonly deps: LimiterDeps,
  ) {}

  private load(): Promise<RateLimiter> {
    this.inner ??= import("./limiter-redis.js").then((m) => m.createRedisRateLimiter(this.settings, this.deps));
    return this.inner;
  }
  async schedule<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal, maxWaitMs?: number): Promise<T> {
    if (!signal) return (await this.load()).schedule(key, fn, signal, maxWaitMs);
    if (signal.aborted) throw signal.reason;
    // Loading ioredis takes a while the first time: an abort meanwhile still returns at once.
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await (await Promise.race([this.load(), aborted])).schedule(key, fn, signal, maxWaitMs);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
  observe(key: string, info: { status: number; headers: Headers }): void {
    void this.load().then(
      (l) => l.observe(key, info),
      (error: unknown) => this.deps.log?.("warn", `redis limiter unavailable: ${String(error)}`),
    );
  }
  async close(): Promise<void> {
    if (this.inner) await (await this.inner).close();
  }
}
