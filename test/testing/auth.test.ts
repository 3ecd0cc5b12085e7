import { describe, expect, it } from "vitest";
import { operationTable } from "../../src/generated/operations.js";
import { ALL_SCOPES, createEmulator } from "../../src/testing/index.js";
import { expandScopes } from "../../src/testing/roles.js";
import { allRoutes } from "../../src/testing/routes/index.js";
import { call, demo, NOW } from "./helpers.js";

type Entry = { method: string; path: string; scopes: readonly string[]; sessionOnly: boolean };
const table = operationTable as unknown as Record<string, Entry>;

/** Fills a path template with objects of the demo fixture that every route can act on. */
function concretePath(template: string, orgTokenId: string): string {
  const scim = template.includes("/scim/v2/");
  return template
    .replace("{organization_id_or_slug}", "acme")
    .replace("{member_id}", "11")
    .replace("{team_id_or_slug}", scim ? "1" : "payments")
    .replace("{project_id_or_slug}", "payment-api")
    .replace("{token_id}", orgTokenId);
}

const BODIES: Record<string, unknown> = {
  createOrganizationTeam: { slug: "scope-check" },
  updateTeam: { name: "Payments" },
  addOrganizationMember: { email: "scope.check@acme.test" },
  updateOrganizationMember: { teamRoles: [{ teamSlug: "payments", role: null }] },
  updateOrganizationMemberTeam: { teamRole: "admin" },
  provisionOrganizationScimV2User: { userName: "scope.scim@acme.test" },
  provisionOrganizationScimV2Group: { displayName: "Scope Group" },
  updateOrganizationScimV2User: { Operations: [{ op: "replace", path: "active", value: true }] },
  updateOrganizationScimV2Group: { Operations: [{ op: "add", path: "members", value: [] }] },
  updateOrganizationAuthToken: { name: "renamed" },
  createOrganizationAuthToken: { name: "new" },
};

const scoped = allRoutes.map((r) => ({ operationId: r.operationId, ...(table[r.operationId] as Entry) })).filter((r) => !r.sessionOnly && r.scopes.length > 0);

describe("scope enforcement per endpoint (operation table scopes)", () => {
  it.each(scoped)("$operationId: 403 without any accepted scope, allowed with each one", async ({ operationId, method, path, scopes }) => {
    const emu = demo();
    const orgTokenId = emu.state.tokens.find((t) => t.kind === "org")?.id ?? "0";
    const url = concretePath(path, orgTokenId);
    const unrelated = ALL_SCOPES.find((s) => ![...expandScopes([s])].some((x) => scopes.includes(x)));
    expect(unrelated, operationId).toBeDefined();
    const denied = await call(emu, method, url, { token: emu.issueToken({ scopes: [unrelated as string] }), body: BODIES[operationId] });
    expect(denied.status, `${operationId} with ${unrelated}`).toBe(403);
    expect(denied.body).toEqual({ detail: "You do not have permission to perform this action." });
    for (const scope of scopes) {
      const fresh = demo();
      const token = fresh.issueToken({ scopes: [scope] });
      let target = url;
      let body = BODIES[operationId];
      if (operationId === "updateOrganizationMember" && (scope === "member:invite" || scope === "member:write")) {
        // organization_member_details.py: without member:admin (member:write implies member:invite), a caller
        // is "invite-only" and may only resend pending invites it sent.
        const invite = await call(fresh, "POST", "/api/0/organizations/acme/members/", { token, body: { email: "own.invite@acme.test" } });
        target = url.replace("/members/11/", `/members/${String((invite.body as { id: string }).id)}/`);
        body = { reinvite: true };
      }
      const res = await call(fresh, method, target, { token, body });
      expect([401, 403], `${operationId} with ${scope}: ${res.status} ${res.text}`).not.toContain(res.status);
    }
  });
});

