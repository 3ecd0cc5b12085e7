/** Parsing of Sentry's X-Sentry-Rate-Limit-* response headers (absent on self-hosted). */

/** The rate-limit state a response reports; fields are undefined when the header is missing or malformed. */
export interface RateLimitHeaders {
  limit: number | undefined;
  remaining: number | undefined;
  /** End of the current window, epoch milliseconds. */
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
 * Reads the five headers; undefined when none is present.
 * @example parseRateLimitHeaders(res.headers)?.remaining
 */
export function parseRateLimitHeaders(headers: Headers): RateLimitHeaders | undefined {
  const reset = intHeader(headers, "x-sentry-rate-limit-reset");
  const parsed: RateLimitHeaders = {
    limit: intHeader(headers, "x-sentry-rate-limit-limit"),
    remaining: intHeader(headers, "x-sentry-rate-limit-remaining"),
    resetAtMs: reset === undefined ? undefined : reset * 1000,
    concurrentLimit: intHeader(headers, "x-sentry-rate-limit-concurrentlimit"),
    concurrentRemaining: intHeader(headers, "x-sentry-rate-limit-concurrentremaining"),
  };
  return Object.values(parsed).some((v) => v !== undefined) ? parsed : undefined;
}

/** True for a 429 caused by too many requests in flight rather than a spent window. */
export function isConcurrencyLimited(h: RateLimitHeaders | undefined): boolean {
  return h?.concurrentRemaining === 0 && h.remaining !== 0;
}
