/**
 * Client options: env defaults, validation and normalisation into a frozen ResolvedConfig. Every problem throws
 * SentryConfigError naming the option, before any request; no message ever contains a token.
 */
import { SentryConfigError } from "./http/errors/index.js";
import type { Hooks, Logger } from "./http/send/hooks.js";
import { VERSION } from "./version.js";

export type { Hooks, Logger } from "./http/send/hooks.js";

/** A token, or a function returning one (called per request, so a rotated secret takes effect at once). */
export type TokenSource = string | (() => string | Promise<string>);

/** Client-side rate limiting; adapts to Sentry's X-Sentry-Rate-Limit-* headers. */
export interface RateLimitOptions {
  /** Per-endpoint rate before the server's window is learned. Default 10. */
  requestsPerSecond?: number;
  /** Per-endpoint burst before the window is learned. Default 10. */
  burst?: number;
  /** Requests in flight across all endpoints. Default 10 until Sentry's ConcurrentLimit is learned. */
  maxConcurrent?: number;
  /** Share the budget between processes through Redis (needs the optional `ioredis` package). */
  redis?: RedisLimiterOptions;
}

/** The shared, Redis-backed budget. A Redis that cannot be reached never hangs a call. */
export interface RedisLimiterOptions {
  url: string;
  /** Prefix of every key; processes share a budget when url and prefix match. Default "sentry-rbac". */
  keyPrefix?: string;
  /** How long to wait for Redis to answer (connect, and each limiter step) before giving up on it. Default 2000 ms. */
  connectTimeoutMs?: number;
  /**
   * What a call does when Redis is unreachable: `"local"` (default) falls back to the in-process limiter for the
   * rest of the client's life and logs one warning; `"fail"` rejects calls with LimiterUnavailableError.
   */
  onUnavailable?: "local" | "fail";
}

/** Retry policy for failed attempts. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** Backoff base. Default 500 ms. */
  minDelayMs?: number;
  /** Backoff cap (server-directed waits may be longer, within the budget). Default 30 s. */
  maxDelayMs?: number;
  /** Total time spent waiting between attempts. Default 60 s. */
  budgetMs?: number;
  /**
   * Whether a refused connection (ECONNREFUSED: nothing listens at the base URL) is retried like other transient
   * failures. Default true (a server restarting); the CLI sets it false unless given `--retries`.
   */
  retryRefused?: boolean;
}

/** Time and randomness, injectable so tests prove timing rules without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

/** Options of `createSentryClient`. */
export interface SentryClientOptions {
  token?: TokenSource;
  org?: string;
  baseUrl?: string;
  region?: "us" | "de";
  scimToken?: TokenSource;
  rateLimit?: RateLimitOptions | false;
  retry?: RetryOptions | false;
  /** Per attempt, reading the body included. Default 30 s. */
  timeoutMs?: number;
  /**
   * Longest pause a server may impose through Retry-After, X-Sentry-Rate-Limit-Reset or Remaining 0 (a hostile or
   * skewed header is cut to this). Default 60 s.
   */
  maxPauseMs?: number;
  /** Largest response body read; a larger one fails with SentryResponseError (`too-large`). Default 50 MB. */
  maxResponseBytes?: number;
  /** Default page size for lists, 1..100. Default 100. */
  perPage?: number;
  /**
   * The `fetch` requests go out through (default: the global one, looked up per request, so msw sees them).
   */
  fetch?: typeof globalThis.fetch;
  /**
   * How requests go out. `"fetch"` (the default): the platform `fetch`, or the `fetch` option; fetch interceptors
   * such as msw see every request. `"undici"`: undici's `Pool.dispatch` API on a connection pool of the client's own,
   * which costs less CPU per request (see the README's performance table) and is not seen by fetch interceptors.
   * It needs the `undici` package (an optional peer dependency: `npm i undici@7`) and cannot be combined with
   * `fetch`. Both fail with the same typed errors.
   * @example createSentryClient({ org: "acme", sender: "undici" })
   */
  sender?: "fetch" | "undici";
  userAgent?: string;
  logger?: Logger;
  hooks?: Hooks;
  /** Cancels every request of this client. */
  signal?: AbortSignal;
  /** Replaces time and randomness (tests, simulations). */
  clock?: Partial<Clock>;
}

/** Normalised rate-limit settings. */
export interface ResolvedRateLimit {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly maxConcurrent: number;
  /** True when the user set maxConcurrent, which then caps what is learned from the server. */
  readonly maxConcurrentIsExplicit: boolean;
  readonly redis: ResolvedRedis | undefined;
}

