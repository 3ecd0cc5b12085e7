/**
 * One error hierarchy: every error class the package exports (root, `sentry-rbac/recipes`, `sentry-rbac/testing`)
 * is a SentryError with a `kind`, its own `is*` guard and a hint, and the CLI maps its kind to a documented exit code.
 * A new exported error class fails this test until it has a sample below.
 */
import { describe, expect, it } from "vitest";
import { EXIT_CODE_BY_KIND, ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";
import { SENTRY_ERROR_KINDS } from "../../src/http/errors/errors.js";
import * as root from "../../src/index.js";
import * as recipes from "../../src/recipes/index.js";
import * as testing from "../../src/testing/index.js";

const API = { status: 0, method: "GET", path: "/api/0/", url: "https://sentry.io/api/0/", detail: "x", body: undefined };
const REPORT = { rows: 1, pages: 1, lastCursor: "c1", file: undefined, format: "json", window: { since: "a", until: "b" }, events: [] };
const ROTATION = { kind: "user", current: { id: "1", name: undefined }, steps: [], successor: undefined, revoked: false, rolledBack: false, dryRun: false };

/** One instance of each exported error class, built as the package builds it. */
const SAMPLES: Record<string, () => unknown> = {
  SentryError: () => new root.SentryError("api", "x"),
  SentryConfigError: () => new root.SentryConfigError("baseUrl", "must be https"),
  SentryNetworkError: () => new root.SentryNetworkError({ method: "GET", url: "https://sentry.io/api/0/", code: "ECONNREFUSED", requestSent: false }),
  SentryTimeoutError: () => new root.SentryTimeoutError({ method: "GET", url: "https://sentry.io/api/0/", timeoutMs: 5 }),
  SessionRequiredError: () => new root.SessionRequiredError({ operationId: "createApiToken", method: "POST", path: "/api/0/api-tokens/", uiPage: "Settings" }),
  SentryApiError: () => new root.SentryApiError({ ...API, status: 418 }),
  AuthenticationError: () => new root.AuthenticationError({ ...API, status: 401 }),
  PermissionError: () => new root.PermissionError({ ...API, status: 403 }),
  NotFoundError: () => new root.NotFoundError({ ...API, status: 404 }),
  ConflictError: () => new root.ConflictError({ ...API, status: 409 }),
  ValidationError: () => root.ValidationError.forInput("slug", "must be lowercase"),
  RateLimitError: () => new root.RateLimitError({ ...API, status: 429 }),
  ServerError: () => new root.ServerError({ ...API, status: 503 }),
  SentryResponseError: () =>
    new root.SentryResponseError({ status: 200, method: "GET", path: "/api/0/", url: "https://sentry.io/api/0/", reason: "malformed" }),
  LimiterUnavailableError: () => new root.LimiterUnavailableError("redis down"),
  PaginationError: () => new root.PaginationError("invalid-option", "perPage must be 1..100"),
  AccessPlanError: () => new recipes.AccessPlanError("stale-plan", "acme changed", "Plan again."),
  TokenRotationError: () => new recipes.TokenRotationError("revoke", { message: "x", kind: "server", status: 503 }, ROTATION as never, undefined),
  AuditExportError: () => new recipes.AuditExportError(REPORT as never, new Error("stopped")),
  AuditSinkError: () => new recipes.AuditSinkError("sink refused a batch", 400),
  AuditLeaseLostError: () => new recipes.AuditLeaseLostError("sentry-rbac:audit:acme:lease"),
  AccessReviewError: () =>
    new recipes.AccessReviewError("invalid-decision", "decisions.csv line 3: empty decision", "Fill in keep, revoke, set-role or remove-teams.", 3),
  CsvSyntaxError: () => new recipes.CsvSyntaxError(2, "a quote is never closed"),
  AuditCheckpointBusyError: () => new recipes.AuditCheckpointBusyError("audit.json", "pid 42 on ci-1", "stop it first"),
  AuditRedisUnavailableError: () =>
    new recipes.AuditRedisUnavailableError("redis://:secret@127.0.0.1:6390/0", Object.assign(new Error("connect"), { code: "ECONNREFUSED" })),
};

type ErrorClass = abstract new (...args: never[]) => Error;

function errorClasses(module: Record<string, unknown>): Array<[string, ErrorClass]> {
  return Object.entries(module).filter(
    (entry): entry is [string, ErrorClass] => typeof entry[1] === "function" && (entry[1] as { prototype?: unknown }).prototype instanceof Error,
  );
}

const exported = new Map([...errorClasses(root), ...errorClasses(recipes), ...errorClasses(testing)]);
const guards: Record<string, unknown> = { ...testing, ...recipes, ...root };

describe("every exported error class", () => {
  it("has a sample here (so none escapes the checks below)", () => {
    expect([...exported.keys()].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  for (const [name, build] of Object.entries(SAMPLES)) {
    it(`${name}: a SentryError with a kind, its guard, a hint and a mapped exit code`, () => {
      const error = build() as root.SentryError;
      expect(error).toBeInstanceOf(exported.get(name) as ErrorClass);
      expect(root.isSentryError(error)).toBe(true);
      expect(SENTRY_ERROR_KINDS).toContain(error.kind);
      const guard = guards[`is${name}`];
      expect(typeof guard).toBe("function");
      expect((guard as (e: unknown) => boolean)(error)).toBe(true);
      expect((guard as (e: unknown) => boolean)(new Error("plain"))).toBe(false);
      expect("hint" in error).toBe(true);
      // An API error's hint comes from Sentry's answer and the seed's table; every other class always has one.
      if (!root.isSentryApiError(error) && error.kind !== "api") expect(error.hint).toMatch(/\S/);
      expect(Object.values(ExitCode)).toContain(exitCodeFor(error));
      expect(EXIT_CODE_BY_KIND[error.kind]).toBeDefined();
    });
  }

  it("every kind has an exit code", () => {
    for (const kind of SENTRY_ERROR_KINDS) expect(Object.values(ExitCode), kind).toContain(EXIT_CODE_BY_KIND[kind]);
  });

  it("the codes that depend on a field: a refused or stale plan 6, a token that cannot plan 3, a bad pagination option 2", () => {
    expect(exitCodeFor(new recipes.AccessPlanError("rails", "x", "y"))).toBe(ExitCode.refused);
    expect(exitCodeFor(new recipes.AccessPlanError("stale-plan", "x", "y"))).toBe(ExitCode.refused);
    expect(exitCodeFor(new recipes.AccessPlanError("token", "x", "y"))).toBe(ExitCode.auth);
    expect(exitCodeFor(new recipes.AccessPlanError("invalid-plan", "x", "y"))).toBe(ExitCode.usage);
    expect(exitCodeFor(new root.PaginationError("invalid-option", "x"))).toBe(ExitCode.usage);
    expect(exitCodeFor(new root.PaginationError("repeated-cursor", "x"))).toBe(ExitCode.failure);
    expect(exitCodeFor(new recipes.AuditSinkError("x", 400))).toBe(ExitCode.failure);
  });
});
