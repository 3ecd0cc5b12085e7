// Proving a successor token works: one call made as the successor, through a client like the caller's.
import { createSentryClient, type SentryClient } from "../../client.js";
import type { RateLimitOptions, SentryClientOptions } from "../../config.js";
import type { SuccessorSecret } from "./types.js";

/** Options for a client equal to `sentry`'s but acting with `token` (same base URL, org, fetch, retry, limits). */
function optionsWithToken(sentry: SentryClient, token: string): SentryClientOptions {
  const config = sentry.transport.config;
  let rateLimit: RateLimitOptions | false = false;
  if (config.rateLimit !== false) {
    const { requestsPerSecond, burst, maxConcurrent, maxConcurrentIsExplicit, redis } = config.rateLimit;
    rateLimit = { requestsPerSecond, burst, ...(maxConcurrentIsExplicit ? { maxConcurrent } : {}), ...(redis ? { redis } : {}) };
  }
  const userAgent = config.userAgent.split(" ").slice(1).join(" ");
  return {
    token,
    baseUrl: config.baseUrl,
    ...(config.org === undefined ? {} : { org: config.org }),
    rateLimit,
    retry: config.retry,
    timeoutMs: config.timeoutMs,
    ...(config.fetch ? { fetch: config.fetch } : {}),
    ...(userAgent ? { userAgent } : {}),
    ...(config.logger ? { logger: config.logger } : {}),
    ...(config.signal ? { signal: config.signal } : {}),
    clock: config.clock,
  };
}

/**
 * Proves the successor authenticates and carries the scopes it was minted with, with one cheap call made as the
 * successor: Sentry's API root (`GET /api/0/`) answers any valid token with that token's own scopes.
 * @throws {AuthenticationError} when the successor does not authenticate; an Error when its scopes
 *   differ from the ones requested (a mint step that created the wrong token).
 */
export async function verifyByCall(sentry: SentryClient, expectedScopes: readonly string[], successor: SuccessorSecret): Promise<string> {
  const probe = createSentryClient(optionsWithToken(sentry, successor.token));
  try {
    const { auth } = await probe.whoami();
    const held = new Set(auth?.scopes ?? []);
    const absent = expectedScopes.filter((scope) => !held.has(scope));
    if (absent.length > 0) {
      throw new Error(`the successor lacks the scopes it was minted for: ${absent.join(" ")}`);
    }
    return `the successor authenticated with scopes ${[...held].join(" ")}`;
  } finally {
    await probe.close();
  }
}
