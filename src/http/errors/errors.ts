/**
 * The error classes the SDK throws. Every error carries a `kind` discriminant and a Symbol.for brand, so the
 * `is*` guards work across duplicate copies of the package (ESM and CJS both loaded), where `instanceof` fails.
 * Values are redacted here, when the error is built (see redact.ts); api-error.ts maps a failed response to a class.
 */
import { REDACTED, redactText, redactUrl, redactValue } from "./redact.js";

const BRAND = Symbol.for("sentry-rbac.error");
// Sentry's request and event ids are uuid4 values, as 32 hex digits or dashed. Anything else in that header (a
// proxy's own id, injected text, a token echoed back) is not copied into an error.
const REQUEST_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Discriminant of every error class. The first rows are the transport's; the last row's kinds belong to the
 * workflows (recipes) and pagination, each with its class beside the code that throws it.
 */
export type SentryErrorKind =
  | "config"
  | "network"
  | "timeout"
  | "session-required"
  | "api"
  | "authentication"
  | "permission"
  | "not-found"
  | "conflict"
  | "validation"
  | "rate-limit"
  | "server"
  | "response"
  | "limiter-unavailable"
  | "pagination"
  | "access-plan"
  | "token-rotation"
  | "audit-export"
  | "audit-sink"
  | "audit-lease-lost"
  | "audit-checkpoint-busy"
  | "audit-redis-unavailable"
  | "access-review"
  | "csv-syntax";

/** Every kind, for exhaustive tables (the CLI's exit codes, docs/errors.md). */
export const SENTRY_ERROR_KINDS: readonly SentryErrorKind[] = Object.freeze([
  "config",
  "network",
  "timeout",
  "session-required",
  "api",
  "authentication",
  "permission",
  "not-found",
  "conflict",
  "validation",
  "rate-limit",
  "server",
  "response",
  "limiter-unavailable",
  "pagination",
  "access-plan",
  "token-rotation",
  "audit-export",
  "audit-sink",
  "audit-lease-lost",
  "audit-checkpoint-busy",
  "audit-redis-unavailable",
  "access-review",
  "csv-syntax",
] as const);

// The next step when a class has nothing more specific to say; classes that know better pass their own hint.
const DEFAULT_HINTS: Partial<Record<SentryErrorKind, string>> = {
  config: "Fix the option named in the message; nothing was sent.",
  timeout: "Raise timeoutMs, or check the network path to Sentry.",
  "limiter-unavailable": 'Check that the Redis named in rateLimit.redis answers, or set rateLimit.redis.onUnavailable to "local".',
};

/**
 * Base of everything the SDK throws: a `kind`, a `hint` (the next step, when one is known), a redacted message.
 * @example if (isSentryError(err)) console.error(err.kind, err.message, err.hint);
 */
export class SentryError extends Error {
  readonly kind: SentryErrorKind;
  /** What to do next, in a sentence; undefined only where nothing useful can be said (an API error Sentry explains). */
  readonly hint: string | undefined;
  /** @internal The cross-copy brand the `is*` guards read. */
  declare readonly [BRAND]: true;

