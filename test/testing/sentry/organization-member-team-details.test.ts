/**
 * tests/sentry/core/endpoints/test_organization_member_team_details.py, on the emulator
 * (src/sentry/core/endpoints/organization_member_team_details.py). Sentry's `CreateWithClosedMembershipTest`
 * reruns `CreateOrganizationMemberTeamTest` with closed membership: those tests run on both here.
 */
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../../src/testing/index.js";
import { call, integrationToken, loginAs, memberId, OWNER, sentryOrg, teamsOf, userToken } from "./helpers.js";

const ERR_INSUFFICIENT_ROLE = "You do not have permission to edit that user's membership.";

/** OrganizationMemberTeamTestBase's cast, on an org with (default) or without open membership. */
function cast(openMembership = true): Emulator {
  return sentryOrg({
    openMembership,
    teams: [{ slug: "team" }, { slug: "idp-team", idpProvisioned: true }],
    members: [
      { email: "member@x.test", orgRole: "member" },
      { email: "admin@x.test", orgRole: "admin" },
      { email: "manager@x.test", orgRole: "manager" },
      { email: "member-on-team@x.test", orgRole: "member", teams: [{ team: "team" }] },
      { email: "admin-on-team@x.test", orgRole: "admin", teams: [{ team: "team" }] },
      { email: "manager-on-team@x.test", orgRole: "manager", teams: [{ team: "team" }] },
      { email: "owner-on-team@x.test", orgRole: "owner", teams: [{ team: "team" }] },
      { email: "team-admin@x.test", orgRole: "member", teams: [{ team: "team", role: "admin" }] },
      { email: "other-owner@x.test", orgRole: "owner" },
      { email: "billing@x.test", orgRole: "billing" },
    ],
  });
}

const path = (emu: Emulator, email: string, team = "team") => `/api/0/organizations/baz/members/${memberId(emu, email)}/teams/${team}/`;
const onTeam = (emu: Emulator, email: string, team = "team") => teamsOf(emu, email).some((t) => t.team === team);

async function post(emu: Emulator, as: string | { token: string }, target: string, team = "team"): Promise<number> {
  const token = typeof as === "string" ? loginAs(emu, as) : as.token;
  return (await call(emu, "POST", path(emu, target, team), { token })).status;
}

async function del(emu: Emulator, as: string | { token: string }, target: string, team = "team") {
  const token = typeof as === "string" ? loginAs(emu, as) : as.token;
  return call(emu, "DELETE", path(emu, target, team), { token });
}

async function put(emu: Emulator, as: string | { token: string }, target: string, teamRole: string) {
  const token = typeof as === "string" ? loginAs(emu, as) : as.token;
  return call(emu, "PUT", path(emu, target), { token, body: { teamRole } });
}

