import { describe, expect, it } from "vitest";
import { expandScopes, isScimPath, matchOperation, missingScopes } from "../../../src/http/send/operations.js";

describe("matchOperation", () => {
  it("maps concrete paths to operation ids, templates and scopes", () => {
    expect(matchOperation("post", "/api/0/organizations/acme/teams/")).toEqual({
      operationId: "createOrganizationTeam",
      path: "/api/0/organizations/{organization_id_or_slug}/teams/",
      scopes: ["org:admin", "org:write", "team:write"],
    });
    expect(matchOperation("GET", "/api/0/organizations/acme/audit-logs/")?.operationId).toBe("listOrganizationAuditLogs");
    expect(matchOperation("PATCH", "/api/0/organizations/acme/scim/v2/Users/42")?.operationId).toBe("updateOrganizationScimV2User");
    expect(matchOperation("PUT", "/api/0/organizations/acme/members/7/")?.operationId).toBe("updateOrganizationMember");
  });

  it("returns undefined for unknown paths and methods", () => {
    expect(matchOperation("GET", "/api/0/nope/")).toBeUndefined();
    expect(matchOperation("TRACE", "/api/0/organizations/acme/teams/")).toBeUndefined();
    expect(matchOperation("GET", "/api/0/organizations/acme/teams")).toBeUndefined(); // trailing slash matters
  });

  it("matches a template path too (openapi-fetch's schemaPath)", () => {
    expect(matchOperation("GET", "/api/0/organizations/{organization_id_or_slug}/teams/")?.operationId).toBe("listOrganizationTeams");
  });
});

describe("scopes", () => {
  it("expands Sentry's scope hierarchy", () => {
    expect([...expandScopes(["member:admin"])].sort()).toEqual(["member:admin", "member:invite", "member:read", "member:write"]);
    expect(expandScopes(["org:admin"]).has("org:integrations")).toBe(true);
  });

  it("missingScopes is empty when any accepted scope is held, directly or implied", () => {
    expect(missingScopes(["team:read"], ["team:admin"])).toEqual([]);
    expect(missingScopes(["team:write", "team:admin"], ["team:read"])).toEqual(["team:write", "team:admin"]);
  });

  it("recognises SCIM paths", () => {
    expect(isScimPath("/api/0/organizations/acme/scim/v2/Users")).toBe(true);
    expect(isScimPath("/api/0/organizations/acme/members/")).toBe(false);
  });
});
