/**
 * Maps a failed response to the SentryApiError subclass for its status, with the detail, field errors, required
 * (and, when the token's scopes are known, missing) scopes, and a hint. Everything is redacted as it is built.
 */
import { parseErrorBody } from "./error-body.js";
import {
  type ApiErrorFields,
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SentryApiError,
  ServerError,
  ValidationError,
} from "./errors.js";
import { hintFor } from "./hints.js";
import { notFoundDetail } from "./not-found.js";
import { matchOperation, missingScopes as computeMissing } from "../send/operations.js";
import { isConcurrencyLimited, parseRateLimitHeaders } from "../limits/rate-limit-headers.js";
import { redactUrl, redactValue } from "./redact.js";
import { serverDelayMs } from "../limits/retry.js";

/** Everything `createApiError` needs about a failed response. */
export interface ApiErrorInput {
  status: number;
  method: string;
  url: string;
  /** Path template; looked up from the operation table when omitted. */
  path?: string;
  operationId?: string;
  body: unknown;
  headers?: Headers;
  usedScimToken?: boolean;
  tokenScopes?: readonly string[];
  /** Clock for Retry-After / Reset; defaults to Date.now. */
  now?: number;
  /** Known secret values (the tokens in use) to mask wherever they appear. */
  secrets?: Iterable<string>;
}

const INVITE_CONFLICT = /already a member|already been invited|existing invite request/i;

/**
 * Builds the right SentryApiError subclass for a non-2xx response, with detail, field errors, scopes and a hint.
 * @example throw createApiError({ status: res.status, method: "GET", url: res.url, body: await res.json() });
 */
export function createApiError(input: ApiErrorInput): SentryApiError {
  const method = input.method.toUpperCase();
  const pathname = safePathname(input.url);
  const matched = input.path === undefined || input.operationId === undefined ? matchOperation(method, stripToApi(pathname)) : undefined;
  const path = input.path ?? matched?.path ?? pathname;
  const operationId = input.operationId ?? matched?.operationId;
  const secrets = [...(input.secrets ?? [])];
  const body = redactValue(input.body, secrets);
  const url = redactUrl(input.url, secrets);
  const parsed = parseErrorBody(body, input.status);
  const headers = input.headers ?? new Headers();
  const requestId = headers.get("x-sentry-request-id") ?? parsed.errorId ?? undefined;
  const base: ApiErrorFields = {
    status: input.status,
    method,
    path,
    url,
    operationId,
    detail: parsed.detail,
    body,
    fieldErrors: parsed.fieldErrors,
    requestId,
  };
  const hintBase = { status: input.status, method, path, operationId, usedScimToken: input.usedScimToken, detail: parsed.detail };
  const { status } = input;
  if (status === 401) return new AuthenticationError({ ...base, hint: hintFor(hintBase) });
  if (status === 403) {
    const requiredScopes = matched?.scopes ?? (operationId ? matchOperation(method, stripToApi(pathname))?.scopes : undefined) ?? [];
    const missing = input.tokenScopes ? computeMissing(requiredScopes, input.tokenScopes) : undefined;
    const hint = hintFor({ ...hintBase, requiredScopes, missingScopes: missing });
    return new PermissionError({ ...base, hint, requiredScopes, missingScopes: missing });
  }
  if (status === 404) {
    const summary = path === pathname ? undefined : notFoundDetail(path, stripToApi(pathname), parsed.detail);
    return new NotFoundError({ ...base, summary, hint: hintFor(hintBase) });
  }
  if (status === 409 || (status === 400 && INVITE_CONFLICT.test(parsed.allMessages))) {
    return new ConflictError({ ...base, hint: hintFor(hintBase) });
  }
  if (status === 400 || status === 422) return new ValidationError({ ...base, hint: hintFor(hintBase) });
  if (status === 429) {
    const info = rateLimitInfo(headers, input.now ?? Date.now());
    const hint = hintFor({ ...hintBase, concurrent: info.concurrent, retryAfterMs: info.retryAfterMs });
    return new RateLimitError({ ...base, hint, ...info });
  }
  if (status >= 500) return new ServerError({ ...base, hint: hintFor(hintBase) });
  return new SentryApiError({ ...base, hint: hintFor(hintBase) });
}

function rateLimitInfo(headers: Headers, now: number): { retryAfterMs: number | undefined; concurrent: boolean; resumesAt: Date | undefined } {
  // The same reading of Retry-After / X-Sentry-Rate-Limit-Reset as the retry policy and the limiter use.
  const retryAfterMs = serverDelayMs(headers, now);
  return {
    retryAfterMs,
    concurrent: isConcurrencyLimited(parseRateLimitHeaders(headers)),
    resumesAt: retryAfterMs === undefined ? undefined : new Date(now + retryAfterMs),
  };
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

/** Drops a self-hosted prefix so the path starts at /api/0/. */
function stripToApi(pathname: string): string {
  const at = pathname.indexOf("/api/0/");
  return at > 0 ? pathname.slice(at) : pathname;
}