describe("test_organization_member_team_details.py", () => {
  const bothMemberships = [true, false];

  it("CreateOrganizationMemberTeamTest.test_manager_can_join_team", async () => {
    for (const open of bothMemberships) {
      const emu = cast(open);
      expect(await post(emu, "manager@x.test", "manager@x.test")).toBe(201);
      expect(onTeam(emu, "manager@x.test")).toBe(true);
    }
  });

  it("CreateOrganizationMemberTeamTest.test_owner_can_join_team", async () => {
    for (const open of bothMemberships) {
      const emu = cast(open);
      expect(await post(emu, "other-owner@x.test", "other-owner@x.test")).toBe(201);
      expect(onTeam(emu, "other-owner@x.test")).toBe(true);
    }
  });

  it("CreateOrganizationMemberTeamTest.test_admin_on_team_can_add_members_to_team", async () => {
    for (const open of bothMemberships) {
      const emu = cast(open);
      expect(await post(emu, "admin-on-team@x.test", "member@x.test")).toBe(201);
      expect(await post(emu, "admin-on-team@x.test", "manager@x.test")).toBe(201);
      expect(onTeam(emu, "member@x.test") && onTeam(emu, "manager@x.test")).toBe(true);
    }
  });

  it("CreateOrganizationMemberTeamTest.test_manager_can_add_members_to_team", async () => {
    for (const open of bothMemberships) {
      const emu = cast(open);
      expect(await post(emu, "manager@x.test", "member@x.test")).toBe(201);
      expect(await post(emu, "manager@x.test", OWNER)).toBe(201);
      expect(onTeam(emu, "member@x.test") && onTeam(emu, OWNER)).toBe(true);
    }
  });

  it("CreateOrganizationMemberTeamTest.test_owner_can_add_members_to_team", async () => {
    for (const open of bothMemberships) {
      const emu = cast(open);
      for (const target of ["member@x.test", "manager@x.test", "other-owner@x.test"]) {
        expect(await post(emu, OWNER, target)).toBe(201);
        expect(onTeam(emu, target)).toBe(true);
      }
    }
  });

  it("CreateOrganizationMemberTeamTest.test_cannot_add_to_team_when_team_roles_disabled (the billing role has no team roles)", async () => {
    // Sentry patches the member role to forbid team roles; the emulator's billing role is such a role.
    for (const open of bothMemberships) {
      const emu = cast(open);
      const answer = await call(emu, "POST", path(emu, "billing@x.test"), { token: loginAs(emu, "manager@x.test") });
      expect(answer).toMatchObject({ status: 403, body: { detail: "The user with a 'billing' role cannot have team-level permissions." } });
    }
  });

  it("CreateWithOpenMembershipTest.test_member_can_join_team", async () => {
    const emu = cast();
    expect(await post(emu, "member@x.test", "member@x.test")).toBe(201);
    expect(onTeam(emu, "member@x.test")).toBe(true);
  });

  it("CreateWithOpenMembershipTest.test_admin_can_join_team", async () => {
    const emu = cast();
    expect(await post(emu, "admin@x.test", "admin@x.test")).toBe(201);
    expect(onTeam(emu, "admin@x.test")).toBe(true);
  });

  it("CreateWithOpenMembershipTest.test_cannot_join_idp_team", async () => {
    const emu = cast();
    expect(await post(emu, "admin@x.test", "admin@x.test", "idp-team")).toBe(403);
    expect(await post(emu, "member@x.test", "member@x.test", "idp-team")).toBe(403);
    expect(onTeam(emu, "admin@x.test", "idp-team") || onTeam(emu, "member@x.test", "idp-team")).toBe(false);
  });

  it("CreateWithOpenMembershipTest.test_member_can_add_member_to_team", async () => {
    const emu = cast();
    expect(await post(emu, "member@x.test", "admin@x.test")).toBe(201);
    expect(onTeam(emu, "admin@x.test")).toBe(true);
  });

  it("CreateWithOpenMembershipTest.test_admin_can_add_member_to_team", async () => {
    const emu = cast();
    expect(await post(emu, "admin@x.test", "member@x.test")).toBe(201);
    expect(onTeam(emu, "member@x.test")).toBe(true);
  });

  it("CreateWithOpenMembershipTest.test_cannot_add_to_idp_team", async () => {
    const emu = cast();
    expect(await post(emu, "member@x.test", "admin@x.test", "idp-team")).toBe(403);
    expect(await post(emu, "admin@x.test", "member@x.test", "idp-team")).toBe(403);
    expect(onTeam(emu, "admin@x.test", "idp-team") || onTeam(emu, "member@x.test", "idp-team")).toBe(false);
  });

  it("CreateWithOpenMembershipTest.test_team_admin_can_add_member", async () => {
    const emu = cast();
    expect(await post(emu, "team-admin@x.test", "member@x.test")).toBe(201);
    expect(onTeam(emu, "member@x.test")).toBe(true);
  });

  it("CreateWithClosedMembershipTest.test_member_must_request_access_to_join_team (access requests are not stored)", async () => {
    const emu = cast(false);
    expect(await post(emu, "member@x.test", "member@x.test")).toBe(202);
    expect(onTeam(emu, "member@x.test")).toBe(false);
  });

  it("CreateWithClosedMembershipTest.test_admin_must_request_access_to_join_team", async () => {
    const emu = cast(false);
    expect(await post(emu, "admin@x.test", "admin@x.test")).toBe(202);
    expect(onTeam(emu, "admin@x.test")).toBe(false);
  });

  it("CreateWithClosedMembershipTest.test_member_on_team_must_request_access_to_add_member_to_team", async () => {
    const emu = cast(false);
    expect(await post(emu, "member-on-team@x.test", "member@x.test")).toBe(202);
    expect(onTeam(emu, "member@x.test")).toBe(false);
  });

  it("CreateWithClosedMembershipTest.test_admin_must_request_access_to_add_member_to_team", async () => {
    const emu = cast(false);
    expect(await post(emu, "admin@x.test", "member@x.test")).toBe(202);
    expect(onTeam(emu, "member@x.test")).toBe(false);
  });

  it("CreateWithClosedMembershipTest.test_team_admin_can_add_member", async () => {
    const emu = cast(false);
    expect(await post(emu, "team-admin@x.test", "member@x.test")).toBe(201);
    expect(onTeam(emu, "member@x.test")).toBe(true);
  });

  it("CreateWithClosedMembershipTest.test_team_admin_can_add_member_using_user_token", async () => {
    const emu = cast(false);
    const token = userToken(emu, "team-admin@x.test", ["org:read", "team:write"]);
    expect(await post(emu, { token }, "member@x.test")).toBe(201);
    expect(onTeam(emu, "member@x.test")).toBe(true);
  });

  it("CreateWithClosedMembershipTest.test_integration_token_needs_elevated_permissions", async () => {
    const emu = cast(false);
    expect(await post(emu, { token: integrationToken(emu, ["org:read"]) }, "member@x.test")).toBe(202);
    expect(onTeam(emu, "member@x.test")).toBe(false);
    expect(await post(emu, { token: integrationToken(emu, ["team:write"]) }, "member@x.test")).toBe(201);
  });

  it("CreateWithClosedMembershipTest.test_multiple_of_the_same_access_request", async () => {
    const emu = cast(false);
    expect(await post(emu, "member@x.test", "admin@x.test")).toBe(202);
    expect(await post(emu, "member-on-team@x.test", "admin@x.test")).toBe(202);
    expect(onTeam(emu, "admin@x.test")).toBe(false);
  });

  it("DeleteOrganizationMemberTeamTest.test_member_can_leave", async () => {
    const emu = cast();
    const answer = await del(emu, "member-on-team@x.test", "member-on-team@x.test");
    expect(answer).toMatchObject({ status: 200, body: { isMember: false } });
    expect(onTeam(emu, "member-on-team@x.test")).toBe(false);
    expect(emu.state.auditLog.at(-1)?.event).toBe("member.leave-team");
  });

  it("DeleteOrganizationMemberTeamTest.test_member_can_leave_without_membership", async () => {
    const emu = cast();
    expect((await del(emu, "member@x.test", "member@x.test")).status).toBe(200);
    expect(onTeam(emu, "member@x.test")).toBe(false);
  });

  it("DeleteOrganizationMemberTeamTest.test_can_leave_as_superuser_without_membership (as oneself; superuser sessions are not modelled)", async () => {
    const emu = cast();
    expect((await del(emu, "member@x.test", "member@x.test")).status).toBe(200);
  });

  it("DeleteOrganizationMemberTeamTest.test_member_cannot_remove_member", async () => {
    const emu = cast();
    expect((await del(emu, "member-on-team@x.test", "team-admin@x.test")).status).toBe(400);
    expect(onTeam(emu, "team-admin@x.test")).toBe(true);
  });

  it("DeleteOrganizationMemberTeamTest.test_admin_cannot_remove_member", async () => {
    const emu = cast();
    expect((await del(emu, "admin@x.test", "member-on-team@x.test")).status).toBe(400);
    expect(onTeam(emu, "member-on-team@x.test")).toBe(true);
  });

  it("DeleteOrganizationMemberTeamTest.test_admin_cannot_remove_member_using_user_token", async () => {
    const emu = cast();
    const answer = await del(emu, { token: userToken(emu, "admin@x.test", ["team:admin"]) }, "member-on-team@x.test");
    expect(answer).toMatchObject({ status: 400, body: { detail: ERR_INSUFFICIENT_ROLE } });
    expect(onTeam(emu, "member-on-team@x.test")).toBe(true);
  });

  it("DeleteOrganizationMemberTeamTest.test_admin_on_team_can_remove_members", async () => {
    const emu = cast();
    for (const target of ["member-on-team@x.test", "manager-on-team@x.test", "owner-on-team@x.test"]) {
      expect((await del(emu, "admin-on-team@x.test", target)).status).toBe(200);
      expect(onTeam(emu, target)).toBe(false);
    }
  });

  it("DeleteOrganizationMemberTeamTest.test_admin_on_team_can_remove_members_using_user_token", async () => {
    const emu = cast();
    const token = userToken(emu, "admin-on-team@x.test", ["team:admin"]);
    expect((await del(emu, { token }, "member-on-team@x.test")).status).toBe(200);
    expect(onTeam(emu, "member-on-team@x.test")).toBe(false);
  });

  it("DeleteOrganizationMemberTeamTest.test_manager_can_remove_members", async () => {
    const emu = cast();
    for (const target of ["member-on-team@x.test", "manager-on-team@x.test", "owner-on-team@x.test"]) {
      expect((await del(emu, "manager-on-team@x.test", target)).status).toBe(200);
      expect(onTeam(emu, target)).toBe(false);
    }
  });

  it("DeleteOrganizationMemberTeamTest.test_manager_can_remove_members_using_user_token", async () => {
    for (const scope of ["org:write", "team:admin"]) {
      const emu = cast();
      for (const target of ["member-on-team@x.test", "manager-on-team@x.test", "owner-on-team@x.test"]) {
        const token = userToken(emu, "manager@x.test", [scope]);
        expect((await del(emu, { token }, target)).status, `${scope} ${target}`).toBe(200);
        expect(onTeam(emu, target)).toBe(false);
      }
    }
  });

  it("DeleteOrganizationMemberTeamTest.test_owner_can_remove_members", async () => {
    const emu = cast();
    for (const target of ["member-on-team@x.test", "manager-on-team@x.test", "owner-on-team@x.test"]) {
      expect((await del(emu, OWNER, target)).status).toBe(200);
      expect(onTeam(emu, target)).toBe(false);
    }
  });

  it("DeleteOrganizationMemberTeamTest.test_owner_can_remove_members_using_user_token", async () => {
    for (const scope of ["org:write", "org:admin", "team:admin"]) {
      const emu = cast();
      for (const target of ["member-on-team@x.test", "manager-on-team@x.test", "owner-on-team@x.test"]) {
        expect((await del(emu, { token: userToken(emu, OWNER, [scope]) }, target)).status, `${scope} ${target}`).toBe(200);
        expect(onTeam(emu, target)).toBe(false);
      }
    }
  });

  it("DeleteOrganizationMemberTeamTest.test_access_revoked_after_leaving_team", async () => {
    const emu = sentryOrg({
      openMembership: false,
      teams: [{ slug: "team" }],
      projects: [{ slug: "proj", teams: ["team"] }],
      members: [{ email: "user@x.test", orgRole: "member", teams: [{ team: "team" }] }],
    });
    const token = loginAs(emu, "user@x.test");
    expect((await call(emu, "GET", "/api/0/teams/baz/team/", { token })).status).toBe(200);
    expect((await call(emu, "GET", "/api/0/projects/baz/proj/", { token })).status).toBe(200);
    expect((await del(emu, { token }, "user@x.test")).status).toBe(200);
    expect(emu.state.members.some((m) => m.email === "user@x.test")).toBe(true);
    expect(teamsOf(emu, "user@x.test")).toEqual([]);
    expect((await call(emu, "GET", "/api/0/teams/baz/team/", { token })).status).toBe(403);
    expect((await call(emu, "GET", "/api/0/projects/baz/proj/", { token })).status).toBe(403);
  });

  it("DeleteOrganizationMemberTeamTest.test_cannot_leave_idp_provisioned_team", async () => {
    const emu = sentryOrg({
      openMembership: false,
      teams: [{ slug: "idp-team", idpProvisioned: true }],
      members: [{ email: "user@x.test", orgRole: "member", teams: [{ team: "idp-team" }] }],
    });
    expect((await del(emu, "user@x.test", "user@x.test", "idp-team")).status).toBe(403);
    expect(onTeam(emu, "user@x.test", "idp-team")).toBe(true);
  });

  it("ReadOrganizationMemberTeamTest.test_get", async () => {
    const emu = cast();
    expect(await call(emu, "GET", path(emu, "member-on-team@x.test"), { token: loginAs(emu, OWNER) })).toMatchObject({
      status: 200,
      body: { isActive: true, teamRole: null },
    });
  });

  it("ReadOrganizationMemberTeamTest.test_get_role", async () => {
    const emu = cast();
    expect(await call(emu, "GET", path(emu, "team-admin@x.test"), { token: loginAs(emu, OWNER) })).toEqual(
      expect.objectContaining({ status: 200, body: { isActive: true, teamRole: "admin" } }),
    );
  });

  it("ReadOrganizationMemberTeamTest.test_not_found", async () => {
    const emu = cast();
    const token = loginAs(emu, OWNER);
    const id = memberId(emu, "team-admin@x.test");
    expect((await call(emu, "GET", `/api/0/organizations/bad_slug/members/${id}/teams/team/`, { token })).status).toBe(404);
    expect((await call(emu, "GET", `/api/0/organizations/baz/members/${id}/teams/bad_team/`, { token })).status).toBe(404);
    // A team the member is not on is the same 404 (the membership is what convert_args looks up).
    expect((await call(emu, "GET", path(emu, "member@x.test"), { token })).status).toBe(404);
    // The GET scope map: org:read or member:read (or higher); an org auth token (org:ci) is refused.
    expect((await call(emu, "GET", path(emu, "team-admin@x.test"), { token: userToken(emu, OWNER, ["member:read"]) })).status).toBe(200);
    expect((await call(emu, "GET", path(emu, "team-admin@x.test"), { token: userToken(emu, OWNER, ["team:read"]) })).status).toBe(403);
    expect((await call(emu, "GET", path(emu, "team-admin@x.test"), { token: emu.issueToken({ kind: "org", scopes: [] }) })).status).toBe(403);
  });

  it("UpdateOrganizationMemberTeamTest.test_cannot_set_nonexistent_role", async () => {
    const emu = cast();
    expect((await put(emu, OWNER, "member-on-team@x.test", "poobah")).status).toBe(400);
  });

  it("UpdateOrganizationMemberTeamTest.test_cannot_promote_nonmember", async () => {
    const emu = cast();
    expect((await put(emu, OWNER, "member@x.test", "admin")).status).toBe(404);
  });

  for (const [name, as] of [
    ["test_owner_can_promote_member", OWNER],
    ["test_team_admin_can_promote_member", "team-admin@x.test"],
    ["test_admin_can_promote_member", "admin-on-team@x.test"],
  ] as const) {
    it(`UpdateOrganizationMemberTeamTest.${name}`, async () => {
      const emu = cast();
      expect((await put(emu, as, "member-on-team@x.test", "admin")).status).toBe(200);
      expect(teamsOf(emu, "member-on-team@x.test")).toEqual([{ team: "team", role: "admin" }]);
    });
  }

  it("UpdateOrganizationMemberTeamTest.test_member_cannot_promote_member", async () => {
    const emu = cast();
    const answer = await put(emu, "member-on-team@x.test", "team-admin@x.test", "admin");
    expect(answer).toMatchObject({ status: 400, body: { detail: ERR_INSUFFICIENT_ROLE } });
    // Sentry promotes another member of the team; the target here is already a team admin and stays one.
    expect(teamsOf(emu, "team-admin@x.test")).toEqual([{ team: "team", role: "admin" }]);
    const other = await put(emu, "member-on-team@x.test", "member-on-team@x.test", "admin");
    expect(other.status).toBe(400);
    expect(teamsOf(emu, "member-on-team@x.test")).toEqual([{ team: "team", role: null }]);
  });

  for (const [name, scope, status] of [
    ["test_org_write_scope_can_manage_team_roles", "org:write", 200],
    ["test_member_write_scope_can_manage_team_roles", "member:write", 200],
    ["test_team_write_scope_can_manage_team_roles", "team:write", 200],
    ["test_org_read_scope_cannot_manage_team_roles", "org:read", 400],
    ["test_member_read_scope_cannot_manage_team_roles", "member:read", 400],
  ] as const) {
    it(`UpdateOrganizationMemberTeamTest.${name}`, async () => {
      const emu = cast();
      const answer = await put(emu, { token: integrationToken(emu, [scope]) }, "member-on-team@x.test", "admin");
      expect(answer.status).toBe(status);
      if (status === 400) expect(answer.body).toEqual({ detail: ERR_INSUFFICIENT_ROLE });
      expect(teamsOf(emu, "member-on-team@x.test")).toEqual([{ team: "team", role: status === 200 ? "admin" : null }]);
    });
  }

  it("UpdateOrganizationMemberTeamTest.test_team_contributor_cannot_downgrade_team_admin", async () => {
    const emu = cast();
    const answer = await put(emu, "member@x.test", "team-admin@x.test", "contributor");
    expect(answer).toMatchObject({ status: 400, body: { detail: ERR_INSUFFICIENT_ROLE } });
    expect(teamsOf(emu, "team-admin@x.test")).toEqual([{ team: "team", role: "admin" }]);
  });
});
