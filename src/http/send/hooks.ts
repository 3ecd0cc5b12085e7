/**
 * User-visible hooks and the logger. Payloads are built from redacted values only: no token, no Authorization
 * header, token fields of bodies masked.
 */
import { redactText } from "../errors/redact.js";

/** Sent before each attempt. `url` is redacted. */
export interface RequestEvent {
  method: string;
  url: string;
  /** 1 for the first attempt, 2 for the first retry... */
  attempt: number;
  operationId: string | undefined;
}

/** Sent after each attempt that got a response. */
export interface ResponseEvent {
  method: string;
  url: string;
  status: number;
  durationMs: number;
  attempt: number;
  operationId: string | undefined;
  /** Reads the body (JSON parsed, else text) with token fields masked. Only read when you need it. */
  body(): Promise<unknown>;
}

/** Sent before a retry's backoff sleep. */
export interface RetryEvent {
  method: string;
  url: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  /** `response`: the answer's body was cut or malformed (see SentryResponseError); a stalled body is a `timeout`. */
  reason: "network" | "timeout" | "status" | "rate-limit" | "response";
  status?: number;
  error?: Error;
}

/** Sent when Sentry rate-limits an endpoint and the limiter pauses or narrows it. */
export interface RateLimitEvent {
  /** Limiter key: `METHOD /api/0/path/{template}/`. */
  endpoint: string;
  /** When the endpoint's window resets, if known. */
  resetAt: Date | undefined;
  /** True when the 429 was for too many requests in flight rather than a spent window. */
  concurrent: boolean;
}

/** Callbacks observing the transport. A hook that throws is logged and does not fail the request. */
export interface Hooks {
  onRequest?(event: RequestEvent): void | Promise<void>;
  onResponse?(event: ResponseEvent): void | Promise<void>;
  onRetry?(event: RetryEvent): void | Promise<void>;
  onRateLimit?(event: RateLimitEvent): void | Promise<void>;
}

/** Where the SDK writes diagnostics; messages are redacted before they get here. */
export interface Logger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
  error?(message: string, meta?: Record<string, unknown>): void;
}

/** Calls hooks and the logger so that neither a throwing hook nor an unredacted message escapes. */
export class Observer {
  constructor(
    private readonly hooks: Hooks,
    private readonly logger: Logger | undefined,
    private readonly secrets: () => Iterable<string>,
  ) {}

  get wantsResponses(): boolean {
    return typeof this.hooks.onResponse === "function";
  }

  /** True when any hook or a logger is set: only then are event payloads (redacted URLs, messages) worth building. */
  get active(): boolean {
    return this.logger !== undefined || Object.values(this.hooks).some((hook) => typeof hook === "function");
  }

  log(level: keyof Logger, message: string, meta?: Record<string, unknown>): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(this.logger)
    const fn = this.logger?.[level];
    if (typeof fn !== "function") return;
    try {
      fn.call(this.logger, redactText(message, this.secrets()), meta);
    } catch {
      // A broken logger must not break the request it is reporting on; there is nowhere left to report to.
    }
  }

  async emit<K extends keyof Hooks>(name: K, event: Parameters<NonNullable<Hooks[K]>>[0]): Promise<void> {
    const hook = this.hooks[name] as ((e: typeof event) => void | Promise<void>) | undefined;
    if (typeof hook !== "function") return;
    try {
      await hook.call(this.hooks, event);
    } catch (error) {
      this.log("warn", `hook ${name} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
