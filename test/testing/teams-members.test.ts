import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";
import { asArray, asObject, call, demo } from "./helpers.js";

const ORG = "/api/0/organizations/acme";

function memberId(emu: ReturnType<typeof demo>, email: string): string {
  const found = emu.state.members.find((m) => m.email === email);
  if (!found) throw new Error(`no member ${email}`);
  return found.id;
}

describe("teams", () => {
  it("creates a team from its name, adds the creator, and refuses a duplicate slug with 409", async () => {
    const emu = demo();
    const created = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "Data Platform" } });
    expect(created).toMatchObject({ status: 201, body: { slug: "data-platform", name: "Data Platform", isMember: true } });
    const again = await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "data-platform" } });
    expect(again).toMatchObject({ status: 409, body: { detail: "A team with this slug already exists." } });
    expect(await call(emu, "POST", `${ORG}/teams/`, { body: {} })).toMatchObject({ status: 400, body: { non_field_errors: ["Name or slug is required"] } });
    expect((await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "12345" } })).status).toBe(400);
  });

  it("renames with a slug conflict as a 400 field error and refuses to edit idp-provisioned teams", async () => {
    const emu = demo();
    expect(await call(emu, "PUT", "/api/0/teams/acme/payments/", { body: { slug: "identity" } })).toMatchObject({
      status: 400,
      body: { slug: ['The slug "identity" is already in use.'] },
    });
    expect((await call(emu, "PUT", "/api/0/teams/acme/okta-engineering/", { body: { name: "x" } })).status).toBe(403);
    expect((await call(emu, "DELETE", "/api/0/teams/acme/okta-engineering/")).status).toBe(403);
  });

  it("deletes a team with its memberships and project links", async () => {
    const emu = demo();
    expect((await call(emu, "DELETE", "/api/0/teams/acme/payments/")).status).toBe(204);
    expect((await call(emu, "GET", "/api/0/teams/acme/payments/")).status).toBe(404);
    expect(emu.state.projects.find((p) => p.slug === "payment-api")?.teams).toEqual([]);
    expect(emu.state.members.some((m) => m.teams.some((t) => t.team === "payments"))).toBe(false);
  });

  it("filters the team list with the query syntax", async () => {
    const emu = demo();
    const bySlug = asArray((await call(emu, "GET", `${ORG}/teams/?query=slug:identity`)).body);
    expect(bySlug.map((t) => t.slug)).toEqual(["identity"]);
    expect(await call(emu, "GET", `${ORG}/teams/?query=id:abc`)).toMatchObject({ status: 400, body: { detail: "Invalid id value" } });
  });
});