  constructor(kind: SentryErrorKind, message: string, options?: { cause?: unknown; hint?: string | undefined }) {
    super(redactText(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.name = new.target.name;
    this.hint = options?.hint ?? DEFAULT_HINTS[kind];
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** Plain, already-redacted view used by JSON.stringify. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/**
 * A client option is wrong; raised by `createSentryClient` before any request. `option` names it.
 * @example
 * try { createSentryClient({ baseUrl: "http://sentry.example.com" }); }
 * catch (e) { if (isSentryConfigError(e)) console.error(e.option); } // "baseUrl"
 */
export class SentryConfigError extends SentryError {
  readonly option: string;
  constructor(option: string, message: string) {
    super("config", `Invalid option \`${option}\`: ${message}`);
    this.option = option;
  }
}

// What a connection failure was, in words, and whether trying again can help: a host that does not resolve or
// a certificate that does not verify fails the same way every time, so those are reported at once.
const NETWORK_CAUSES: ReadonlyArray<readonly [RegExp, string, boolean]> = [
  [/^ECONNREFUSED$/, "connection refused", true],
  [/^ENOTFOUND$/, "DNS lookup failed: host not found", false],
  [/^EAI_AGAIN$/, "DNS lookup failed (temporary)", true],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/, "connection reset", true],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT)$/, "connection timed out", true],
  [/^(EHOSTUNREACH|ENETUNREACH)$/, "host unreachable", true],
  [/CERT|^ERR_TLS_|^ERR_SSL_|SSL|^UNABLE_TO_(VERIFY|GET)_/, "TLS error: the server's certificate could not be verified", false],
  // fetch's own refusal, without a code: the Fetch standard blocks some ports (1, 22, 25, 6000…) outright.
  [/^bad port$/, "blocked port: fetch never connects to this port (use the port Sentry listens on)", false],
];

/**
 * Reads a connection failure's code: its words, and whether a retry could help.
 * @example describeNetworkCode("ENOTFOUND") // { reason: "DNS lookup failed: host not found", retryable: false }
 */
export function describeNetworkCode(code: string | undefined): { reason: string; retryable: boolean } {
  const known = code === undefined ? undefined : NETWORK_CAUSES.find(([pattern]) => pattern.test(code));
  if (known) return { reason: known[1], retryable: known[2] };
  return { reason: "network error", retryable: true };
}

/**
 * The request could not be completed (DNS, refused or reset connection, TLS). The message names the cause and the
 * URL; `retryable` is false for causes no retry can fix (unknown host, bad certificate), which are not retried.
 * `requestSent` false means provably not applied.
 * @example
 * catch (e) { if (isSentryNetworkError(e) && !e.requestSent) await retryLater(); }
 */
export class SentryNetworkError extends SentryError {
  readonly method: string;
  readonly url: string;
  readonly code: string | undefined;
  readonly requestSent: boolean;
  /** The cause in words: "connection refused", "DNS lookup failed: host not found", "TLS error: …". */
  readonly reason: string;
  readonly retryable: boolean;
  override readonly hint: string;
  constructor(input: { method: string; url: string; code?: string | undefined; requestSent: boolean; cause?: unknown; detail?: string | undefined }) {
    // Without a code, the cause's own words (undici's "bad port", say) rather than a bare "network error".
    const described = describeNetworkCode(input.code ?? input.detail);
    const retryable = described.retryable;
    const reason = input.code === undefined && input.detail && described.reason === "network error" ? `network error: ${input.detail}` : described.reason;
    const code = input.code ? ` (${input.code})` : "";
    const url = redactUrl(input.url);
    super("network", `${input.method} ${url} failed: ${reason}${code}`, { cause: input.cause });
    this.method = input.method;
    this.url = url;
    this.code = input.code;
    this.requestSent = input.requestSent;
    this.reason = reason;
    this.retryable = retryable;
    let origin = url;
    try {
      origin = new URL(url).origin;
    } catch {
      // Not a URL (a test's custom fetch): name the address as given.
    }
    this.hint = retryable
      ? `Check that Sentry answers at ${origin} (the base URL) and that the network allows it.`
      : `Check the base URL (${origin}): its host name, port and certificate; retrying will not help.`;
  }
}

/**
 * One attempt exceeded `timeoutMs`: before the answer's headers (`phase: "headers"`), or while its body was still
 * arriving (`phase: "body"`, with the answer's `status` and `requestId`). Idempotent calls are retried first.
 * @example
 * catch (e) { if (isSentryTimeoutError(e)) console.error(`gave up after ${e.timeoutMs} ms (${e.phase})`); }
 */
export class SentryTimeoutError extends SentryError {
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;
  /** Where the attempt was when time ran out: waiting for the answer, or reading its body. */
  readonly phase: "headers" | "body";
  /** The answer's status, when its headers had arrived (`phase: "body"`). */
  readonly status: number | undefined;
  /** Sentry's request id, when its headers had arrived. */
  readonly requestId: string | undefined;
  override readonly hint: string;
  constructor(input: {
    method: string;
    url: string;
    timeoutMs: number;
    phase?: "headers" | "body";
    status?: number;
    requestId?: string | undefined;
    cause?: unknown;
  }) {
    const phase = input.phase ?? "headers";
    const what = phase === "body" ? `its body stopped arriving (status ${input.status ?? "unknown"})` : "no answer";
    super("timeout", `${input.method} ${redactUrl(input.url)} timed out after ${input.timeoutMs} ms: ${what}`, { cause: input.cause });
    this.method = input.method;
    this.url = redactUrl(input.url);
    this.timeoutMs = input.timeoutMs;
    this.phase = phase;
    this.status = input.status;
    this.requestId = input.requestId !== undefined && REQUEST_ID.test(input.requestId) ? input.requestId : undefined;
    this.hint = "Raise timeoutMs if Sentry is slow to answer, or check the network path to it.";
  }
}

/** Where in Sentry's UI a session-only action can be done instead. */
export interface SessionRequiredInput {
  operationId: string;
  method: string;
  /** Path template of the refused operation. */
  path: string;
  /** The UI page, in Sentry's menu words, e.g. "Settings > Account > Personal Tokens". */
  uiPage: string;
  /** The page's address on the configured Sentry, when known. */
  uiUrl?: string | undefined;
}

/**
 * The operation accepts only a browser session (Sentry ignores bearer tokens on it and would answer a generic 401),
 * so the SDK refuses it before sending. `hint` names the UI page where a person can do it instead.
 * @example
 * try { await sentry.apiTokens.create({ name: "ci", scopes: ["org:read"] }); }
 * catch (e) { if (isSessionRequiredError(e)) console.error(e.hint); }
 */
export class SessionRequiredError extends SentryError {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly uiPage: string;
  readonly uiUrl: string | undefined;
  override readonly hint: string;

