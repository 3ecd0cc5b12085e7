import { describe, expect, it } from "vitest";
import { createApiError } from "../../../src/http/errors/api-error.js";
import { notFoundDetail, pathParams } from "../../../src/http/errors/not-found.js";

const GENERIC = { detail: "The requested resource does not exist" };

describe("a 404 names its subject and the real path", () => {
  it("an organization-level miss says the token may not see it, with the real path in the message", () => {
    const error = createApiError({ status: 404, method: "GET", url: "https://sentry.io/api/0/organizations/acmee/teams/?cursor=x", body: GENERIC });
    expect(error.summary).toBe("organization 'acmee' not found, or your token cannot see it");
    expect(error.message).toBe("404 GET /api/0/organizations/acmee/teams/: organization 'acmee' not found, or your token cannot see it");
    expect(error.message).not.toContain("{organization_id_or_slug}");
    // `detail` stays Sentry's own words; the template stays available to code that groups errors by operation.
    expect(error.detail).toBe("The requested resource does not exist");
    expect(error.path).toBe("/api/0/organizations/{organization_id_or_slug}/teams/");
  });

  it("a team, a member, a project link: the deepest parameter is the subject, in the organization", () => {
    expect(createApiError({ status: 404, method: "GET", url: "https://sentry.io/api/0/teams/acme/nosuchteam/", body: GENERIC }).summary).toBe(
      "team 'nosuchteam' not found in acme",
    );
    expect(createApiError({ status: 404, method: "DELETE", url: "https://sentry.io/api/0/organizations/acme/members/42/", body: GENERIC }).summary).toBe(
      "member '42' not found in acme",
    );
    expect(createApiError({ status: 404, method: "DELETE", url: "https://sentry.io/api/0/projects/acme/web/teams/idnty/", body: GENERIC }).summary).toBe(
      "team 'idnty' not found for project 'web' in acme",
    );
  });

  it("keeps Sentry's detail when it says more than 'does not exist', and a self-hosted prefix is ignored", () => {
    expect(notFoundDetail("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/", "/api/0/teams/acme/x/", "Team is pending deletion")).toBe(
      "team 'x' not found in acme: Team is pending deletion",
    );
    expect(createApiError({ status: 404, method: "GET", url: "https://example.test/sentry/api/0/teams/acme/x/", body: GENERIC }).summary).toBe(
      "team 'x' not found in acme",
    );
  });

  it("leaves an unknown path alone and decodes parameters", () => {
    expect(createApiError({ status: 404, method: "GET", url: "https://sentry.io/api/0/nothing-here/", body: GENERIC }).summary).toBe(GENERIC.detail);
    expect(pathParams("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/", "/api/0/teams/acme/a%20b/")).toEqual([
      { name: "organization_id_or_slug", value: "acme" },
      { name: "team_id_or_slug", value: "a b" },
    ]);
    expect(pathParams("/api/0/teams/{organization_id_or_slug}/", "/api/0/projects/acme/")).toEqual([]);
  });
});

describe("role and scope hints", () => {
  const memberUrl = "https://sentry.io/api/0/organizations/acme/members/42/";

  it("explains the retired admin role instead of the user-token hint", () => {
    const error = createApiError({
      status: 400,
      method: "PUT",
      url: memberUrl,
      body: { orgRole: ["The role 'admin' is deprecated and may no longer be assigned."] },
    });
    expect(error.hint).toMatch(/retired the `admin` org role: use `manager`.*`member` plus the team-level `admin`/);
    expect(error.hint).not.toMatch(/user auth token/);
  });

  it("a 403 from a token missing the scope gets the scope hint, not the user-token hint", () => {
    const error = createApiError({
      status: 403,
      method: "PUT",
      url: memberUrl,
      body: { detail: "You do not have permission to perform this action." },
      tokenScopes: ["org:read"],
    });
    expect(error.hint).toMatch(/^Grant the token one of these scopes: .*member:admin/);
    expect(error.hint).not.toMatch(/user auth token/);
    const roleTooLow = createApiError({ status: 403, method: "PUT", url: memberUrl, body: {}, tokenScopes: ["member:admin"] });
    expect(roleTooLow.hint).toMatch(/user auth token/);
  });
});
