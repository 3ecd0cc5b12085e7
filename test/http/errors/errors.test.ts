import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createApiError } from "../../../src/http/errors/api-error.js";
import {
  AuthenticationError,
  ConflictError,
  isRateLimitError,
  isSentryApiError,
  isSentryError,
  isValidationError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SentryApiError,
  ServerError,
  ValidationError,
} from "../../../src/http/errors/errors.js";

const ORG = "https://sentry.io/api/0/organizations/acme";
const err = (status: number, body: unknown, extra: Partial<Parameters<typeof createApiError>[0]> = {}) =>
  createApiError({ status, method: "GET", url: `${ORG}/teams/`, body, ...extra });

describe("createApiError picks the class by status", () => {
  it.each([
    [401, AuthenticationError, "authentication"],
    [403, PermissionError, "permission"],
    [404, NotFoundError, "not-found"],
    [409, ConflictError, "conflict"],
    [400, ValidationError, "validation"],
    [429, RateLimitError, "rate-limit"],
    [500, ServerError, "server"],
    [503, ServerError, "server"],
    [418, SentryApiError, "api"],
  ] as const)("%i → %o", (status, cls, kind) => {
    const error = err(status, { detail: "x" });
    expect(error).toBeInstanceOf(cls);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
  });

  it("treats Sentry's 400 invite conflicts as ConflictError", () => {
    for (const message of ["The user a@b.co is already a member", "a@b.co has already been invited", "There is an existing invite request for a@b.co"]) {
      const error = createApiError({ status: 400, method: "POST", url: `${ORG}/members/`, body: { email: [message] } });
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ status: 400, path: "/api/0/organizations/{organization_id_or_slug}/members/", operationId: "addOrganizationMember" });
    }
  });
});

describe("body shapes (facts §7)", () => {
  it.each<[unknown, string, Record<string, string[]> | undefined]>([
    [{ detail: "Invalid token" }, "Invalid token", undefined],
    [
      { detail: { code: "sso-required", message: "Must login via SSO", extra: { loginUrl: "https://sentry.io/auth/login/acme/" } } },
      "Must login via SSO",
      undefined,
    ],
    [{ email: ["Enter a valid email address."] }, "email: Enter a valid email address.", { email: ["Enter a valid email address."] }],
    [
      { non_field_errors: ["A team with this slug already exists."] },
      "A team with this slug already exists.",
      { non_field_errors: ["A team with this slug already exists."] },
    ],
    [{ teamRoles: [{ role: ["Not a valid choice."] }] }, "teamRoles.0.role: Not a valid choice.", { "teamRoles.0.role": ["Not a valid choice."] }],
    [["You can only invite members with the member role"], "You can only invite members with the member role", undefined],
    [
      "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds",
      "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds",
      undefined,
    ],
    [
      { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "409", detail: "User already exists in the database." },
      "User already exists in the database.",
      undefined,
    ],
    [{ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], scimType: "invalidFilter" }, "SCIM error: invalidFilter", undefined],
    [{ error: "Only auth token name can be edited after creation" }, "Only auth token name can be edited after creation", undefined],
    [
      { role: "You do not have permission to assign the given role." },
      "role: You do not have permission to assign the given role.",
      { role: ["You do not have permission to assign the given role."] },
    ],
    ["<html><body>Bad Gateway</body></html>", "HTTP 400 (non-JSON response)", undefined],
    [undefined, "HTTP 400", undefined],
  ])("%j", (body, detail, fieldErrors) => {
    const error = err(400, body);
    expect(error.detail).toBe(detail);
    expect(error.fieldErrors).toEqual(fieldErrors);
  });

  it("keeps the 500 errorId as requestId", () => {
    expect(err(500, { detail: "Internal Error", errorId: "4f0e1c2b3a4d5e6f708192a3b4c5d6e7" }).requestId).toBe("4f0e1c2b3a4d5e6f708192a3b4c5d6e7");
  });

  it("copies X-Sentry-Request-Id only when it has the id format, and redacts anything else", () => {
    const withId = (id: string) => err(500, { detail: "x" }, { headers: new Headers({ "x-sentry-request-id": id }) }).requestId;
    expect(withId("4F0E1C2B-3A4D-5E6F-7081-92A3B4C5D6E7")).toBe("4F0E1C2B-3A4D-5E6F-7081-92A3B4C5D6E7");
    expect(withId("4f0e1c2b3a4d5e6f708192a3b4c5d6e7")).toBe("4f0e1c2b3a4d5e6f708192a3b4c5d6e7");
    for (const hostile of ["\u001b]52;c;ZWNobyBoaQ==\u0007", "sntryu_0123456789abcdef", "abc123", "x".repeat(5000)]) {
      const error = err(500, { detail: "x" }, { headers: new Headers({ "x-sentry-request-id": hostile.replace(/[\u0000-\u001f]/g, "") }) });
      expect(error.requestId).toBe("[REDACTED]");
      expect(JSON.stringify(error)).not.toContain("ZWNobyBoaQ");
    }
    expect(err(500, { detail: "x", errorId: "not an id; rm -rf" }).requestId).toBe("[REDACTED]");
  });

  it("reads retryAfterMs and tells a concurrency 429 from a window 429", () => {
    const now = 1_700_000_000_000;
    const window = err(429, "limited", { now, headers: new Headers({ "X-Sentry-Rate-Limit-Reset": "1700000003", "X-Sentry-Rate-Limit-Remaining": "0" }) });
    expect(window).toMatchObject({ retryAfterMs: 3000, concurrent: false });
    const concurrent = err(429, "limited", {
      now,
      headers: new Headers({ "X-Sentry-Rate-Limit-Remaining": "5", "X-Sentry-Rate-Limit-ConcurrentRemaining": "0" }),
    });
    expect(concurrent).toMatchObject({ concurrent: true });
    expect(concurrent.hint).toMatch(/maxConcurrent/);
    expect(err(429, "x", { now, headers: new Headers({ "Retry-After": "2" }) })).toMatchObject({ retryAfterMs: 2000 });
  });
});