  constructor(input: SessionRequiredInput) {
    const where = input.uiUrl ? `${input.uiPage} (${input.uiUrl})` : input.uiPage;
    const hint = `Use the Sentry UI, ${where}, or a tool signed in with a browser session.`;
    super("session-required", `${input.method} ${input.path} (${input.operationId}) needs a browser session; Sentry ignores bearer tokens there. ${hint}`);
    this.operationId = input.operationId;
    this.method = input.method;
    this.path = input.path;
    this.uiPage = input.uiPage;
    this.uiUrl = input.uiUrl;
    this.hint = hint;
  }
}

/** Fields shared by every API error. */
export interface ApiErrorFields {
  status: number;
  method: string;
  /** Path template when the operation is known, else the pathname. */
  path: string;
  url: string;
  operationId?: string | undefined;
  detail: string;
  /** What the message says went wrong, when it says more than `detail` (a 404 names its subject); default `detail`. */
  summary?: string | undefined;
  body: unknown;
  fieldErrors?: Record<string, string[]> | undefined;
  hint?: string | undefined;
  requestId?: string | undefined;
  /** False for errors raised on input before any request was made. */
  requestSent?: boolean;
}

/**
 * Sentry answered with a non-2xx status. Subclasses per status; `detail` is Sentry's message.
 * @example catch (e) { if (isSentryApiError(e) && e.status === 404) return undefined; throw e; }
 */
export class SentryApiError extends SentryError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly url: string;
  readonly operationId: string | undefined;
  readonly detail: string;
  /** The message's account of the failure: `detail`, or for a 404 the subject ("team 'x' not found in acme"). */
  readonly summary: string;
  readonly body: unknown;
  readonly fieldErrors: Record<string, string[]> | undefined;
  override readonly hint: string | undefined;
  readonly requestId: string | undefined;
  readonly requestSent: boolean;

  constructor(fields: ApiErrorFields, kind: SentryErrorKind = "api") {
    // The real path, not the template: "GET /api/0/teams/acme/nosuchteam/" says which object was meant.
    const where = fields.method ? `${fields.method} ${pathnameOf(fields.url) ?? fields.path}: ` : "";
    const status = fields.requestSent === false ? "" : `${fields.status} `;
    super(kind, `${status}${where}${fields.summary ?? fields.detail}${fields.hint ? ` (${fields.hint})` : ""}`);
    this.status = fields.status;
    this.method = fields.method;
    this.path = fields.path;
    this.url = redactUrl(fields.url);
    this.operationId = fields.operationId;
    this.detail = redactText(fields.detail);
    this.summary = fields.summary === undefined ? this.detail : redactText(fields.summary);
    this.body = redactValue(fields.body);
    this.fieldErrors = fields.fieldErrors ? redactValue(fields.fieldErrors) : undefined;
    this.hint = fields.hint;
    this.requestId = fields.requestId === undefined ? undefined : REQUEST_ID.test(fields.requestId) ? fields.requestId : REDACTED;
    this.requestSent = fields.requestSent ?? true;
  }
}

