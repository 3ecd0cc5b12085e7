/**
 * sentry-rbac: a typed SDK for Sentry access control — teams, members and roles, project-team links, SCIM v2,
 * API tokens and audit logs — with the recipes operators otherwise script by hand.
 *
 * Deliberately left out of this entry: the generated `paths`/`components` types for the whole API (they type
 * `sentry.raw` once a project imports `sentry-rbac/raw`, which also exports them; in this entry every consumer's
 * `tsc` would parse them, and typedoc would render an 8 MB page), the http internals (pipeline, limiter, retry)
 * and the emulator (`sentry-rbac/testing`).
 *
 * @module sentry-rbac
 */
// Client
export { createSentryClient } from "./client.js";
export { VERSION } from "./version.js";

// Errors and their guards (guards work across duplicate ESM/CJS copies, unlike instanceof)
export {
  AuthenticationError,
  ConflictError,
  LimiterUnavailableError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SentryApiError,
  SentryConfigError,
  SentryError,
  SentryNetworkError,
  SentryResponseError,
  SentryTimeoutError,
  ServerError,
  SessionRequiredError,
  ValidationError,
  isAuthenticationError,
  isConflictError,
  isLimiterUnavailableError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isSentryApiError,
  isSentryConfigError,
  isSentryError,
  isSentryNetworkError,
  isSentryResponseError,
  isSentryTimeoutError,
  isServerError,
  isSessionRequiredError,
  isValidationError,
} from "./http/errors/index.js";

// Pagination
export { Paginator, PaginationError, isPaginationError, parseLinkHeader } from "./http/pages/index.js";

// Resource metadata
export { AUDIT_LOG_EVENTS, METHOD_OPERATIONS, SDK_METHODS, isSdkMethod } from "./resources/index.js";

// Recipes (also at `sentry-rbac/recipes`)
export * from "./recipes/index.js";

export type { ClientContext, SentryClient, SentryResources } from "./client.js";
export type { Transport } from "./http/send/index.js";
export type { RawApiClient, RawClient, RawClientTypes, UntypedRawClient, UntypedRawInit, UntypedRawResult } from "./http/send/index.js";
export type { OperationId } from "./generated/operations.js";
export type {
  Clock,
  Hooks,
  ResolvedConfig,
  ResolvedRateLimit,
  ResolvedRedis,
  ResolvedRetry,
  Logger,
  RateLimitOptions,
  RedisLimiterOptions,
  RetryOptions,
  SentryClientOptions,
  TokenSource,
} from "./config.js";
export type { ApiErrorFields, ResponseFailure, SentryErrorKind, SessionRequiredInput } from "./http/errors/index.js";
export type { RateLimitEvent, RequestEvent, ResponseEvent, RetryEvent } from "./http/send/index.js";
export type { LinkHeaderOptions, LinkRelation, Page, PageFetcher, PageRequest, PaginateOptions, PaginationErrorCode, ParsedLinks } from "./http/pages/index.js";
export type * from "./resources/index.js";
