/**
 * Rate limiter whose budget lives in Redis so several processes acting as one Sentry caller share it. Each grant is
 * one atomic Lua script run on Redis's own clock (`TIME`), so no process refills or rolls a window on its own
 * clock: per endpoint, a fixed-window counter aligned like Sentry's windows (epoch multiples of the window); a
 * shared pause (set by a 429 or `Remaining: 0`, capped by maxPauseMs); and a shared in-flight cap kept as leases
 * that expire, so a killed process cannot hold slots for ever. A grant given in the last moments of a window is
 * also charged to the next one, because the request may reach Sentry after the boundary.
 *
 * Every Redis step is bounded by `redis.connectTimeoutMs`. When Redis cannot be reached the limiter either falls
 * back to the in-process limiter for good (one warning) or fails the call with LimiterUnavailableError, as
 * `redis.onUnavailable` says. Aborts and `close()` always return.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_MAX_PAUSE_MS, type ResolvedRateLimit, type ResolvedRedis } from "../../config.js";
import { LimiterUnavailableError, SentryConfigError } from "../errors/errors.js";
import { EndpointPausedError, type LimiterDeps, LocalRateLimiter, type RateLimiter } from "./limiter.js";
import { loadIoredis } from "./ioredis.js";
import { isConcurrencyLimited, parseRateLimitHeaders } from "./rate-limit-headers.js";
import { serverDelayMs } from "./retry.js";

/** The part of an ioredis client this module uses. */
interface RedisClient {
  defineCommand(name: string, spec: { numberOfKeys: number; lua: string }): void;
  zrem(key: string, member: string): Promise<unknown>;
  disconnect(): void;
  on(event: "error", listener: (error: unknown) => void): unknown;
  [command: string]: unknown;
}
type RedisConstructor = new (url: string, options: Record<string, unknown>) => RedisClient;

// Returns {0, 0} when granted, else {why, waitMs}: 1 paused, 2 no free in-flight slot, 3 window spent.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return {1, paused} end
local limit, windowMs, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= cap then return {2, 20} end
local window = math.floor(now / windowMs)
local key = KEYS[1] .. ':' .. windowMs .. ':' .. window
local used = tonumber(redis.call('GET', key) or '0')
local left = (window + 1) * windowMs - now
if used >= limit then return {3, left} end
redis.call('SET', key, used + 1, 'PX', windowMs * 3)
if left <= tonumber(ARGV[6]) then
  local nextKey = KEYS[1] .. ':' .. windowMs .. ':' .. (window + 1)
  redis.call('INCR', nextKey)
  redis.call('PEXPIRE', nextKey, windowMs * 3)
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[5])
return {0, 0}
`;
// Extends (never shortens) the shared pause of an endpoint.
const PAUSE = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0
`;

/** Sentry's windows are one second long; the headers give the limit and the end, not the length. */
const SENTRY_WINDOW_MS = 1000;
/**
 * A grant this close to its window's end is charged to the next window too, since the request may reach Sentry
 * after the boundary. At least this much; more when requests take longer (a loaded host): 1.5 x the slowest
 * recent attempt, decaying, at most half a window.
 */
const BOUNDARY_GUARD_MS = 250;
/** An in-flight lease outlives any attempt (timeoutMs default 30 s) and expires if its process dies. */
const LEASE_MS = 120_000;

/** Raised inside this module when a Redis step failed or ran out of time. */
class Unreachable extends Error {}

interface EndpointState {
  limit: number;
  windowMs: number;
}

/**
 * Creates a limiter sharing its budget with every process using the same url and keyPrefix (ioredis is loaded here).
 * @example const limiter = await createRedisRateLimiter(config.rateLimit, { clock: config.clock });
 * @throws {SentryConfigError} when ioredis is not installed or no redis settings are given.
 */
export async function createRedisRateLimiter(settings: ResolvedRateLimit, deps: LimiterDeps): Promise<RateLimiter> {
  const redis = settings.redis;
  if (!redis) throw new SentryConfigError("rateLimit.redis", "is required for the Redis limiter");
  const Redis = await loadIoredis<RedisConstructor>("rateLimit.redis");
  const client = new Redis(redis.url, {
    connectTimeout: redis.connectTimeoutMs,
    maxRetriesPerRequest: 1,
    // A few reconnection attempts, then ioredis gives up and fails queued commands instead of retrying for ever.
    retryStrategy: (times: number) => (times > 3 ? null : Math.min(times * 200, 1000)),
    lazyConnect: false,
  });
  client.on("error", () => undefined); // reported through the first failed step instead of once per reconnect
  client.defineCommand("sentryRbacAcquire", { numberOfKeys: 3, lua: ACQUIRE });
  client.defineCommand("sentryRbacPause", { numberOfKeys: 1, lua: PAUSE });
  return new RedisRateLimiter(settings, redis, deps, client);
}