/** Normalised Redis limiter settings. */
export interface ResolvedRedis {
  readonly url: string;
  readonly keyPrefix: string;
  readonly connectTimeoutMs: number;
  readonly onUnavailable: "local" | "fail";
}

/** Normalised retry settings. */
export interface ResolvedRetry {
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly budgetMs: number;
  /** Whether ECONNREFUSED is retried; absent means true. */
  readonly retryRefused?: boolean;
}

/** Validated, frozen configuration. Tokens are reachable only through `readToken`, never as a property. */
export interface ResolvedConfig {
  /** Origin plus any self-hosted path prefix, no trailing slash. */
  readonly baseUrl: string;
  readonly origin: string;
  readonly org: string | undefined;
  readonly hasScimToken: boolean;
  readonly rateLimit: ResolvedRateLimit | false;
  readonly retry: ResolvedRetry | false;
  readonly timeoutMs: number;
  readonly maxPauseMs: number;
  readonly maxResponseBytes: number;
  readonly perPage: number;
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly sender: "fetch" | "undici";
  readonly userAgent: string;
  readonly logger: Logger | undefined;
  readonly hooks: Readonly<Hooks>;
  readonly signal: AbortSignal | undefined;
  readonly clock: Readonly<Clock>;
  /** Reads the token for a request (the SCIM token for SCIM paths when configured). */
  readToken(kind: "api" | "scim"): Promise<string>;
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,49}$/;
const REGION_URLS = { us: "https://us.sentry.io", de: "https://de.sentry.io" } as const;
const MAX_TIMER_MS = 2_147_483_647;

export const DEFAULT_RATE_LIMIT = { requestsPerSecond: 10, burst: 10, maxConcurrent: 10 } as const;
export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({ retries: 4, minDelayMs: 500, maxDelayMs: 30_000, budgetMs: 60_000 });
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_PAUSE_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 2_000;

/** Real time: Date.now, setTimeout-based abortable sleep, Math.random. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.min(Math.max(0, ms), MAX_TIMER_MS),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
});

/**
 * Checks an organization slug's shape.
 * @example assertOrgSlug("org", "acme-inc")
 * @throws {SentryConfigError} naming `option` when the slug is malformed.
 */
