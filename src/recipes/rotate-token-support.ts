/**
 * What token rotation needs besides its step sequence: a client acting with the successor token (to prove it
 * authenticates), the session-side inventory used to find successors after a crash, and errors that can be logged
 * without carrying a token value.
 */
import { createSentryClient, type SentryClient } from "../client.js";
import type { RateLimitOptions, SentryClientOptions } from "../config.js";
import { isSentryApiError, isSentryError, isSessionRequiredError } from "../http/errors.js";
import { redactText } from "../http/redact.js";

/** A token kind whose rotation Sentry's API supports with a bearer token (revocation only; see rotateToken). */
export type RotatableTokenKind = "user" | "org";

/** A token as the token endpoints describe it (never its value). */
export interface TokenRecord {
  id: string;
  name: string;
  scopes?: readonly string[];
  dateCreated?: string;
  expiresAt?: string | null;
  kind?: RotatableTokenKind;
}

/** Token records, or a function producing them (e.g. a session-authenticated listing); read once per run. */
export type TokenInventory = readonly TokenRecord[] | (() => Promise<readonly TokenRecord[]>);

/** The successor as handed to `publish` and `verify`: the only object that ever holds the token value. */
export interface SuccessorSecret {
  id: string;
  name: string;
  token: string;
}

/** The steps of a rotation, in order. */
export type RotationStep = "lookup" | "find-successors" | "mint" | "verify" | "publish" | "revoke-stale" | "revoke" | "rollback";

/** One step as reported: `planned` only in a dry run. */
export interface RotationStepRecord {
  step: RotationStep;
  status: "planned" | "done" | "skipped" | "failed";
  /** What happened, in words; never a token value. */
  detail: string;
}

/** The outcome of {@link rotateToken}; safe to log or serialise (no token value anywhere). */
export interface RotationReport {
  kind: RotatableTokenKind;
  current: { id: string; name: string | undefined };
  steps: RotationStepRecord[];
  /** The successor's id and name (never its value); undefined when none was minted or found. */
  successor: { id: string; name: string } | undefined;
  /** True once the current token is revoked (now, or by an earlier run). */
  revoked: boolean;
  /** True when a failure before revocation deleted the successor again. */
  rolledBack: boolean;
  dryRun: boolean;
}

/** What one failed step is reported as: SDK errors keep their (already redacted) message, others only their class. */
export interface FailureSummary {
  message: string;
  kind: string;
  status: number | undefined;
}

/** Describes an error without letting `secrets` (or any token-looking text) through. */
export function summarise(error: unknown, secrets: readonly string[]): FailureSummary {
  const status = isSentryApiError(error) ? error.status : undefined;
  if (isSentryError(error)) return { message: redactText(error.message, secrets), kind: error.kind, status };
  const text = error instanceof Error ? `${error.name}: ${error.message}` : "non-Error value thrown";
  return { message: redactText(text, secrets), kind: "callback", status };
}

/**
 * A rotation step failed. `report` says what was done and undone; `step` which step failed. The underlying error is
 * kept as `cause` only when it is an SDK error (already redacted); a caller's own error is reduced to its redacted
 * message, because `publish` or `mint` might have put the token value into it.
 * @example
 * try { await rotateToken(sentry, options); }
 * catch (e) { if (isTokenRotationError(e)) console.error(e.step, e.report.rolledBack); }
 */
export class TokenRotationError extends Error {
  readonly kind: "token-rotation";
  readonly step: RotationStep;
  readonly report: RotationReport;
  readonly failure: FailureSummary;
  readonly hint: string;

  constructor(step: RotationStep, failure: FailureSummary, report: RotationReport, cause: unknown, hintOverride?: string) {
    const hint = hintOverride ?? (report.revoked
      ? "The successor is published and the old token is revoked; fix the cause, then re-run to clean up."
      : report.rolledBack
        ? "Nothing changed: the successor was deleted again and the current token still works. Fix the cause and re-run."
        : "The current token still works. Re-run to finish: a leftover successor is found by name and replaced.");
    super(`token rotation failed at ${step}: ${failure.message}. ${hint}`, isSentryError(cause) ? { cause } : undefined);
    this.name = "TokenRotationError";
    this.kind = "token-rotation";
    this.step = step;
    this.report = report;
    this.failure = failure;
    this.hint = hint;
  }
}

/**
 * True for a {@link TokenRotationError}, also across duplicate copies of the package.
 * @example catch (e) { if (isTokenRotationError(e)) console.error(e.step, e.hint); }
 */
export function isTokenRotationError(value: unknown): value is TokenRotationError {
  return value instanceof Error && (value as { kind?: unknown }).kind === "token-rotation" && "report" in value;
}

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

/** Reads the inventory, or the SDK's list endpoints when none is given (undefined when those need a session). */
export async function readInventory(sentry: SentryClient, kind: RotatableTokenKind, inventory: TokenInventory | undefined): Promise<readonly TokenRecord[] | undefined> {
  if (inventory !== undefined) return typeof inventory === "function" ? await inventory() : inventory;
  try {
    const list = kind === "user" ? sentry.apiTokens.list() : sentry.org.authTokens.list();
    return (await list.toArray()).map((token) => ({ id: String(token.id), name: token.name ?? "" }));
  } catch (error) {
    // Sentry serves token lists only to a browser session; without an inventory, crash recovery cannot find by name.
    if (isSessionRequiredError(error)) return undefined;
    throw error;
  }
}
