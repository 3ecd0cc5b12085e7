import { describe, expect, it } from "vitest";
import { isValidationError } from "../../src/http/errors/errors.js";
import {
  assertEmail,
  assertMemberId,
  assertName,
  assertNumericId,
  assertOrgRole,
  assertPerPage,
  assertScopes,
  assertSlug,
  assertTeamRole,
  assertText,
  scimFilterValue,
  toIsoDate,
} from "../../src/resources/validate.js";

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isValidationError(error)) {
      expect(error.requestSent).toBe(false);
      return error.field;
    }
    throw error;
  }
  return undefined;
}

describe("validate", () => {
  it("slugs follow Sentry's pattern and length", () => {
    expect(assertSlug("team", "payments")).toBe("payments");
    expect(assertSlug("team", "q1_contractors-2")).toBe("q1_contractors-2");
    expect(assertSlug("team", "a".repeat(50))).toHaveLength(50);
    for (const bad of ["", "Payments", "12345", "a b", "a/b", "a".repeat(51), "é", 42, undefined]) {
      expect(
        fieldOf(() => assertSlug("team", bad)),
        String(bad),
      ).toBe("team");
    }
  });

  it("names are non-empty, bounded and free of control characters", () => {
    expect(assertName("name", "Payments & Billing")).toBe("Payments & Billing");
    for (const bad of ["", "   ", "a\u0000b", "x".repeat(65), 3]) expect(fieldOf(() => assertName("name", bad))).toBe("name");
  });

  it("emails need one @ and a dotted domain", () => {
    expect(assertEmail("email", "ana@acme.com")).toBe("ana@acme.com");
    for (const bad of ["ana", "ana@acme", "a b@acme.com", "@acme.com", `${"a".repeat(250)}@acme.com`, null]) {
      expect(fieldOf(() => assertEmail("email", bad))).toBe("email");
    }
  });

  it("org and team roles are Sentry's", () => {
    for (const role of ["owner", "manager", "admin", "member", "billing"]) expect(assertOrgRole("orgRole", role)).toBe(role);
    for (const role of ["admin", "contributor"]) expect(assertTeamRole("role", role)).toBe(role);
    expect(fieldOf(() => assertOrgRole("orgRole", "superuser"))).toBe("orgRole");
    expect(fieldOf(() => assertOrgRole("orgRole", "Owner"))).toBe("orgRole");
    expect(fieldOf(() => assertTeamRole("role", "member"))).toBe("role");
  });

  it("scopes must be known; duplicates collapse", () => {
    expect(assertScopes("scopes", ["org:read", "member:read", "org:read"])).toEqual(["org:read", "member:read"]);
    expect(assertScopes("scopes", ["org:ci", "project:distribution", "openid"])).toHaveLength(3);
    expect(fieldOf(() => assertScopes("scopes", ["org:read", "team:delete"]))).toBe("scopes");
    expect(fieldOf(() => assertScopes("scopes", []))).toBe("scopes");
    expect(fieldOf(() => assertScopes("scopes", "org:read"))).toBe("scopes");
  });

  it("numeric ids and member ids", () => {
    expect(assertNumericId("id", 42)).toBe("42");
    expect(assertNumericId("id", "42")).toBe("42");
    expect(assertMemberId("id", "me")).toBe("me");
    for (const bad of ["me", "0", "042", "-1", "1.5", 1.5, "12abc", Number.MAX_SAFE_INTEGER + 2, "99999999999999999999"]) {
      expect(
        fieldOf(() => assertNumericId("id", bad)),
        String(bad),
      ).toBe("id");
    }
    expect(fieldOf(() => assertMemberId("id", "you"))).toBe("id");
  });

  it("perPage is 1..100 or undefined", () => {
    expect(assertPerPage("perPage", undefined)).toBeUndefined();
    expect(assertPerPage("perPage", 1)).toBe(1);
    expect(assertPerPage("perPage", 100)).toBe(100);
    for (const bad of [0, 101, 2.5, "10", Number.NaN]) expect(fieldOf(() => assertPerPage("perPage", bad))).toBe("perPage");
  });

  it("SCIM filter values are quoted and escaped, so they cannot add clauses", () => {
    expect(scimFilterValue("userName", "ana@acme.com")).toBe('userName eq "ana@acme.com"');
    expect(scimFilterValue("displayName", 'x" or userName eq "y')).toBe('displayName eq "x\\" or userName eq \\"y"');
    expect(scimFilterValue("displayName", "back\\slash")).toBe('displayName eq "back\\\\slash"');
    expect(fieldOf(() => scimFilterValue("userName", "a\nb"))).toBe("userName");
    expect(fieldOf(() => scimFilterValue("userName", "a\u007fb"))).toBe("userName");
    expect(fieldOf(() => scimFilterValue("userName", ""))).toBe("userName");
    expect(fieldOf(() => scimFilterValue("userName or 1", "x"))).toBe("filter");
  });

  it("dates become ISO-8601 UTC strings", () => {
    expect(toIsoDate("since", new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02T03:04:05.000Z");
    expect(toIsoDate("since", "2026-01-02")).toBe("2026-01-02T00:00:00.000Z");
    expect(toIsoDate("until", "2026-01-02T03:04:05+02:00")).toBe("2026-01-02T01:04:05.000Z");
    expect(fieldOf(() => toIsoDate("since", new Date(Number.NaN)))).toBe("since");
    expect(fieldOf(() => toIsoDate("since", "yesterday"))).toBe("since");
    expect(fieldOf(() => toIsoDate("until", "2026-13-45"))).toBe("until");
  });

  it("free text refuses control characters", () => {
    expect(assertText("query", "email:ana@acme.com role:owner")).toBe("email:ana@acme.com role:owner");
    expect(fieldOf(() => assertText("query", "a\rb"))).toBe("query");
    expect(fieldOf(() => assertText("query", ""))).toBe("query");
  });
});