function pathnameOf(url: string): string | undefined {
  try {
    return new URL(redactUrl(url)).pathname;
  } catch {
    return undefined;
  }
}

/**
 * 401: the token is missing, invalid or expired (or a SCIM call used the wrong token).
 * @example
 * catch (e) { if (isAuthenticationError(e)) console.error(e.hint); }
 */
export class AuthenticationError extends SentryApiError {
  constructor(fields: ApiErrorFields) {
    super(fields, "authentication");
  }
}

/**
 * 403: the token lacks a scope or its member's role is too low. `requiredScopes` come from the operation table;
 * `missingScopes` from the token's own scopes (Sentry's API root): empty when the role, not the token, refused.
 * @example
 * catch (e) { if (isPermissionError(e)) console.error(`needs one of ${e.requiredScopes.join(", ")}`, e.hint); }
 */
export class PermissionError extends SentryApiError {
  readonly requiredScopes: string[];
  readonly missingScopes: string[] | undefined;
  constructor(fields: ApiErrorFields & { requiredScopes?: readonly string[]; missingScopes?: readonly string[] | undefined }) {
    super(fields, "permission");
    this.requiredScopes = [...(fields.requiredScopes ?? [])];
    this.missingScopes = fields.missingScopes ? [...fields.missingScopes] : undefined;
  }
}

/**
 * 404: the resource does not exist or belongs to another organization.
 * @example
 * const team = await sentry.org.teams.get("payments").catch((e) => (isNotFoundError(e) ? undefined : Promise.reject(e)));
 */
export class NotFoundError extends SentryApiError {
  constructor(fields: ApiErrorFields) {
    super(fields, "not-found");
  }
}

/**
 * 409, and Sentry's 400 invite conflicts ("already a member", "already been invited", "existing invite request").
 * @example
 * try { await sentry.org.members.invite({ email: "ana@acme.com" }); }
 * catch (e) { if (!isConflictError(e)) throw e; } // already invited or a member: fine
 */
export class ConflictError extends SentryApiError {
  constructor(fields: ApiErrorFields) {
    super(fields, "conflict");
  }
}

/**
 * 400 with field errors; also raised by resources on bad input before any request (`requestSent: false`).
 * @example throw ValidationError.forInput("slug", "must be lowercase letters, digits, - or _");
 */
export class ValidationError extends SentryApiError {
  readonly field: string | undefined;
  constructor(fields: ApiErrorFields & { field?: string }) {
    super(fields, "validation");
    this.field = fields.field ?? (fields.fieldErrors ? Object.keys(fields.fieldErrors)[0] : undefined);
  }

  /** Bad input caught before sending: status 400, empty method/path, `requestSent` false. */
  static forInput(field: string, message: string): ValidationError {
    // `this`, not the class's own name: a class that names itself is renamed by the bundler (`_ValidationError`).
    return new this({
      status: 400,
      method: "",
      path: "",
      url: "",
      detail: `${field}: ${message}`,
      body: undefined,
      fieldErrors: { [field]: [message] },
      requestSent: false,
      field,
    });
  }
}

/**
 * 429: rate-limited (after the client's own retries). `concurrent` tells a too-many-in-flight 429 from a spent window.
 * @example
 * catch (e) { if (isRateLimitError(e)) await sleep(e.retryAfterMs ?? 1000); }
 */
export class RateLimitError extends SentryApiError {
  readonly retryAfterMs: number | undefined;
  readonly concurrent: boolean;
  /** When the endpoint accepts requests again, when known (a pause longer than the caller's budget ends here). */
  readonly resumesAt: Date | undefined;
  constructor(fields: ApiErrorFields & { retryAfterMs?: number | undefined; concurrent?: boolean; resumesAt?: Date | undefined }) {
    super(fields, "rate-limit");
    this.retryAfterMs = fields.retryAfterMs;
    this.concurrent = fields.concurrent ?? false;
    this.resumesAt = fields.resumesAt;
  }
}

/**
 * 5xx: Sentry failed; `requestId` (errorId) helps Sentry support.
 * @example
 * catch (e) { if (isServerError(e)) console.error(`Sentry error ${e.status}, id ${e.requestId}`); }
 */
export class ServerError extends SentryApiError {
  constructor(fields: ApiErrorFields) {
    super(fields, "server");
  }
}

/** Why a response's body could not be used. `stalled` is kept for compatibility: a stall is now a SentryTimeoutError. */
export type ResponseFailure = "malformed" | "truncated" | "stalled" | "too-large";