describe("scopes and hints", () => {
  it("403 carries the operation's accepted scopes and, with known token scopes, the missing ones", () => {
    const error = createApiError({
      status: 403,
      method: "POST",
      url: `${ORG}/teams/`,
      body: { detail: "You do not have permission to perform this action." },
      tokenScopes: ["org:read"],
    });
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ requiredScopes: ["org:admin", "org:write", "team:write"], missingScopes: ["org:admin", "org:write", "team:write"] });
    expect(error.hint).toMatch(/org:admin, org:write, team:write/);
    expect(error.hint).toMatch(/auth-tokens/);
    const roleTooLow = createApiError({ status: 403, method: "POST", url: `${ORG}/teams/`, body: {}, tokenScopes: ["team:admin"] });
    expect(roleTooLow).toMatchObject({ missingScopes: [] });
    expect(roleTooLow.hint).toMatch(/role/);
  });

  it("401 on a SCIM path without the SCIM token points to Organization Settings > Auth", () => {
    const error = createApiError({ status: 401, method: "GET", url: `${ORG}/scim/v2/Users`, body: { detail: "Invalid token" }, usedScimToken: false });
    expect(error.hint).toMatch(/Organization Settings > Auth/);
    expect(error.hint).toMatch(/scimToken/);
  });

  it("audit-log 403/404 mentions the plan and org:write", () => {
    for (const status of [403, 404]) {
      expect(createApiError({ status, method: "GET", url: `${ORG}/audit-logs/`, body: {} }).hint).toMatch(/Business or Enterprise.*org:write/);
    }
  });

  it("role-change 400/403 on member PUT needs a user token and a high enough role", () => {
    const error = createApiError({
      status: 403,
      method: "PUT",
      url: `${ORG}/members/42/`,
      body: { role: "You do not have permission to assign the given role." },
    });
    expect(error.hint).toMatch(/user auth token.*at least as high/);
  });
});

describe("brand, guards and redaction", () => {
  it("guards recognise errors from another copy of the package by brand", () => {
    const foreign = Object.assign(new Error("x"), { kind: "rate-limit", status: 429, [Symbol.for("sentry-rbac.error")]: true });
    expect(isSentryError(foreign)).toBe(true);
    expect(isSentryApiError(foreign)).toBe(true);
    expect(isRateLimitError(foreign)).toBe(true);
    expect(isSentryError(new Error("plain"))).toBe(false);
  });

  it("ValidationError.forInput is raised before any request", () => {
    const error = ValidationError.forInput("slug", "must be lowercase");
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, method: "", path: "", requestSent: false, field: "slug", fieldErrors: { slug: ["must be lowercase"] } });
    expect(error.message).toBe("slug: must be lowercase");
  });

  it("no token in message, url, body, JSON or inspect", () => {
    const token = "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";
    const custom = "my-self-hosted-secret-token-value";
    const error = createApiError({
      status: 400,
      method: "POST",
      url: `https://sentry.io/api/0/api-tokens/?token=${token}`,
      secrets: [custom],
      body: { detail: `Authorization: Bearer ${token} rejected`, token, refreshToken: custom, echo: `header was ${custom}` },
    });
    const everything = [error.message, error.url, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error.body)].join(
      "\n",
    );
    expect(everything).not.toContain(token.slice(7));
    expect(everything).not.toContain(custom);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: "ValidationError", kind: "validation", status: 400 });
  });
});