describe("members", () => {
  it("filters with Sentry's query syntax; unknown keys give an empty list", async () => {
    const emu = demo();
    const list = async (q: string) => asArray((await call(emu, "GET", `${ORG}/members/?query=${encodeURIComponent(q)}&per_page=100`)).body);
    expect((await list("role:owner")).map((m) => m.email)).toEqual(["ada.smith@acme.test", "ben.garcia@acme.test"]);
    expect((await list("isInvited:true")).every((m) => m.pending === true)).toBe(true);
    expect((await list("email:KAI.ROSSI@acme.test")).map((m) => m.email)).toEqual(["kai.rossi@acme.test"]);
    expect((await list("ssoLinked:false")).every((m) => asObject(m.flags)["sso:linked"] === false)).toBe(true);
    expect((await list("scope:org:admin")).map((m) => m.orgRole)).toEqual(["owner", "owner"]);
    expect(await list("favouriteColour:blue")).toEqual([]);
    expect((await list("contractor")).map((m) => m.email).sort()).toEqual(["carla.contractor@vendor.test", "dmitri.contractor@vendor.test"]);
  });

  it("invites with team membership but no team role, and answers conflicts with 400", async () => {
    const emu = demo();
    const invite = await call(emu, "POST", `${ORG}/members/`, {
      body: { email: "new.person@acme.test", orgRole: "member", teamRoles: [{ teamSlug: "payments", role: "admin" }] },
    });
    expect(invite).toMatchObject({ status: 201, body: { email: "new.person@acme.test", pending: true, user: null, orgRole: "member" } });
    expect(emu.state.members.find((m) => m.email === "new.person@acme.test")?.teams).toEqual([{ team: "payments", role: null }]);
    expect(await call(emu, "POST", `${ORG}/members/`, { body: { email: "new.person@acme.test" } })).toMatchObject({
      status: 400,
      body: { email: ["The user new.person@acme.test has already been invited"] },
    });
    expect(await call(emu, "POST", `${ORG}/members/`, { body: { email: "x@acme.test", teamRoles: [{ teamSlug: "nope" }] } })).toMatchObject({
      status: 400,
      body: { teamRoles: ["Invalid teams"] },
    });
    expect(await call(emu, "POST", `${ORG}/members/`, { body: { email: "y@acme.test", orgRole: "admin" } })).toMatchObject({
      status: 400,
      body: { orgRole: ["The role 'admin' is deprecated and may no longer be assigned."] },
    });
  });

  it("lets integration tokens invite only with the member role", async () => {
    const emu = demo();
    const token = emu.issueToken({ kind: "integration", scopes: ["member:write"] });
    expect((await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "a@acme.test", orgRole: "manager" } })).status).toBe(400);
    expect((await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "b@acme.test", orgRole: "member" } })).status).toBe(201);
  });

  // tests/sentry/core/endpoints/test_organization_member_details.py test_can_update_team_role; the member PUT
  // path (organization_member_utils.py save_team_assignments) stores team roles as sent, without normalising.
  it("replaces the whole team set on PUT and stores team roles as sent", async () => {
    const emu = demo();
    const id = memberId(emu, "kai.rossi@acme.test");
    const res = await call(emu, "PUT", `${ORG}/members/${id}/`, {
      body: {
        orgRole: "member",
        teamRoles: [
          { teamSlug: "identity", role: "admin" },
          { teamSlug: "mobile", role: "contributor" },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(asObject(res.body).teamRoles).toEqual([
      { teamSlug: "identity", role: "admin" },
      { teamSlug: "mobile", role: "contributor" },
    ]);
    // Omitting teamRoles clears the team set, as the server code reads (facts §5).
    const cleared = await call(emu, "PUT", `${ORG}/members/${id}/`, { body: { orgRole: "member" } });
    expect(asObject(cleared.body).teams).toEqual([]);
  });

  // test_organization_member_details.py test_cannot_update_own_membership, test_cannot_lower_superior_role;
  // organization_member_details.py validates orgRole in the serializer (400) before the role checks (403).
  it("enforces role rules on PUT: no own role change (400), promotion above the caller (400), superior target (403)", async () => {
    const emu = demo();
    const self = await call(emu, "PUT", `${ORG}/members/${memberId(emu, "ada.smith@acme.test")}/`, { body: { orgRole: "member", teamRoles: [] } });
    expect(self).toMatchObject({ status: 400, body: { detail: "You cannot make changes to your own role." } });
    const manager = emu.issueToken({ scopes: ["member:admin"], userEmail: "chen.nguyen@acme.test" });
    const promote = await call(emu, "PUT", `${ORG}/members/${memberId(emu, "kai.rossi@acme.test")}/`, {
      token: manager,
      body: { orgRole: "owner", teamRoles: [] },
    });
    expect(promote).toMatchObject({ status: 400, body: { orgRole: ["You do not have permission to set that org-level role"] } });
    const demoteOwner = await call(emu, "PUT", `${ORG}/members/${memberId(emu, "ben.garcia@acme.test")}/`, {
      token: manager,
      body: { orgRole: "member", teamRoles: [] },
    });
    expect(demoteOwner).toMatchObject({ status: 403, body: { role: "You do not have permission to assign a role to the given user." } });
  });

  // test_organization_member_details.py DeleteOrganizationMemberTest: test_missing_scope,
  // test_cannot_delete_member_with_higher_access, test_cannot_delete_idp_provisioned_member, test_cannot_delete_only_owner.
  it("deletes with Sentry's status codes: 400 for insufficient access, 403 for idp-provisioned and the last owner or manager", async () => {
    const emu = demo();
    const member = emu.issueToken({ scopes: ["member:read"], userEmail: "kai.rossi@acme.test" });
    expect(await call(emu, "DELETE", `${ORG}/members/${memberId(emu, "lena.kim@acme.test")}/`, { token: member })).toMatchObject({
      status: 400,
      body: { detail: "You are missing the member:admin scope." },
    });
    const manager = emu.issueToken({ scopes: ["member:admin"], userEmail: "chen.nguyen@acme.test" });
    expect(await call(emu, "DELETE", `${ORG}/members/${memberId(emu, "ada.smith@acme.test")}/`, { token: manager })).toMatchObject({
      status: 400,
      body: { detail: "You cannot remove a member who has more access than you." },
    });
    const idp = emu.state.members.find((m) => m.flags["idp:provisioned"] && !m.pending);
    expect((await call(emu, "DELETE", `${ORG}/members/${idp?.id}/`)).status).toBe(403);
    expect((await call(emu, "DELETE", `${ORG}/members/${memberId(emu, "ben.garcia@acme.test")}/`)).status).toBe(204);
    const lone = createEmulator({
      fixture: {
        org: { slug: "solo" },
        members: [
          { email: "owner@solo.test", orgRole: "owner" },
          { email: "pending.owner@solo.test", orgRole: "owner", pending: true },
          { email: "dev@solo.test", orgRole: "member" },
        ],
      },
      rateLimit: false,
    });
    const ownerId = lone.state.members.find((m) => m.email === "owner@solo.test")?.id;
    expect(await call(lone, "DELETE", `/api/0/organizations/solo/members/${ownerId}/`)).toMatchObject({
      status: 403,
      body: { detail: "You cannot remove the only remaining owner or manager of the organization." },
    });
  });

  it("joins teams (201, 204 when already on it, 202 as an access request) and leaves them", async () => {
    const emu = demo();
    const kai = memberId(emu, "kai.rossi@acme.test");
    expect((await call(emu, "POST", `${ORG}/members/${kai}/teams/platform/`)).status).toBe(201);
    expect((await call(emu, "POST", `${ORG}/members/${kai}/teams/platform/`)).status).toBe(204);
    const peer = emu.issueToken({ scopes: ["org:read"], userEmail: "lena.kim@acme.test" });
    expect((await call(emu, "POST", `${ORG}/members/${kai}/teams/mobile/`, { token: peer })).status).toBe(202);
    expect(emu.state.members.find((m) => m.id === kai)?.teams.map((t) => t.team)).not.toContain("mobile");
    expect((await call(emu, "POST", `${ORG}/members/${kai}/teams/okta-engineering/`)).status).toBe(403);
    expect((await call(emu, "DELETE", `${ORG}/members/${kai}/teams/platform/`)).status).toBe(200);
    expect((await call(emu, "PUT", `${ORG}/members/${kai}/teams/platform/`, { body: { teamRole: "admin" } })).status).toBe(404);
  });
});

describe("projects", () => {
  it("links and unlinks teams and lists a project's teams", async () => {
    const emu = demo();
    const linked = await call(emu, "POST", "/api/0/projects/acme/mobile-redesign/teams/payments/");
    expect(linked.status).toBe(201);
    expect(asArray(asObject(linked.body).teams).map((t) => t.slug)).toEqual(["mobile", "payments"]);
    const teams = asArray((await call(emu, "GET", "/api/0/projects/acme/mobile-redesign/teams/")).body);
    expect(teams.map((t) => t.slug)).toEqual(["mobile", "payments"]);
    expect((await call(emu, "DELETE", "/api/0/projects/acme/mobile-redesign/teams/payments/")).status).toBe(200);
    expect((await call(emu, "POST", "/api/0/projects/acme/no-such-project/teams/payments/")).status).toBe(404);
  });
});