const RESPONSE_HINTS: Record<ResponseFailure, string> = {
  malformed: "The body is not the JSON Sentry sends (a proxy or captive portal may have answered); check baseUrl and any proxy in between.",
  truncated: "The connection closed before the whole body arrived; safe (idempotent) calls were retried.",
  stalled:
    'The body stopped arriving before timeoutMs ran out; raise timeoutMs or check the network path. (No longer produced: a stalled body is a SentryTimeoutError with phase "body".)',
  "too-large": "The body passed maxResponseBytes; raise that option if answers of this size are expected.",
};

/**
 * The server answered (so `status` and `requestId` are known) but its body could not be used: malformed JSON, cut
 * mid-stream, or larger than `maxResponseBytes` (a body stalled past `timeoutMs` is a SentryTimeoutError). Idempotent calls are retried before this
 * surfaces (except for `too-large`, which a retry would only repeat); a POST is not, since the server acted.
 * @example
 * catch (e) { if (isSentryResponseError(e)) console.error(e.reason, e.status, e.requestId, e.hint); }
 */
export class SentryResponseError extends SentryApiError {
  readonly reason: ResponseFailure;
  constructor(fields: Omit<ApiErrorFields, "detail" | "body" | "hint"> & { reason: ResponseFailure; detail?: string; cause?: unknown }) {
    const detail = fields.detail ?? `unusable response body (${fields.reason})`;
    super({ ...fields, detail, body: undefined, hint: RESPONSE_HINTS[fields.reason] }, "response");
    this.reason = fields.reason;
    if (fields.cause !== undefined) Object.defineProperty(this, "cause", { value: fields.cause, enumerable: false, configurable: true, writable: true });
  }
}

/**
 * The shared (Redis) rate limiter could not be reached within `rateLimit.redis.connectTimeoutMs` and
 * `rateLimit.redis.onUnavailable` is `"fail"`. With `"local"` (the default) the client falls back to its
 * in-process limiter instead and logs one warning.
 * @example
 * catch (e) { if (isLimiterUnavailableError(e)) console.error("shared budget unavailable:", e.message); }
 */
export class LimiterUnavailableError extends SentryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("limiter-unavailable", message, options);
  }
}

function branded(e: unknown): e is SentryError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is the guard's target type, named at each call
function ofKind<T extends SentryError>(...kinds: SentryErrorKind[]) {
  return (e: unknown): e is T => branded(e) && kinds.includes(e.kind);
}

/** True for any error thrown by this SDK, from any copy of it. */
export const isSentryError = branded;
/**
 * True for an SDK error of one kind, from any copy of the SDK; the workflows' `is*` guards are built on it.
 * @example const isAuditSinkError = (e: unknown): e is AuditSinkError => isSentryErrorOfKind(e, "audit-sink");
 */
export function isSentryErrorOfKind(value: unknown, kind: SentryErrorKind): value is SentryError {
  return branded(value) && value.kind === kind;
}
/**
 * True for errors that carry an HTTP status from Sentry (or a pre-request ValidationError), from any copy of the SDK.
 * @example catch (e) { if (isSentryApiError(e)) console.error(e.status, e.detail, e.hint); }
 */
export const isSentryApiError = (e: unknown): e is SentryApiError => branded(e) && typeof (e as { status?: unknown }).status === "number";
export const isSentryConfigError = ofKind<SentryConfigError>("config");
export const isSentryNetworkError = ofKind<SentryNetworkError>("network");
export const isSentryTimeoutError = ofKind<SentryTimeoutError>("timeout");
export const isSessionRequiredError = ofKind<SessionRequiredError>("session-required");
export const isAuthenticationError = ofKind<AuthenticationError>("authentication");
export const isPermissionError = ofKind<PermissionError>("permission");
export const isNotFoundError = ofKind<NotFoundError>("not-found");
export const isConflictError = ofKind<ConflictError>("conflict");
export const isValidationError = ofKind<ValidationError>("validation");
export const isRateLimitError = ofKind<RateLimitError>("rate-limit");
export const isServerError = ofKind<ServerError>("server");
export const isSentryResponseError = ofKind<SentryResponseError>("response");
export const isLimiterUnavailableError = ofKind<LimiterUnavailableError>("limiter-unavailable");
