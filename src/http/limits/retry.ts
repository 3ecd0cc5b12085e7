/**
 * Retry policy, stated as data: which methods and statuses retry, exponential backoff with full jitter, a cap,
 * a total budget, and server-directed waits (Retry-After, then X-Sentry-Rate-Limit-Reset). POST/PATCH retry only
 * when the server provably did not act: a 429, or a connection refused before anything was sent.
 */
import { type Clock, DEFAULT_MAX_PAUSE_MS, type ResolvedRetry } from "../../config.js";
import { isSentryNetworkError, isSentryResponseError, isSentryTimeoutError } from "../errors/errors.js";
import type { RetryEvent } from "../send/hooks.js";

/** The retry rules applied by {@link withRetry}. */
export interface RetryPolicy extends ResolvedRetry {
  /** Methods that may be retried after any transient failure. */
  readonly idempotentMethods: ReadonlySet<string>;
  /** Statuses retried for idempotent methods (429 is retried for every method). */
  readonly retryStatuses: ReadonlySet<number>;
  /** Longest server-directed wait honoured (longer Retry-After / Reset values are cut to this). */
  readonly maxPauseMs: number;
}

/**
 * Builds the policy from resolved options. 500 is deliberately not retried: Sentry's 500s are bugs, not blips.
 * @example const policy = retryPolicy({ retries: 3, minDelayMs: 200, maxDelayMs: 5_000, budgetMs: 30_000 });
 */
export function retryPolicy(options: ResolvedRetry, maxPauseMs: number = DEFAULT_MAX_PAUSE_MS): RetryPolicy {
  return Object.freeze({
    ...options,
    maxPauseMs,
    idempotentMethods: new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]),
    retryStatuses: new Set([429, 502, 503, 504]),
  });
}

/** Whether and why an attempt's outcome is retried. */
export type RetryDecision = { retry: false } | { retry: true; reason: RetryEvent["reason"]; serverDelayMs: number | undefined; shortBackoff: boolean };

/**
 * Milliseconds the server asked us to wait: Retry-After (seconds or HTTP-date), else X-Sentry-Rate-Limit-Reset
 * (epoch seconds) when `useReset`. Dates are read against the response's `Date` when the clocks disagree (see
 * {@link serverClockOffsetMs}), and the result is cut to `capMs` so a hostile or skewed header cannot stall a client.
 * @example serverDelayMs(new Headers({ "retry-after": "2" }), Date.now()) // 2000
 */
export function serverDelayMs(headers: Headers, now: number, useReset = true, capMs: number = DEFAULT_MAX_PAUSE_MS): number | undefined {
  const retryAfter = headers.get("retry-after");
  let delay: number | undefined;
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) delay = Number(trimmed) * 1000;
    else {
      const date = Date.parse(trimmed);
      if (Number.isFinite(date)) delay = date - (now + serverClockOffsetMs(headers, now));
    }
  }
  if (delay === undefined && useReset) {
    const reset = headers.get("x-sentry-rate-limit-reset");
    if (reset !== null && /^\d+(\.\d+)?$/.test(reset.trim())) delay = Number(reset) * 1000 - (now + serverClockOffsetMs(headers, now));
  }
  return delay === undefined ? undefined : Math.min(capMs, Math.max(0, delay));
}

// The Date header has whole-second resolution and lags by the response's latency, so below this difference our
// own clock is the better reference (Sentry's windows are one second long).
const SKEW_TOLERANCE_MS = 2_000;

/**
 * How far the server's clock runs ahead of ours (negative: behind), read from the response's `Date`; 0 when the
 * header is missing or the clocks agree within the Date header's own precision.
 * @example serverClockOffsetMs(new Headers({ date: new Date(Date.now() + 3_600_000).toUTCString() }), Date.now()) // ≈ 3_600_000
 */
export function serverClockOffsetMs(headers: Headers, now: number): number {
  const date = headers.get("date");
  if (date === null) return 0;
  const serverNow = Date.parse(date);
  if (!Number.isFinite(serverNow)) return 0;
  const offset = serverNow - now;
  return Math.abs(offset) > SKEW_TOLERANCE_MS ? offset : 0;
}

/**
 * Decides whether to retry after one attempt (`response` or thrown `error`).
 * @example decideRetry("POST", { response: res429 }, policy, Date.now()) // { retry: true, reason: "rate-limit", ... }
 */
