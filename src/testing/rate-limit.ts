/**
 * Sentry's rate limiter (facts §3): fixed windows per caller and endpoint, a cap on concurrent
 * requests per caller, five `X-Sentry-Rate-Limit-*` headers on every answer, and a 429 whose body
 * is a bare JSON string (no Retry-After). Also the separate invitation limit.
 */
import type { EmuAnswer } from "./http.js";
import type { RateLimitOptions, RateLimitWindow } from "./types.js";

interface Normalised {
  limit: number;
  windowMs: number;
  concurrent: number;
  perEndpoint: Record<string, RateLimitWindow>;
  invites: { perUser: number; perOrg: number; perEmail: number; windowMs: number } | false;
}

export interface Admission {
  /** Set when the request is refused. */
  refusal?: EmuAnswer;
  headers: Record<string, string>;
  /** Call once the request has been answered (frees its concurrency slot). */
  release(): void;
}

export class RateLimiter {
  private readonly config: Normalised;
  private readonly windows = new Map<string, { bucket: number; count: number }>();
  private readonly inFlight = new Map<string, number>();
  private readonly invites = new Map<string, { bucket: number; count: number }>();

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number,
  ) {
    this.config = {
      limit: options.limit ?? 40,
      windowMs: options.windowMs ?? 1000,
      concurrent: options.concurrent ?? 25,
      perEndpoint: options.perEndpoint ?? {},
      invites:
        options.invites === false
          ? false
          : {
              perUser: options.invites?.perUser ?? 100,
              perOrg: options.invites?.perOrg ?? 100,
              perEmail: options.invites?.perEmail ?? 10,
              windowMs: options.invites?.windowMs ?? 86_400_000,
            },
    };
  }

  /** Counts a request of `caller` to `endpoint` (keys: operationId and "METHOD template"). */
  admit(caller: string, endpoint: { operationId: string | null; key: string }): Admission {
    const window = (endpoint.operationId && this.config.perEndpoint[endpoint.operationId]) ||
      this.config.perEndpoint[endpoint.key] || { limit: this.config.limit, windowMs: this.config.windowMs };
    const now = this.now();
    const bucket = Math.floor(now / window.windowMs);
    const slotKey = `${caller}\u0000${endpoint.key}`;
    const slot = this.windows.get(slotKey);
    const current = slot && slot.bucket === bucket ? slot.count + 1 : 1;
    this.windows.set(slotKey, { bucket, count: current });
    const running = this.inFlight.get(caller) ?? 0;
    const windowExceeded = current > window.limit;
    const concurrencyExceeded = !windowExceeded && running >= this.config.concurrent;
    const admitted = !windowExceeded && !concurrencyExceeded;
    if (admitted) this.inFlight.set(caller, running + 1);
    const headers = {
      "X-Sentry-Rate-Limit-Limit": String(window.limit),
      "X-Sentry-Rate-Limit-Remaining": String(Math.max(0, window.limit - current)),
      "X-Sentry-Rate-Limit-Reset": String(Math.ceil(((bucket + 1) * window.windowMs) / 1000)),
      "X-Sentry-Rate-Limit-ConcurrentLimit": String(this.config.concurrent),
      "X-Sentry-Rate-Limit-ConcurrentRemaining": String(Math.max(0, this.config.concurrent - running - (admitted ? 1 : 0))),
    };
    let released = !admitted;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight.set(caller, Math.max(0, (this.inFlight.get(caller) ?? 1) - 1));
    };
    if (admitted) return { headers, release };
    const text = windowExceeded
      ? `You are attempting to use this endpoint too frequently. Limit is ${window.limit} requests in ${window.windowMs / 1000} seconds`
      : `You are attempting to go above the allowed concurrency for this endpoint. Concurrency limit is ${this.config.concurrent}`;
    // Django's HttpResponse default content type; the body is orjson.dumps(str).
    const refusal: EmuAnswer = { status: 429, rawText: JSON.stringify(text), headers: { "content-type": "text/html; charset=utf-8" } };
    return { refusal, headers, release };
  }

  /**
   * Counts one invitation against Sentry's three daily caps (src/sentry/ratelimits/utils.py
   * `for_organization_member_invite`: 100 per inviting user, 100 per org, 10 per email per org). Every
   * counter is bumped on each attempt, refused or not, as Sentry evaluates all three.
   */
  admitInvite(orgId: number, email: string, actor: string): boolean {
    const invites = this.config.invites;
    if (!invites) return true;
    const bucket = Math.floor(this.now() / invites.windowMs);
    const bump = (key: string, limit: number) => {
      const slot = this.invites.get(key);
      const count = slot && slot.bucket === bucket ? slot.count + 1 : 1;
      this.invites.set(key, { bucket, count });
      return count <= limit;
    };
    const userOk = bump(`by:${actor}`, invites.perUser);
    const orgOk = bump(`org:${orgId}`, invites.perOrg);
    const emailOk = bump(`email:${orgId}:${email.toLowerCase()}`, invites.perEmail);
    return userOk && orgOk && emailOk;
  }
}