class RedisRateLimiter implements RateLimiter {
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly jobPrefix = randomUUID();
  private jobs = 0;
  private cap: number;
  /** Slowest recent attempt (ms), decaying: an upper bound of how late a granted request reaches Sentry. */
  private slowest = 0;
  private learnedCap: number | undefined;
  private fallback: LocalRateLimiter | undefined;
  private closed = false;
  /** Cancels every pending Redis step and wait on close (a set, not listeners on one signal: no listener limit). */
  private readonly cancels = new Set<(reason: Error) => void>();

  constructor(
    private readonly settings: ResolvedRateLimit,
    private readonly redis: ResolvedRedis,
    private readonly deps: LimiterDeps,
    private readonly client: RedisClient,
  ) {
    this.cap = settings.maxConcurrent;
  }

  async schedule<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal, maxWaitMs?: number): Promise<T> {
    if (this.closed) throw new Error("rate limiter is closed");
    if (signal?.aborted) throw signal.reason;
    if (this.fallback) return this.fallback.schedule(key, fn, signal, maxWaitMs);
    const jobId = `${this.jobPrefix}:${(this.jobs += 1)}`;
    try {
      await this.acquire(key, jobId, signal, maxWaitMs);
    } catch (error) {
      // A grant may still land after a timeout or an abort: hand its slot back (the lease would expire anyway).
      this.client.zrem(this.inflightKey(), jobId).catch(() => undefined);
      if (!(error instanceof Unreachable)) throw error;
      return this.unavailable(error).schedule(key, fn, signal, maxWaitMs);
    }
    const started = this.deps.clock.now();
    try {
      return await fn();
    } finally {
      this.slowest = Math.max(this.deps.clock.now() - started, this.slowest * 0.95);
      // The lease expires by itself if this fails; nothing else to undo.
      this.client.zrem(this.inflightKey(), jobId).catch(() => undefined);
    }
  }

  observe(key: string, info: { status: number; headers: Headers }): void {
    if (this.closed) return;
    if (this.fallback) return this.fallback.observe(key, info);
    const now = this.deps.clock.now();
    const cap = this.deps.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
    const h = parseRateLimitHeaders(info.headers, now, cap);
    if (h?.concurrentLimit !== undefined && h.concurrentLimit > 0) {
      const first = this.learnedCap === undefined;
      this.learnedCap = this.settings.maxConcurrentIsExplicit ? Math.min(this.settings.maxConcurrent, h.concurrentLimit) : h.concurrentLimit;
      if (first || this.cap > this.learnedCap) this.cap = this.learnedCap;
    }
    if (h?.limit !== undefined && h.limit > 0) this.endpoints.set(key, { limit: h.limit, windowMs: SENTRY_WINDOW_MS });
    if (info.status === 429 && isConcurrencyLimited(h)) {
      this.cap = Math.max(1, Math.floor(this.cap / 2));
      this.deps.log?.("warn", `concurrency 429 on ${key}: in-flight cap lowered to ${this.cap}`);
      this.deps.onRateLimit?.({ endpoint: key, resetAt: undefined, concurrent: true });
      return;
    }
    let pauseMs: number | undefined;
    if (info.status === 429) pauseMs = serverDelayMs(info.headers, now, true, cap) ?? Math.min(cap, SENTRY_WINDOW_MS);
    else if (h?.remaining === 0 && h.resetAtMs !== undefined) pauseMs = h.resetAtMs - now;
    if (info.status < 400 && this.cap < (this.learnedCap ?? this.settings.maxConcurrent)) this.cap += 1;
    if (pauseMs === undefined || pauseMs <= 0) return;
    // Shared with the other processes, so none of them spends into a window Sentry already closed.
    this.step(() => this.call("sentryRbacPause", this.pauseKey(key), String(Math.ceil(pauseMs))), undefined).catch((error: unknown) => {
      if (error instanceof Unreachable) this.unavailableQuietly(error);
    });
    if (info.status === 429) {
      this.deps.log?.("warn", `429 on ${key}: paused for ${Math.ceil(pauseMs)} ms (shared)`);
      this.deps.onRateLimit?.({ endpoint: key, resetAt: new Date(now + pauseMs), concurrent: false });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const reason = new Error("rate limiter closed");
    for (const cancel of [...this.cancels]) cancel(reason);
    await this.fallback?.close();
    // disconnect, not quit: quit waits for a reply a dead Redis never sends.
    this.client.disconnect();
  }

  private async acquire(key: string, jobId: string, signal: AbortSignal | undefined, maxWaitMs: number | undefined): Promise<void> {
    const maxPause = this.deps.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
    for (;;) {
      const endpoint = this.endpoints.get(key) ?? this.defaultWindow();
      const guard = Math.min(endpoint.windowMs / 2, Math.max(BOUNDARY_GUARD_MS, Math.ceil(1.5 * this.slowest)));
      const [why, waitMs] = (await this.step(
        () =>
          this.call(
            "sentryRbacAcquire",
            this.windowKey(key),
            this.inflightKey(),
            this.pauseKey(key),
            String(endpoint.limit),
            String(endpoint.windowMs),
            String(this.cap),
            String(LEASE_MS),
            jobId,
            String(guard),
          ),
        signal,
      )) as [number, number];
      if (why === 0) return;
      if (this.closed) throw new Error("rate limiter closed");
      // The shared pause (set by any process's 429 or Remaining 0) outlasts what this caller may wait: say so now.
      if (why === 1 && maxWaitMs !== undefined && waitMs > maxWaitMs) throw new EndpointPausedError(key, this.deps.clock.now() + waitMs, maxWaitMs);
      const wake = new AbortController();
      const cancel = (reason: Error) => wake.abort(reason);
      this.cancels.add(cancel);
      try {
        await this.deps.clock.sleep(Math.min(maxPause, Math.max(1, waitMs)), signal ? AbortSignal.any([signal, wake.signal]) : wake.signal);
      } finally {
        this.cancels.delete(cancel);
      }
    }
  }

  /** Before Sentry's headers are seen: `burst` requests per the time `requestsPerSecond` takes to earn them. */
  private defaultWindow(): EndpointState {
    const { burst, requestsPerSecond } = this.settings;
    return { limit: burst, windowMs: Math.max(1, Math.ceil((1000 * burst) / requestsPerSecond)) };
  }

  /** Runs one Redis step, bounded by connectTimeoutMs and the caller's signal. */
  private step<T>(run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(() => reject(new Unreachable(`no answer from Redis within ${this.redis.connectTimeoutMs} ms`))),
        this.redis.connectTimeoutMs,
      );
      const onAbort = () => finish(() => reject(signal?.reason));
      const onClose = (reason: Error) => finish(() => reject(reason));
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.cancels.delete(onClose);
        settle();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.cancels.add(onClose);
      run().then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(new Unreachable(String(error)))),
      );
    });
  }

  private call(command: string, ...args: string[]): Promise<unknown> {
    return (this.client[command] as (...a: string[]) => Promise<unknown>)(...args);
  }

  private unavailable(error: Unreachable): RateLimiter {
    if (this.redis.onUnavailable === "fail") {
      throw new LimiterUnavailableError(
        `the shared rate limit in Redis is unavailable (${error.message}); set rateLimit.redis.onUnavailable to "local" to fall back`,
        { cause: error },
      );
    }
    this.unavailableQuietly(error);
    return this.fallback as LocalRateLimiter;
  }

  private unavailableQuietly(error: Unreachable): void {
    if (this.redis.onUnavailable === "fail" || this.fallback || this.closed) return;
    this.deps.log?.("warn", `redis limiter unavailable (${error.message}): using the in-process limiter from now on`);
    this.fallback = new LocalRateLimiter(this.settings, this.deps);
    this.client.disconnect();
  }

  private windowKey(key: string): string {
    return `${this.redis.keyPrefix}:window:${key}`;
  }
  private pauseKey(key: string): string {
    return `${this.redis.keyPrefix}:pause:${key}`;
  }
  private inflightKey(): string {
    return `${this.redis.keyPrefix}:inflight`;
  }
}
