/**
 * Waiting: the retry policy, Retry-After parsing, pause cap and abortable sleep every outbound request uses
 * (retry.ts), the client-side rate limiter (limiter.ts) and its Redis-shared budget (limiter-redis.ts), and the
 * reading of Sentry's X-Sentry-Rate-Limit-* headers (rate-limit-headers.ts).
 */
export * from "./retry.js";
export * from "./limiter.js";
export * from "./ioredis.js";
