/** Parsing of Sentry's X-Sentry-Rate-Limit-* response headers (absent on self-hosted). */
import { serverClockOffsetMs } from "./retry.js";

/** The rate-limit state a response reports; fields are undefined when the header is missing or malformed. */
export interface RateLimitHeaders {
  limit: number | undefined;
  remaining: number | undefined;
  /**
   * End of the current window, epoch milliseconds on our clock: corrected by the response's `Date` when the clocks
   * disagree, and no later than `now + capMs` when `now` is given.
   */
  resetAtMs: number | undefined;
  concurrentLimit: number | undefined;
  concurrentRemaining: number | undefined;
}

function intHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d+(\.\d+)?\s*$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * Reads the five headers; undefined when none is present. Give `now` (and the pause cap) to get a Reset that is
 * safe to wait for; without it the Reset is the server's raw value.
 * @example parseRateLimitHeaders(res.headers, Date.now(), 60_000)?.remaining
 */
export function parseRateLimitHeaders(headers: Headers, now?: number, capMs = Number.POSITIVE_INFINITY): RateLimitHeaders | undefined {
  const reset = intHeader(headers, "x-sentry-rate-limit-reset");
  let resetAtMs = reset === undefined ? undefined : reset * 1000;
  if (resetAtMs !== undefined && now !== undefined) resetAtMs = Math.min(now + capMs, resetAtMs - serverClockOffsetMs(headers, now));
  const parsed: RateLimitHeaders = {
    limit: intHeader(headers, "x-sentry-rate-limit-limit"),
    remaining: intHeader(headers, "x-sentry-rate-limit-remaining"),
    resetAtMs,
    concurrentLimit: intHeader(headers, "x-sentry-rate-limit-concurrentlimit"),
    concurrentRemaining: intHeader(headers, "x-sentry-rate-limit-concurrentremaining"),
  };
  return Object.values(parsed).some((v) => v !== undefined) ? parsed : undefined;
}

/** True for a 429 caused by too many requests in flight rather than a spent window. */
export function isConcurrencyLimited(h: RateLimitHeaders | undefined): boolean {
  return h?.concurrentRemaining === 0 && h.remaining !== 0;
}