export function assertOrgSlug(option: string, org: unknown): asserts org is string {
  if (typeof org !== "string" || !SLUG.test(org)) {
    throw new SentryConfigError(
      option,
      `must be an organization slug (lowercase letters, digits, - and _, at most 50), got ${JSON.stringify(String(org).slice(0, 60))}`,
    );
  }
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function checkToken(option: string, token: TokenSource | undefined, required: boolean): TokenSource | undefined {
  if (token === undefined) {
    if (required) throw new SentryConfigError(option, "no Sentry auth token: pass `token` or set SENTRY_AUTH_TOKEN");
    return undefined;
  }
  if (typeof token === "function") return token;
  if (typeof token !== "string" || token.trim() === "") throw new SentryConfigError(option, "must be a non-empty string or a function returning one");
  if (/\s/.test(token.trim()) || token.trim() !== token) {
    throw new SentryConfigError(option, "contains whitespace (check for a stray newline in the secret); value not shown");
  }
  return token;
}

/**
 * Whether `hostname` (as URL.hostname spells it) is a loopback host: 127.0.0.0/8, ::1 or localhost. The one rule
 * for where plain http:// is allowed (the client's baseUrl, HTTP sinks).
 * @example isLoopback("127.0.0.2") // true
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

function checkBaseUrl(option: string, value: string): { baseUrl: string; origin: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SentryConfigError(option, "is not an absolute URL (expected e.g. https://sentry.example.com)");
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.username || url.password) throw new SentryConfigError(option, `must not contain credentials (${shown}); pass the token as \`token\``);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new SentryConfigError(option, `must use https:// (got ${url.protocol})`);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new SentryConfigError(option, `http:// is allowed only for loopback hosts; use https://${url.host}`);
  }
  if (url.search || url.hash) throw new SentryConfigError(option, "must not contain a query string or fragment");
  // Users often paste the API root; the generated paths already start with /api/0.
  const prefix = url.pathname.replace(/\/+$/, "").replace(/\/api\/0$/, "");
  return { baseUrl: `${url.origin}${prefix}`, origin: url.origin };
}

function positive(option: string, value: unknown, { integer = false, min = 0, allowZero = false } = {}): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (allowZero ? value >= min : value > min) && (!integer || Number.isInteger(value));
  if (!ok) throw new SentryConfigError(option, `must be a ${integer ? "whole " : ""}number ${allowZero ? `>= ${min}` : `> ${min}`} (got ${String(value)})`);
  return value;
}

function resolveRateLimit(options: RateLimitOptions | false | undefined): ResolvedRateLimit | false {
  if (options === false) return false;
  if (options !== undefined && (typeof options !== "object" || options === null)) throw new SentryConfigError("rateLimit", "must be an object or false");
  const o = options ?? {};
  const requestsPerSecond =
    o.requestsPerSecond === undefined ? DEFAULT_RATE_LIMIT.requestsPerSecond : positive("rateLimit.requestsPerSecond", o.requestsPerSecond);
  const burst = o.burst === undefined ? DEFAULT_RATE_LIMIT.burst : positive("rateLimit.burst", o.burst, { integer: true });
  const maxConcurrent =
    o.maxConcurrent === undefined ? DEFAULT_RATE_LIMIT.maxConcurrent : positive("rateLimit.maxConcurrent", o.maxConcurrent, { integer: true });
  let redis: ResolvedRateLimit["redis"];
  if (o.redis !== undefined) {
    const url = o.redis?.url;
    if (typeof url !== "string" || !/^rediss?:\/\/[^\s]+$/.test(url)) throw new SentryConfigError("rateLimit.redis.url", "must be a redis:// or rediss:// URL");
    const keyPrefix = o.redis.keyPrefix ?? "sentry-rbac";
    if (typeof keyPrefix !== "string" || !/^[\w:.-]{1,100}$/.test(keyPrefix))
      throw new SentryConfigError("rateLimit.redis.keyPrefix", "must be 1-100 characters of letters, digits, _ : . -");
    const connectTimeoutMs =
      o.redis.connectTimeoutMs === undefined
        ? DEFAULT_REDIS_CONNECT_TIMEOUT_MS
        : positive("rateLimit.redis.connectTimeoutMs", o.redis.connectTimeoutMs, { integer: true });
    const onUnavailable = o.redis.onUnavailable ?? "local";
    if (onUnavailable !== "local" && onUnavailable !== "fail") throw new SentryConfigError("rateLimit.redis.onUnavailable", `must be "local" or "fail"`);
    redis = Object.freeze({ url, keyPrefix, connectTimeoutMs, onUnavailable });
  }
  return Object.freeze({ requestsPerSecond, burst, maxConcurrent, maxConcurrentIsExplicit: o.maxConcurrent !== undefined, redis });
}

function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetry | false {
  if (options === false) return false;
  if (options !== undefined && (typeof options !== "object" || options === null)) throw new SentryConfigError("retry", "must be an object or false");
  const o = options ?? {};
  const retries = o.retries === undefined ? DEFAULT_RETRY.retries : positive("retry.retries", o.retries, { integer: true, allowZero: true });
  const minDelayMs = o.minDelayMs === undefined ? DEFAULT_RETRY.minDelayMs : positive("retry.minDelayMs", o.minDelayMs, { allowZero: true });
  const maxDelayMs =
    o.maxDelayMs === undefined ? Math.max(DEFAULT_RETRY.maxDelayMs, minDelayMs) : positive("retry.maxDelayMs", o.maxDelayMs, { allowZero: true });
  if (maxDelayMs < minDelayMs) throw new SentryConfigError("retry.maxDelayMs", `must be >= retry.minDelayMs (${minDelayMs})`);
  const budgetMs = o.budgetMs === undefined ? DEFAULT_RETRY.budgetMs : positive("retry.budgetMs", o.budgetMs, { allowZero: true });
  if (o.retryRefused !== undefined && typeof o.retryRefused !== "boolean") throw new SentryConfigError("retry.retryRefused", "must be true or false");
  return Object.freeze({ retries, minDelayMs, maxDelayMs, budgetMs, ...(o.retryRefused === false ? { retryRefused: false } : {}) });
}

function optionalFunction<T>(option: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") throw new SentryConfigError(option, "must be a function");
  return value;
}

/**
 * Validates options (falling back to SENTRY_* environment variables) into a frozen config.
 * @example const config = resolveConfig({ org: "acme", region: "de" }); // token from SENTRY_AUTH_TOKEN
 * @throws {SentryConfigError} naming the first invalid option.
 */
export function resolveConfig(options: SentryClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  if (typeof options !== "object" || options === null) throw new SentryConfigError("options", "must be an object");
  const token = checkToken(
    options.token !== undefined ? "token" : "SENTRY_AUTH_TOKEN (token)",
    options.token ?? envValue(env, "SENTRY_AUTH_TOKEN"),
    true,
  ) as TokenSource;
  const scimToken = checkToken(
    options.scimToken !== undefined ? "scimToken" : "SENTRY_SCIM_TOKEN (scimToken)",
    options.scimToken ?? envValue(env, "SENTRY_SCIM_TOKEN"),
    false,
  );

  const org = options.org ?? envValue(env, "SENTRY_ORG");
  if (org !== undefined) assertOrgSlug(options.org !== undefined ? "org" : "SENTRY_ORG (org)", org);

  if (options.region !== undefined && options.region !== "us" && options.region !== "de") throw new SentryConfigError("region", `must be "us" or "de"`);
  if (options.region !== undefined && options.baseUrl !== undefined) throw new SentryConfigError("region", "give either `region` or `baseUrl`, not both");
  const urlOption = options.baseUrl !== undefined ? "baseUrl" : options.region !== undefined ? "region" : "SENTRY_URL (baseUrl)";
  const rawUrl = options.baseUrl ?? (options.region ? REGION_URLS[options.region] : envValue(env, "SENTRY_URL")) ?? "https://sentry.io";
  if (typeof rawUrl !== "string") throw new SentryConfigError("baseUrl", "must be a string");
  const { baseUrl, origin } = checkBaseUrl(urlOption, rawUrl);

  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : positive("timeoutMs", options.timeoutMs, { integer: true });
  if (timeoutMs > MAX_TIMER_MS) throw new SentryConfigError("timeoutMs", `must be at most ${MAX_TIMER_MS}`);
  const maxPauseMs = options.maxPauseMs === undefined ? DEFAULT_MAX_PAUSE_MS : positive("maxPauseMs", options.maxPauseMs, { integer: true, allowZero: true });
  if (maxPauseMs > MAX_TIMER_MS) throw new SentryConfigError("maxPauseMs", `must be at most ${MAX_TIMER_MS}`);
  const maxResponseBytes =
    options.maxResponseBytes === undefined ? DEFAULT_MAX_RESPONSE_BYTES : positive("maxResponseBytes", options.maxResponseBytes, { integer: true });
  const perPage = options.perPage === undefined ? 100 : positive("perPage", options.perPage, { integer: true });
  if (perPage > 100) throw new SentryConfigError("perPage", "must be at most 100 (Sentry's maximum page size)");

  const fetchImpl = optionalFunction("fetch", options.fetch);
  const sender = options.sender ?? "fetch";
  if (sender !== "fetch" && sender !== "undici") throw new SentryConfigError("sender", 'must be "fetch" or "undici"');
  if (sender === "undici" && fetchImpl) throw new SentryConfigError("sender", 'give either a `fetch` or sender "undici", not both');
  if (options.userAgent !== undefined && (typeof options.userAgent !== "string" || /[\r\n]/.test(options.userAgent))) {
    throw new SentryConfigError("userAgent", "must be a single-line string");
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new SentryConfigError("signal", "must be an AbortSignal");
  const hooks = options.hooks ?? {};
  if (typeof hooks !== "object" || hooks === null) throw new SentryConfigError("hooks", "must be an object");
  for (const name of ["onRequest", "onResponse", "onRetry", "onRateLimit"] as const)
    optionalFunction(`hooks.${name}`, (hooks as Record<string, unknown>)[name]);
  if (options.logger !== undefined && (typeof options.logger !== "object" || options.logger === null))
    throw new SentryConfigError("logger", "must be an object with debug/info/warn/error methods");

  const clock = Object.freeze({ ...systemClock, ...(options.clock ?? {}) });
  const readToken = async (kind: "api" | "scim"): Promise<string> => {
    const source = kind === "scim" && scimToken !== undefined ? scimToken : token;
    const value = typeof source === "function" ? await source() : source;
    if (typeof value !== "string" || value.trim() === "") {
      throw new SentryConfigError(kind === "scim" && scimToken !== undefined ? "scimToken" : "token", "the token provider returned an empty value");
    }
    return value.trim();
  };

  const config: ResolvedConfig = {
    baseUrl,
    origin,
    org,
    hasScimToken: scimToken !== undefined,
    rateLimit: resolveRateLimit(options.rateLimit),
    retry: resolveRetry(options.retry),
    timeoutMs,
    maxPauseMs,
    maxResponseBytes,
    perPage,
    fetch: fetchImpl,
    sender,
    userAgent: options.userAgent ? `sentry-rbac/${VERSION} ${options.userAgent}` : `sentry-rbac/${VERSION}`,
    logger: options.logger,
    hooks: Object.freeze({ ...hooks }),
    signal: options.signal,
    clock,
    readToken,
  };
  // Non-enumerable so the function does not show up in inspect/JSON output (it reveals no token either way).
  Object.defineProperty(config, "readToken", { value: readToken, enumerable: false });
  return Object.freeze(config);
}