export function decideRetry(method: string, outcome: { response?: Response; error?: unknown }, policy: RetryPolicy, now: number): RetryDecision {
  const idempotent = policy.idempotentMethods.has(method.toUpperCase());
  const { response, error } = outcome;
  if (response) {
    const { status } = response;
    if (status === 429) {
      const concurrent =
        response.headers.get("x-sentry-rate-limit-concurrentremaining") === "0" && response.headers.get("x-sentry-rate-limit-remaining") !== "0";
      return {
        retry: true,
        reason: "rate-limit",
        serverDelayMs: concurrent ? undefined : serverDelayMs(response.headers, now, true, policy.maxPauseMs),
        shortBackoff: concurrent,
      };
    }
    if (idempotent && policy.retryStatuses.has(status)) {
      return { retry: true, reason: "status", serverDelayMs: serverDelayMs(response.headers, now, false, policy.maxPauseMs), shortBackoff: false };
    }
    return { retry: false };
  }
  // A refused connection is retried unless the caller said not to (the CLI: nothing listens, say so at once).
  const refusedOff = policy.retryRefused === false && isSentryNetworkError(error) && error.code === "ECONNREFUSED";
  if (isSentryNetworkError(error) && error.retryable && !refusedOff && (idempotent || !error.requestSent)) {
    return { retry: true, reason: "network", serverDelayMs: undefined, shortBackoff: false };
  }
  if (isSentryTimeoutError(error) && idempotent) return { retry: true, reason: "timeout", serverDelayMs: undefined, shortBackoff: false };
  // A body that was cut or malformed may come right next time; one that was too large would not.
  if (isSentryResponseError(error) && idempotent && error.reason !== "too-large") {
    return { retry: true, reason: "response", serverDelayMs: undefined, shortBackoff: false };
  }
  return { retry: false };
}

/**
 * Full-jitter exponential backoff for the given failed attempt (1-based): random(0, min(max, min·2^(attempt-1))).
 * @example backoffMs(3, policy, Math.random) // somewhere in [0, 2000) with minDelayMs 500
 */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, "minDelayMs" | "maxDelayMs">, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Context of one retried request. */
export interface RetryContext {
  method: string;
  url: string;
  policy: RetryPolicy | false;
  clock: Pick<Clock, "now" | "sleep" | "random">;
  signal?: AbortSignal | undefined;
  onRetry?(event: RetryEvent): void | Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retry count or budget is spent. Returns the last
 * response (even a 429/5xx, for the caller to turn into an error) or throws the last network/timeout error.
 * Backoff sleeps end early, with the abort reason, when `signal` aborts. Each attempt is told how much of the
 * budget is left to wait (undefined without a policy), so a rate-limit pause longer than that is not waited for.
 * @example const res = await withRetry((n) => fetch(req.clone()), { method: "GET", url, policy, clock });
 */
export async function withRetry(
  attempt: (attemptNumber: number, budgetLeftMs: number | undefined) => Promise<Response>,
  context: RetryContext,
): Promise<Response> {
  const { policy, clock, signal } = context;
  let waited = 0;
  for (let n = 1; ; n += 1) {
    let outcome: { response?: Response; error?: unknown };
    try {
      const response = await attempt(n, policy ? Math.max(0, policy.budgetMs - waited) : undefined);
      // A status no method retries (every success among them) needs no decision.
      if (!policy || (response.status !== 429 && !policy.retryStatuses.has(response.status))) return response;
      outcome = { response };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      outcome = { error };
    }
    if (!policy || n > policy.retries) return finish(outcome);
    const decision = decideRetry(context.method, outcome, policy, clock.now());
    if (!decision.retry) return finish(outcome);
    const jittered = backoffMs(decision.shortBackoff ? 1 : n, policy, clock.random);
    const delayMs = Math.ceil(decision.serverDelayMs ?? jittered);
    if (waited + delayMs > policy.budgetMs) return finish(outcome);
    waited += delayMs;
    const event: RetryEvent = { method: context.method, url: context.url, attempt: n, delayMs, reason: decision.reason };
    if (outcome.response) {
      event.status = outcome.response.status;
      // Free the connection of a response we will not read.
      await outcome.response.body?.cancel().catch(() => undefined);
    }
    if (outcome.error instanceof Error) event.error = outcome.error;
    await context.onRetry?.(event);
    if (delayMs > 0) await clock.sleep(delayMs, signal);
    if (signal?.aborted) throw signal.reason;
  }
}

function finish(outcome: { response?: Response; error?: unknown }): Response {
  if (outcome.response) return outcome.response;
  throw outcome.error;
}