describe("authentication", () => {
  const emu = demo();
  const teams = "/api/0/organizations/acme/teams/";

  it("answers 401 without credentials, for unknown tokens, unknown org tokens and expired tokens", async () => {
    expect(await call(emu, "GET", teams, { token: null })).toMatchObject({ status: 401, body: { detail: "Authentication credentials were not provided." } });
    expect(await call(emu, "GET", teams, { token: `sntryu_${"0".repeat(64)}` })).toMatchObject({ status: 401, body: { detail: "Invalid token" } });
    expect(await call(emu, "GET", teams, { token: `sntrys_${"0".repeat(64)}` })).toMatchObject({ status: 401, body: { detail: "Invalid org token" } });
    const expired = emu.issueToken({ scopes: ["org:read"], expiresAt: NOW - 1 });
    expect(await call(emu, "GET", teams, { token: expired })).toMatchObject({ status: 401, body: { detail: "Token expired" } });
  });

  it("bounds a user token by its member's role: a member's team:write token cannot create teams, a manager's can", async () => {
    const memberToken = emu.issueToken({ scopes: ["team:write"], userEmail: "kai.rossi@acme.test" });
    expect((await call(emu, "POST", teams, { token: memberToken, body: { slug: "by-member" } })).status).toBe(403);
    const managerToken = emu.issueToken({ scopes: ["team:write"], userEmail: "chen.nguyen@acme.test" });
    expect((await call(emu, "POST", teams, { token: managerToken, body: { slug: "by-manager" } })).status).toBe(201);
  });

  it("gives integration tokens their app scopes and org auth tokens only org:ci", async () => {
    const integration = emu.issueToken({ kind: "integration", scopes: ["team:write"] });
    expect((await call(emu, "POST", teams, { token: integration, body: { slug: "by-integration" } })).status).toBe(201);
    const orgToken = emu.issueToken({ kind: "org", scopes: ["org:admin"] });
    expect(emu.state.tokens.at(-1)?.scopes).toEqual(["org:ci"]);
    expect((await call(emu, "GET", teams, { token: orgToken })).status).toBe(403);
  });

  it("requires org:write for audit logs, which the member role lacks", async () => {
    const member = emu.issueToken({ scopes: ["org:write", "org:read"], userEmail: "kai.rossi@acme.test" });
    expect((await call(emu, "GET", "/api/0/organizations/acme/audit-logs/", { token: member })).status).toBe(403);
    const manager = emu.issueToken({ scopes: ["org:write"], userEmail: "chen.nguyen@acme.test" });
    expect((await call(emu, "GET", "/api/0/organizations/acme/audit-logs/?per_page=1", { token: manager })).status).toBe(200);
  });

  it("answers 404 for an unknown organization and for a path outside the API", async () => {
    expect(await call(emu, "GET", "/api/0/organizations/globex/teams/")).toMatchObject({
      status: 404,
      body: { detail: "The requested resource does not exist" },
    });
    expect((await call(emu, "GET", "/api/0/organizations/acme/nothing-here/")).status).toBe(404);
    expect((await call(emu, "PATCH", teams)).status).toBe(405);
  });
});

describe("SCIM authentication rules", () => {
  const users = "/api/0/organizations/acme/scim/v2/Users";

  // src/sentry/core/endpoints/scim/utils.py OrganizationSCIMPermission: no SCIM-token rule; an org auth
  // token (org:ci) fails the scope check with 403 — the seed's "401 with an org token" row is wrong.
  it("refuses org auth tokens with 403 from the scope check, not the seed's 401", async () => {
    const emu = demo();
    const orgToken = emu.issueToken({ kind: "org", scopes: ["org:ci"] });
    expect(await call(emu, "GET", users, { token: orgToken })).toMatchObject({
      status: 403,
      body: { detail: "You do not have permission to perform this action." },
    });
    expect((await call(emu, "GET", users, { token: emu.scimToken })).status).toBe(200);
  });

  it("answers 403 when the organization has SCIM disabled", async () => {
    const emu = createEmulator({ fixture: "empty", rateLimit: false });
    expect(emu.scimToken).toBeUndefined();
    const token = emu.issueToken({ kind: "integration", scopes: ["member:admin"] });
    expect((await call(emu, "GET", users, { token })).status).toBe(403);
  });

  it("only matches numeric ids and paths without a trailing slash", async () => {
    const emu = demo();
    expect((await call(emu, "GET", `${users}/11`, { token: emu.scimToken })).status).toBe(200);
    expect((await call(emu, "GET", `${users}/11/`, { token: emu.scimToken })).status).toBe(404);
    expect((await call(emu, "GET", "/api/0/organizations/acme/scim/v2/Groups/payments", { token: emu.scimToken })).status).toBe(404);
  });
});
