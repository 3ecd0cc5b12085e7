/**
 * tests/sentry/core/endpoints/test_organization_member_details.py, on the emulator
 * (src/sentry/core/endpoints/organization_member_details.py).
 */
import { describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../../src/testing/index.js";
import { asArray, asObject, call, integrationToken, loginAs, memberId, NOW, ORG, OWNER, outsiderToken, sentryOrg, teamsOf } from "./helpers.js";

const MEMBERS = `${ORG}/members/`;
const NO_PERMISSION = "You do not have permission to perform this action.";

const get = (emu: Emulator, id: string, token?: string) => call(emu, "GET", `${MEMBERS}${id}/`, { token });
const put = (emu: Emulator, id: string, body: Record<string, unknown>, token?: string) => call(emu, "PUT", `${MEMBERS}${id}/`, { body, token });
const del = (emu: Emulator, id: string, token?: string) => call(emu, "DELETE", `${MEMBERS}${id}/`, { token });
const member = (emu: Emulator, email: string) => emu.state.members.find((m) => m.email === email);
const audits = (emu: Emulator, event: string) => emu.state.auditLog.filter((e) => e.event === event);

/** UpdateOrganizationMemberTest.setUp: two members, and a pending invite sent by each. */
function updateSetup(memberInvites = true, extra: Parameters<typeof sentryOrg>[0] = {}): Emulator {
  return sentryOrg({
    memberInvites,
    ...extra,
    teams: [{ slug: "team-foo", name: "Team Foo" }, { slug: "team-bar", name: "Team Bar" }, ...(extra.teams ?? [])],
    members: [
      { email: "member@example.com", orgRole: "member" },
      { email: "other@example.com", orgRole: "member" },
      { email: "member_invite@example.com", orgRole: "member", pending: true, daysAgo: 1, invitedBy: "member@example.com" },
      { email: "other_invite@example.com", orgRole: "member", pending: true, daysAgo: 1, invitedBy: "other@example.com" },
      ...(extra.members ?? []),
    ],
  });
}

describe("test_organization_member_details.py", () => {
  it("GetOrganizationMemberTest.test_me", async () => {
    const emu = sentryOrg();
    const body = asObject((await get(emu, "me")).body);
    expect(body).toMatchObject({ role: "owner", orgRole: "owner", email: OWNER });
    expect(asObject(body.user).id).toBe(member(emu, OWNER)?.userId);
  });

  it("GetOrganizationMemberTest.test_get_by_id", async () => {
    const emu = sentryOrg({ members: [{ email: "dummy@example.com", orgRole: "member" }] });
    const id = memberId(emu, "dummy@example.com");
    expect(await get(emu, id, loginAs(emu, "dummy@example.com"))).toMatchObject({ status: 200, body: { role: "member", orgRole: "member", id } });
  });

  it("GetOrganizationMemberTest.test_get_by_garbage", async () => {
    expect((await get(sentryOrg(), "trash")).status).toBe(404);
  });

  it("GetOrganizationMemberTest.test_invite_link_does_not_exist", async () => {
    const emu = sentryOrg({ members: [{ email: "bar@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect("invite_link" in asObject((await get(emu, memberId(emu, "bar@example.com"))).body)).toBe(false);
  });

  it("GetOrganizationMemberTest.test_member_cannot_get_invite_link", async () => {
    const emu = sentryOrg({
      members: [
        { email: "bar@example.com", orgRole: "member", pending: true, daysAgo: 1 },
        { email: "baz@example.com", orgRole: "member" },
      ],
    });
    const answer = await get(emu, memberId(emu, "bar@example.com"), loginAs(emu, "baz@example.com"));
    expect(answer.status).toBe(200);
    expect("invite_link" in asObject(answer.body)).toBe(false);
  });

  it("GetOrganizationMemberTest.test_get_member_list_teams", async () => {
    const emu = sentryOrg({ teams: [{ slug: "team", name: "Team" }], members: [{ email: "baz@example.com", orgRole: "member", teams: [{ team: "team" }] }] });
    const body = asObject((await get(emu, memberId(emu, "baz@example.com"))).body);
    expect(body.teams).toContain("team");
    expect(asArray(body.teamRoles)[0]).toEqual({ teamSlug: "team", role: null });
  });

  for (const name of ["test_lists_organization_roles", "test_hides_retired_organization_roles"]) {
    it(`GetOrganizationMemberTest.${name}`, async () => {
      const body = asObject((await get(sentryOrg(), "me")).body);
      expect(body.roles).toEqual(body.orgRoleList);
      expect(asArray(body.orgRoleList).map((r) => r.id)).toEqual(["member", "admin", "manager", "owner"]);
    });
  }

  it("GetOrganizationMemberTest.test_lists_team_roles", async () => {
    const body = asObject((await get(sentryOrg(), "me")).body);
    expect(asArray(body.teamRoleList).map((r) => r.id)).toEqual(["contributor", "admin"]);
  });

  it("GetOrganizationMemberTest.test_does_not_include_secondary_emails", async () => {
    const emu = sentryOrg({ members: [{ email: "primary@example.com", orgRole: "member" }] });
    const body = asObject((await get(emu, memberId(emu, "primary@example.com"))).body);
    expect(body.email).toBe("primary@example.com");
    expect("emails" in asObject(body.user)).toBe(false);
    expect("serializedUser" in body).toBe(false);
  });

  it("UpdateOrganizationMemberTest.test_invalid_id", async () => {
    expect((await put(updateSetup(), "trash", { reinvite: 1 })).status).toBe(404);
  });

  it("UpdateOrganizationMemberTest.test_reinvite_pending_member", async () => {
    const emu = updateSetup(true, { members: [{ email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect((await put(emu, memberId(emu, "foo@example.com"), { reinvite: 1 })).status).toBe(200);
    expect(audits(emu, "member.reinvite")).toHaveLength(1);
  });

  it("UpdateOrganizationMemberTest.test_member_reinvite_pending_member", async () => {
    const off = updateSetup(false);
    const offToken = loginAs(off, "member@example.com");
    for (const invite of ["member_invite@example.com", "other_invite@example.com"]) {
      expect(await put(off, memberId(off, invite), { reinvite: 1 }, offToken)).toMatchObject({ status: 403, body: { detail: NO_PERMISSION } });
    }
    const on = updateSetup(true);
    const token = loginAs(on, "member@example.com");
    expect((await put(on, memberId(on, "member_invite@example.com"), { reinvite: 1 }, token)).status).toBe(200);
    expect(audits(on, "member.reinvite")).toHaveLength(1);
    expect(await put(on, memberId(on, "other_invite@example.com"), { reinvite: 1 }, token)).toMatchObject({
      status: 403,
      body: { detail: "You cannot modify invitations sent by someone else." },
    });
  });

  it("UpdateOrganizationMemberTest.test_member_can_only_reinvite", async () => {
    for (const enabled of [false, true]) {
      const emu = updateSetup(enabled);
      const answer = await put(emu, memberId(emu, "member_invite@example.com"), { teams: ["team-foo"] }, loginAs(emu, "member@example.com"));
      expect(answer).toMatchObject({ status: 403, body: { detail: NO_PERMISSION } });
    }
  });

  it("UpdateOrganizationMemberTest.test_member_cannot_reinvite_non_pending_members", async () => {
    for (const enabled of [false, true]) {
      const emu = updateSetup(enabled);
      const answer = await put(emu, memberId(emu, "other@example.com"), { reinvite: 1 }, loginAs(emu, "member@example.com"));
      expect(answer).toMatchObject({ status: 403, body: { detail: NO_PERMISSION } });
    }
  });

  it("UpdateOrganizationMemberTest.test_cannot_reinvite_and_modify_member", async () => {
    const emu = updateSetup(true, { members: [{ email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect(await put(emu, memberId(emu, "foo@example.com"), { reinvite: 1, role: "manager" })).toMatchObject({
      status: 403,
      body: { detail: "You cannot modify member details when resending an invitation. Separate requests are required." },
    });
  });

  it("UpdateOrganizationMemberTest.test_member_details_not_modified_after_reinviting", async () => {
    const emu = updateSetup(true, {
      teams: [{ slug: "moo-deng" }],
      members: [{ email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 1, teams: [{ team: "moo-deng" }] }],
    });
    expect((await put(emu, memberId(emu, "foo@example.com"), { reinvite: 1 })).status).toBe(200);
    expect(audits(emu, "member.reinvite")).toHaveLength(1);
    expect(member(emu, "foo@example.com")).toMatchObject({ orgRole: "member", teams: [{ team: "moo-deng", role: null }] });
  });

  it("UpdateOrganizationMemberTest.test_rate_limited", async () => {
    const emu = createEmulator({
      fixture: {
        org: { slug: "baz" },
        members: [
          { email: OWNER, orgRole: "owner" },
          { email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 1 },
        ],
      },
      rateLimit: { invites: { perEmail: 1 } },
      now: () => NOW,
    });
    const id = memberId(emu, "foo@example.com");
    expect((await put(emu, id, { reinvite: 1 })).status).toBe(200);
    expect((await put(emu, id, { reinvite: 1 })).status).toBe(429);
    expect(audits(emu, "member.reinvite")).toHaveLength(1);
  });

  it("UpdateOrganizationMemberTest.test_member_cannot_regenerate_pending_invite", async () => {
    const emu = updateSetup(true, { members: [{ email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect((await put(emu, memberId(emu, "foo@example.com"), { reinvite: 1, regenerate: 1 }, loginAs(emu, "other@example.com"))).status).toBe(403);
    const off = updateSetup(false);
    expect(await put(off, memberId(off, "member_invite@example.com"), { reinvite: 1, regenerate: 1 }, loginAs(off, "member@example.com"))).toMatchObject({
      status: 403,
      body: { detail: NO_PERMISSION },
    });
    expect(await put(emu, memberId(emu, "member_invite@example.com"), { reinvite: 1, regenerate: 1 }, loginAs(emu, "member@example.com"))).toMatchObject({
      status: 400,
      body: { detail: "You are missing the member:admin scope." },
    });
  });

  it("UpdateOrganizationMemberTest.test_admin_can_regenerate_pending_invite", async () => {
    const emu = updateSetup(true, { members: [{ email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    const answer = await put(emu, memberId(emu, "foo@example.com"), { reinvite: 1, regenerate: 1 });
    expect(answer.status).toBe(200);
    expect("invite_link" in asObject(answer.body)).toBe(false);
  });

  it("UpdateOrganizationMemberTest.test_reinvite_invite_expired_member", async () => {
    const emu = updateSetup(true, { members: [{ email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 40 }] });
    expect((await put(emu, memberId(emu, "foo@example.com"), { reinvite: 1 })).status).toBe(400);
    expect(member(emu, "foo@example.com")?.expired).toBe(true);
  });

  it("UpdateOrganizationMemberTest.test_regenerate_invite_expired_member", async () => {
    const emu = updateSetup(true, { members: [{ email: "foo@example.com", orgRole: "member", pending: true, daysAgo: 40 }] });
    expect((await put(emu, memberId(emu, "foo@example.com"), { reinvite: 1, regenerate: 1 })).status).toBe(200);
    expect(member(emu, "foo@example.com")?.expired).toBe(false);
  });

  it("UpdateOrganizationMemberTest.test_reinvite_sso_link", async () => {
    const emu = updateSetup(true, { authProvider: { provider: "dummy", scimEnabled: false }, members: [{ email: "bar@example.com", orgRole: "member" }] });
    expect((await put(emu, memberId(emu, "bar@example.com"), { reinvite: 1 })).status).toBe(200);
  });

  for (const name of ["test_can_update_member_membership", "test_can_update_org_role"]) {
    it(`UpdateOrganizationMemberTest.${name}`, async () => {
      const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member" }] });
      expect((await put(emu, memberId(emu, "baz@example.com"), { role: "manager" })).status).toBe(200);
      expect(member(emu, "baz@example.com")?.orgRole).toBe("manager");
      expect(audits(emu, "member.edit")).toHaveLength(1);
    });
  }

  it("UpdateOrganizationMemberTest.test_cannot_update_own_membership", async () => {
    const emu = updateSetup();
    expect((await put(emu, memberId(emu, OWNER), { role: "manager" })).status).toBe(400);
    expect(member(emu, OWNER)?.orgRole).toBe("owner");
  });

  for (const name of ["test_can_update_teams", "test_can_update_teams_with_feature_flag"]) {
    it(`UpdateOrganizationMemberTest.${name}`, async () => {
      const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member" }] });
      expect((await put(emu, memberId(emu, "baz@example.com"), { teams: ["team-foo", "team-bar"] })).status).toBe(200);
      expect(
        teamsOf(emu, "baz@example.com")
          .map((t) => t.team)
          .sort(),
      ).toEqual(["team-bar", "team-foo"]);
    });
  }

  it("UpdateOrganizationMemberTest.test_can_update_teams_using_teamRoles", async () => {
    const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member" }] });
    const body = {
      teamRoles: [
        { teamSlug: "team-foo", role: null },
        { teamSlug: "team-bar", role: null },
      ],
    };
    expect((await put(emu, memberId(emu, "baz@example.com"), body)).status).toBe(200);
    expect(
      teamsOf(emu, "baz@example.com")
        .map((t) => t.team)
        .sort(),
    ).toEqual(["team-bar", "team-foo"]);
  });

  it("UpdateOrganizationMemberTest.test_cannot_update_with_invalid_team", async () => {
    const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member" }] });
    expect((await put(emu, memberId(emu, "baz@example.com"), { teams: ["invalid"] })).status).toBe(400);
    expect(teamsOf(emu, "baz@example.com")).toEqual([]);
  });

  it("UpdateOrganizationMemberTest.test_can_update_team_role", async () => {
    const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member", teams: [{ team: "team-foo" }] }] });
    const id = memberId(emu, "baz@example.com");
    expect((await put(emu, id, { teamRoles: [{ teamSlug: "team-foo", role: "admin" }] })).status).toBe(200);
    expect(teamsOf(emu, "baz@example.com")).toEqual([{ team: "team-foo", role: "admin" }]);
    expect((await put(emu, id, { teamRoles: [{ teamSlug: "team-foo", role: null }] })).status).toBe(200);
    expect(teamsOf(emu, "baz@example.com")).toEqual([{ team: "team-foo", role: null }]);
  });

  it("UpdateOrganizationMemberTest.test_cannot_update_with_invalid_role", async () => {
    const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member" }] });
    expect((await put(emu, memberId(emu, "baz@example.com"), { role: "invalid" })).status).toBe(400);
    expect(member(emu, "baz@example.com")?.orgRole).toBe("member");
  });

  it("UpdateOrganizationMemberTest.test_can_update_from_retired_role_with_flag", async () => {
    const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "admin" }] });
    expect((await put(emu, memberId(emu, "baz@example.com"), { role: "member" })).status).toBe(200);
    expect(member(emu, "baz@example.com")?.orgRole).toBe("member");
  });

  it("UpdateOrganizationMemberTest.test_cannot_update_to_retired_role_with_flag", async () => {
    const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member" }] });
    expect((await put(emu, memberId(emu, "baz@example.com"), { role: "admin" })).status).toBe(400);
    expect(member(emu, "baz@example.com")?.orgRole).toBe("member");
  });

  it("UpdateOrganizationMemberTest.test_cannot_reinvite_normal_member", async () => {
    const emu = updateSetup(true, { members: [{ email: "bar@example.com", orgRole: "member" }] });
    expect((await put(emu, memberId(emu, "bar@example.com"), { reinvite: 1 })).status).toBe(400);
  });

  it("UpdateOrganizationMemberTest.test_cannot_lower_superior_role", async () => {
    const emu = updateSetup(true, {
      members: [
        { email: "baz@example.com", orgRole: "owner" },
        { email: "foo@example.com", orgRole: "manager" },
      ],
    });
    expect((await put(emu, memberId(emu, "baz@example.com"), { role: "member" }, loginAs(emu, "foo@example.com"))).status).toBe(403);
    expect(member(emu, "baz@example.com")?.orgRole).toBe("owner");
  });

  it("UpdateOrganizationMemberTest.test_with_internal_integration", async () => {
    const emu = updateSetup(true, { members: [{ email: "baz@example.com", orgRole: "member" }] });
    const answer = await put(emu, memberId(emu, "baz@example.com"), { role: "manager" }, integrationToken(emu, ["member:admin"]));
    expect(answer.status).toBe(400);
    expect(member(emu, "baz@example.com")?.orgRole).toBe("member");
  });

  it("UpdateOrganizationMemberTest.test_cannot_update_partnership_member", async () => {
    const emu = updateSetup(true, { members: [{ email: "bar@example.com", orgRole: "member", flags: { "partnership:restricted": true } }] });
    expect((await put(emu, memberId(emu, "bar@example.com"), {})).status).toBe(403);
  });

  it("UpdateOrganizationMemberTest.test_cannot_add_to_team_when_team_roles_disabled (the billing role has no team roles)", async () => {
    const emu = updateSetup(true, { members: [{ email: "bill@example.com", orgRole: "billing" }] });
    expect(await put(emu, memberId(emu, "bill@example.com"), { teamRoles: [{ teamSlug: "team-foo", role: null }] })).toMatchObject({
      status: 400,
      body: { detail: "The user with a 'billing' role cannot have team-level permissions." },
    });
  });

  it("UpdateOrganizationMemberTest.test_cannot_demote_team_member_to_role_where_team_roles_disabled (to billing)", async () => {
    const emu = updateSetup(true, { members: [{ email: "mgr@example.com", orgRole: "manager", teams: [{ team: "team-foo" }] }] });
    expect(await put(emu, memberId(emu, "mgr@example.com"), { orgRole: "billing" })).toMatchObject({
      status: 400,
      body: { detail: "The user with a 'billing' role cannot have team-level permissions." },
    });
    expect(member(emu, "mgr@example.com")?.orgRole).toBe("manager");
  });

  it("UpdateOrganizationMemberTest.test_can_demote_team_member_to_role_where_team_roles_disabled_with_team_removed (to billing)", async () => {
    const emu = updateSetup(true, { members: [{ email: "mgr@example.com", orgRole: "manager", teams: [{ team: "team-foo" }] }] });
    expect((await put(emu, memberId(emu, "mgr@example.com"), { orgRole: "billing", teamRoles: [] })).status).toBe(200);
    expect(member(emu, "mgr@example.com")).toMatchObject({ orgRole: "billing", teams: [] });
  });

  it("UpdateOrganizationMemberTest.test_can_promote_team_member_to_role_where_team_roles_enabled (from billing)", async () => {
    const emu = updateSetup(true, { members: [{ email: "bill@example.com", orgRole: "billing" }] });
    expect((await put(emu, memberId(emu, "bill@example.com"), { orgRole: "manager", teamRoles: [{ teamSlug: "team-foo", role: null }] })).status).toBe(200);
    expect(member(emu, "bill@example.com")).toMatchObject({ orgRole: "manager", teams: [{ team: "team-foo", role: null }] });
  });

  /** DeleteOrganizationMemberTest.setUp: two members. */
  const deleteSetup = (extra: Parameters<typeof sentryOrg>[0] = {}) => updateSetup(extra.memberInvites ?? true, extra);

  it("DeleteOrganizationMemberTest.test_simple", async () => {
    const emu = deleteSetup({ members: [{ email: "bar@example.com", orgRole: "member" }] });
    expect((await del(emu, memberId(emu, "bar@example.com"))).status).toBe(204);
    expect(member(emu, "bar@example.com")).toBeUndefined();
    expect(audits(emu, "member.remove")).toHaveLength(1);
  });

  it("DeleteOrganizationMemberTest.test_invalid_id", async () => {
    expect((await del(deleteSetup(), "trash")).status).toBe(404);
  });

  it("DeleteOrganizationMemberTest.test_cannot_delete_member_with_higher_access", async () => {
    const emu = deleteSetup({ members: [{ email: "bar@example.com", orgRole: "manager" }] });
    expect((await del(emu, memberId(emu, OWNER), loginAs(emu, "bar@example.com"))).status).toBe(400);
    expect(member(emu, OWNER)).toBeDefined();
  });

  it("DeleteOrganizationMemberTest.test_cannot_delete_only_owner", async () => {
    // A pending owner invite does not count.
    const emu = deleteSetup({ members: [{ email: "bar@example.com", orgRole: "owner", pending: true, daysAgo: 1 }] });
    expect(await del(emu, memberId(emu, OWNER))).toMatchObject({
      status: 403,
      body: { detail: "You cannot remove the only remaining owner or manager of the organization." },
    });
    expect(member(emu, OWNER)).toBeDefined();
  });

  it("DeleteOrganizationMemberTest.test_cannot_delete_only_owner_or_manager", async () => {
    // Sentry builds an org whose only member is a manager; here the owner leaves first (a manager remains).
    const emu = sentryOrg({ members: [{ email: "manager@example.com", orgRole: "manager" }] });
    const token = loginAs(emu, "manager@example.com");
    expect((await del(emu, "me")).status).toBe(204);
    expect(await del(emu, "me", token)).toMatchObject({
      status: 403,
      body: { detail: "You cannot remove the only remaining owner or manager of the organization." },
    });
    expect(member(emu, "manager@example.com")).toBeDefined();
  });

  it("DeleteOrganizationMemberTest.test_can_delete_self", async () => {
    const emu = deleteSetup({ members: [{ email: "bar@example.com", orgRole: "member" }] });
    expect((await del(emu, "me", loginAs(emu, "bar@example.com"))).status).toBe(204);
    expect(member(emu, "bar@example.com")).toBeUndefined();
  });

  it("DeleteOrganizationMemberTest.test_missing_scope", async () => {
    const emu = deleteSetup({
      members: [
        { email: "bar@example.com", orgRole: "member" },
        { email: "baz@example.com", orgRole: "member" },
      ],
    });
    expect((await del(emu, memberId(emu, "baz@example.com"), loginAs(emu, "bar@example.com"))).status).toBe(400);
    expect(member(emu, "baz@example.com")).toBeDefined();
  });

  it("DeleteOrganizationMemberTest.test_disabled_member_can_remove", async () => {
    const emu = deleteSetup({ members: [{ email: "bar@example.com", orgRole: "member", flags: { "member-limit:restricted": true } }] });
    expect((await del(emu, "me", loginAs(emu, "bar@example.com"))).status).toBe(204);
    expect(member(emu, "bar@example.com")).toBeUndefined();
  });

  it("DeleteOrganizationMemberTest.test_cannot_delete_idp_provisioned_member", async () => {
    const emu = deleteSetup({ members: [{ email: "bar@example.com", orgRole: "member", flags: { "idp:provisioned": true } }] });
    expect((await del(emu, memberId(emu, "bar@example.com"))).status).toBe(403);
    expect(member(emu, "bar@example.com")).toBeDefined();
  });

  it("DeleteOrganizationMemberTest.test_can_delete_pending_invite", async () => {
    const emu = deleteSetup({ members: [{ email: "invitee@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect((await del(emu, memberId(emu, "invitee@example.com"))).status).toBe(204);
  });

  it("DeleteOrganizationMemberTest.test_cannot_delete_partnership_member", async () => {
    const emu = deleteSetup({ members: [{ email: "bar@example.com", orgRole: "member", flags: { "partnership:restricted": true } }] });
    expect((await del(emu, memberId(emu, "bar@example.com"))).status).toBe(403);
  });

  it("DeleteOrganizationMemberTest.test_member_delete_pending_invite", async () => {
    const off = deleteSetup({ memberInvites: false });
    const offToken = loginAs(off, "member@example.com");
    expect((await del(off, memberId(off, "member_invite@example.com"), offToken)).status).toBe(400);
    expect((await del(off, memberId(off, "member_invite@example.com"), offToken)).status).toBe(400);
    const on = deleteSetup();
    const token = loginAs(on, "member@example.com");
    expect((await del(on, memberId(on, "member_invite@example.com"), token)).status).toBe(204);
    expect((await del(on, memberId(on, "other_invite@example.com"), token)).status).toBe(400);
  });

  it("DeleteOrganizationMemberTest.test_member_cannot_delete_members", async () => {
    for (const enabled of [false, true]) {
      const emu = deleteSetup({ memberInvites: enabled });
      expect((await del(emu, memberId(emu, "other@example.com"), loginAs(emu, "member@example.com"))).status).toBe(400);
    }
  });

  it("DeleteOrganizationMemberTest.test_related_invitations_are_deleted (pending invites; invite requests are not modelled)", async () => {
    const emu = deleteSetup({ teams: [{ slug: "team" }], members: [{ email: "manager@localhost", orgRole: "manager" }] });
    const token = loginAs(emu, "manager@localhost");
    expect((await call(emu, "POST", MEMBERS, { token, body: { email: "bar@example.com", role: "member", teams: ["team"] } })).status).toBe(201);
    expect(member(emu, "bar@example.com")?.pending).toBe(true);
    expect((await del(emu, "me", token)).status).toBe(204);
    expect(member(emu, "bar@example.com")).toBeUndefined();
  });

  it("DeleteOrganizationMemberTest.test_invitations_dont_get_deleted_on_invite_detetion", async () => {
    const emu = deleteSetup({
      teams: [{ slug: "team" }],
      members: [
        { email: "manager@localhost", orgRole: "manager" },
        { email: "user@org.com", orgRole: "member" },
      ],
    });
    const token = loginAs(emu, "manager@localhost");
    expect((await call(emu, "POST", MEMBERS, { token, body: { email: "bar@example.com", role: "member", teams: ["team"] } })).status).toBe(201);
    const before = emu.state.members.length;
    expect((await del(emu, memberId(emu, "bar@example.com"), token)).status).toBe(204);
    expect(emu.state.members.length).toBe(before - 1);
    expect(member(emu, "user@org.com")).toBeDefined();
  });

  it("ResetOrganizationMember2faTest.test_owner_must_have_org_membership (the member-details part)", async () => {
    const emu = sentryOrg({
      members: [
        { email: "member@example.com", orgRole: "member" },
        { email: "elsewhere@example.com", orgRole: "owner" },
      ],
    });
    const token = await outsiderToken(emu, "elsewhere@example.com");
    expect((await get(emu, memberId(emu, "member@example.com"), token)).status).toBe(403);
  });
});
