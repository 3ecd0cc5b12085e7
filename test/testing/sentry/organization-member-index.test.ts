/**
 * tests/sentry/core/endpoints/test_organization_member_index.py, on the emulator
 * (src/sentry/core/endpoints/organization_member_index.py, src/sentry/api/bases/organizationmember.py).
 * The serializer's unit tests are run through the endpoint that uses it.
 */
import { describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../../src/testing/index.js";
import { asArray, asObject, call, integrationToken, loginAs, memberId, NOW, ORG, OWNER, sentryOrg, teamsOf } from "./helpers.js";

const MEMBERS = `${ORG}/members/`;

/** OrganizationMemberListTestBase: the owner, bar@localhost (a member), and a team. */
function listSetup(extra: Parameters<typeof sentryOrg>[0] = {}): Emulator {
  return sentryOrg({
    ...extra,
    teams: [{ slug: "team" }, ...(extra.teams ?? [])],
    members: [{ email: "bar@localhost", name: "bar", orgRole: "member" }, ...(extra.members ?? [])],
  });
}

const emails = async (emu: Emulator, query?: string, token?: string) =>
  asArray((await call(emu, "GET", query === undefined ? MEMBERS : `${MEMBERS}?query=${encodeURIComponent(query)}`, { token })).body).map((m) => m.email);

const invite = (emu: Emulator, body: Record<string, unknown>, token?: string) => call(emu, "POST", MEMBERS, { body, token });

describe("test_organization_member_index.py", () => {
  it("OrganizationMemberRequestSerializerTest.test_valid", async () => {
    const emu = listSetup();
    expect((await invite(emu, { email: "eric@localhost.test", orgRole: "member", teamRoles: [{ teamSlug: "team", role: null }] })).status).toBe(201);
  });

  it("OrganizationMemberRequestSerializerTest.test_valid_deprecated_fields", async () => {
    const emu = listSetup();
    expect((await invite(emu, { email: "eric@localhost.test", role: "member", teams: ["team"] })).status).toBe(201);
  });

  it("OrganizationMemberRequestSerializerTest.test_gets_team_objects", async () => {
    const emu = listSetup();
    expect((await invite(emu, { email: "eric@localhost.test", orgRole: "member", teamRoles: [{ teamSlug: "team", role: "admin" }] })).status).toBe(201);
    // The team is resolved; its role is dropped on invite ("Do not set team-roles when inviting members").
    expect(teamsOf(emu, "eric@localhost.test")).toEqual([{ team: "team", role: null }]);
  });

  it("OrganizationMemberRequestSerializerTest.test_gets_team_objects_with_deprecated_field", async () => {
    const emu = listSetup();
    expect((await invite(emu, { email: "eric@localhost.test", orgRole: "member", teams: ["team"] })).status).toBe(201);
    expect(teamsOf(emu, "eric@localhost.test")).toEqual([{ team: "team", role: null }]);
  });

  it("OrganizationMemberRequestSerializerTest.test_invalid_email", async () => {
    const emu = listSetup({ members: [{ email: "invited@x.test", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect(await invite(emu, { email: "invited@x.test", orgRole: "member", teamRoles: [] })).toMatchObject({
      status: 400,
      body: { email: ["The user invited@x.test has already been invited"] },
    });
    expect(await invite(emu, { email: "bar@localhost", orgRole: "member", teamRoles: [] })).toMatchObject({
      status: 400,
      body: { email: ["The user bar@localhost is already a member"] },
    });
  });

  it("OrganizationMemberRequestSerializerTest.test_invalid_team_invites", async () => {
    const emu = listSetup();
    expect(await invite(emu, { email: "eric@localhost.test", orgRole: "member", teams: ["faketeam"] })).toMatchObject({
      status: 400,
      body: { teams: ["Invalid teams"] },
    });
  });

  it("OrganizationMemberRequestSerializerTest.test_invalid_org_role", async () => {
    const emu = listSetup();
    const answer = await invite(emu, { email: "eric@localhost.test", orgRole: "owner", teamRoles: [] }, loginAs(emu, "bar@localhost"));
    expect(answer).toMatchObject({ status: 400, body: { orgRole: ["You do not have permission to set that org-level role"] } });
  });

  it("OrganizationMemberRequestSerializerTest.test_invalid_team_role", async () => {
    const emu = listSetup();
    const answer = await invite(emu, { email: "eric@localhost.test", orgRole: "member", teamRoles: [{ teamSlug: "team", role: "no-such-team-role" }] });
    expect(answer).toMatchObject({ status: 400, body: { teamRoles: ["Invalid team-role"] } });
  });

  it("OrganizationMemberListTest.test_simple", async () => {
    const emu = listSetup();
    const rows = asArray((await call(emu, "GET", MEMBERS)).body);
    expect(rows.map((r) => r.email)).toEqual([OWNER, "bar@localhost"]);
    expect(rows[0]).toMatchObject({ pending: false, expired: false });
  });

  it("OrganizationMemberListTest.test_empty_query", async () => {
    const emu = listSetup();
    expect(await emails(emu, "")).toEqual([OWNER, "bar@localhost"]);
  });

  it("OrganizationMemberListTest.test_query", async () => {
    const emu = listSetup();
    expect(await emails(emu, "bar")).toEqual(["bar@localhost"]);
  });

  it("OrganizationMemberListTest.test_id_query", async () => {
    const emu = listSetup({ members: [{ email: "billy@localhost", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect(await emails(emu, `id:${memberId(emu, "billy@localhost")}`)).toEqual(["billy@localhost"]);
  });

  it("OrganizationMemberListTest.test_id_query_with_invalid_value", async () => {
    const emu = listSetup();
    expect(await emails(emu, "id:not-a-number")).toEqual([]);
  });

  it("OrganizationMemberListTest.test_user_id_query", async () => {
    const emu = listSetup({ members: [{ email: "zoo@localhost", orgRole: "member" }] });
    const userId = emu.state.members.find((m) => m.email === "zoo@localhost")?.userId;
    expect(await emails(emu, `user.id:${userId}`)).toEqual(["zoo@localhost"]);
  });

  it("OrganizationMemberListTest.test_user_id_query_with_invalid_value", async () => {
    const emu = listSetup();
    expect(await emails(emu, "user.id:undefined")).toEqual([]);
  });

  it("OrganizationMemberListTest.test_query_null_user", async () => {
    const emu = listSetup({ members: [{ email: "billy@localhost", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect(await emails(emu, "bill")).toEqual(["billy@localhost"]);
  });

  it("OrganizationMemberListTest.test_email_query", async () => {
    const emu = listSetup();
    expect(await emails(emu, OWNER)).toEqual([OWNER]);
  });

  it("OrganizationMemberListTest.test_scope_query", async () => {
    const emu = listSetup();
    expect(await emails(emu, 'scope:"invalid:scope"')).toEqual([]);
    expect(await emails(emu, 'scope:"org:admin"')).toEqual([OWNER]);
  });

  it("OrganizationMemberListTest.test_role_query", async () => {
    const emu = listSetup();
    expect(await emails(emu, "role:member")).toEqual(["bar@localhost"]);
    expect(await emails(emu, "role:owner")).toEqual([OWNER]);
  });

  it("OrganizationMemberListTest.test_is_invited_query", async () => {
    expect(await emails(listSetup(), "isInvited:true")).toEqual([]);
    const emu = listSetup({ members: [{ email: "invited-member@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect(await emails(emu, "isInvited:true")).toEqual(["invited-member@example.com"]);
    expect(await emails(emu, "isInvited:false")).toHaveLength(2);
  });

  it("OrganizationMemberListTest.test_sso_linked_query", async () => {
    expect(await emails(listSetup(), "ssoLinked:true")).toEqual([]);
    const emu = listSetup({ members: [{ email: "morty@localhost", orgRole: "member", flags: { "sso:linked": true } }] });
    expect(await emails(emu, "ssoLinked:true")).toEqual(["morty@localhost"]);
    expect(await emails(emu, "ssoLinked:false")).toHaveLength(2);
  });

  it("OrganizationMemberListTest.test_2fa_enabled_query", async () => {
    expect(await emails(listSetup(), "has2fa:true")).toEqual([]);
    const emu = listSetup({
      members: [
        { email: "morty@localhost", orgRole: "member", has2fa: true },
        { email: "pending@localhost", orgRole: "member", pending: true, daysAgo: 1 },
      ],
    });
    expect(await emails(emu, "has2fa:true")).toEqual(["morty@localhost"]);
    // Both filters go through user ids: a pending invite matches neither.
    expect(await emails(emu, "has2fa:false")).toEqual([OWNER, "bar@localhost"]);
  });

  it("OrganizationMemberListTest.test_owner_invites", async () => {
    const emu = listSetup();
    expect(await invite(emu, { email: "eric@localhost.test", role: "owner", teams: ["team"] })).toMatchObject({
      status: 201,
      body: { email: "eric@localhost.test" },
    });
  });

  it("OrganizationMemberListTest.test_valid_for_invites", async () => {
    const emu = listSetup();
    expect((await invite(emu, { email: "foo@example.com", orgRole: "manager", teams: ["team"] })).status).toBe(201);
    const member = emu.state.members.find((m) => m.email === "foo@example.com");
    expect(member).toMatchObject({ userId: null, orgRole: "manager", pending: true, teams: [{ team: "team", role: null }] });
    expect(emu.state.auditLog.at(-1)).toMatchObject({ event: "member.invite", targetObject: Number(member?.id) });
  });

  it("OrganizationMemberListTest.test_existing_user_for_invite", async () => {
    const emu = listSetup({ members: [{ email: "foobar@example.com", orgRole: "member" }] });
    expect((await invite(emu, { email: "foobar@example.com", role: "member", teams: ["team"] })).status).toBe(400);
    expect(emu.state.members.filter((m) => m.email === "foobar@example.com")).toHaveLength(1);
  });

  it("OrganizationMemberListTest.test_cannot_invite_when_already_invited", async () => {
    const emu = listSetup({ members: [{ email: "foobar@example.com", orgRole: "member", pending: true, daysAgo: 1 }] });
    expect((await invite(emu, { email: "foobar@example.com", role: "member", teams: ["team"] })).status).toBe(400);
    expect(emu.state.members.find((m) => m.email === "foobar@example.com")).toMatchObject({ pending: true, orgRole: "member" });
  });

  it("OrganizationMemberListTest.test_cannot_invite_retired_role_with_flag", async () => {
    const emu = listSetup();
    expect(await invite(emu, { email: "baz@example.com", role: "admin", teams: ["team"] })).toMatchObject({
      status: 400,
      body: { role: ["The role 'admin' is deprecated and may no longer be assigned."] },
    });
  });

  it("OrganizationMemberListTest.test_does_not_include_secondary_emails", async () => {
    const emu = listSetup({ members: [{ email: "primary@example.com", orgRole: "member", teams: [{ team: "team" }] }] });
    const row = asArray((await call(emu, "GET", MEMBERS)).body).find((m) => m.email === "primary@example.com");
    expect(row?.email).toBe("primary@example.com");
    expect("emails" in asObject(row?.user)).toBe(false);
  });

  /** invite_all_helper: who may invite which role, with member invites off and then on. */
  async function inviteAll(role: "owner" | "manager" | "admin" | "member") {
    const allowed: Record<typeof role, string[]> = {
      owner: ["owner", "manager", "member"],
      manager: ["manager", "member"],
      admin: ["member"],
      member: ["member"],
    };
    for (const enabled of [false, true]) {
      const emu = listSetup({ memberInvites: enabled, members: [{ email: "user@localhost", orgRole: role }] });
      const token = loginAs(emu, "user@localhost");
      for (const inviteRole of ["owner", "manager", "member"]) {
        const answer = await invite(
          emu,
          { email: `${inviteRole}_${enabled}@localhost.test`, role: inviteRole, teamRoles: [{ teamSlug: "team", role: "contributor" }] },
          token,
        );
        const expected = !enabled && (role === "member" || role === "admin") ? 403 : allowed[role].includes(inviteRole) ? 201 : 400;
        expect(answer.status, `${role} invites ${inviteRole}, member invites ${enabled ? "on" : "off"}`).toBe(expected);
        if (expected === 403) expect(answer.body).toEqual({ detail: "You do not have permission to perform this action." });
      }
    }
  }

  /** invite_to_other_team_helper: invite-only roles and the teams they may assign. */
  async function inviteToOtherTeam(role: "admin" | "member") {
    const outcome = async (open: boolean, enabled: boolean, otherTeam: boolean, teamRoles: boolean) => {
      const emu = listSetup({
        openMembership: open,
        memberInvites: enabled,
        teams: [{ slug: "moo-dengs-team", name: "Moo Deng's Team" }],
        members: [{ email: "inviter@localhost", orgRole: role, teams: [{ team: "team" }] }],
      });
      const slug = otherTeam ? "moo-dengs-team" : "team";
      const body = {
        email: "foo@localhost.test",
        role: "member",
        ...(teamRoles ? { teamRoles: [{ teamSlug: slug, role: "contributor" }] } : { teams: [slug] }),
      };
      return invite(emu, body, loginAs(emu, "inviter@localhost"));
    };
    const refused = { detail: "You do not have permission to perform this action." };
    expect(await outcome(true, false, false, true)).toMatchObject({ status: 403, body: refused });
    expect(await outcome(false, false, false, true)).toMatchObject({ status: 403, body: refused });
    const notMine = { detail: "You cannot assign members to teams you are not a member of." };
    expect((await outcome(false, true, false, true)).status).toBe(201);
    expect(await outcome(false, true, true, true)).toMatchObject({ status: 400, body: notMine });
    expect((await outcome(false, true, false, false)).status).toBe(201);
    expect(await outcome(false, true, true, false)).toMatchObject({ status: 400, body: notMine });
    for (const [otherTeam, teamRoles] of [
      [false, true],
      [true, true],
      [false, false],
      [true, false],
    ] as const) {
      expect((await outcome(true, true, otherTeam, teamRoles)).status).toBe(201);
    }
  }

  it("OrganizationMemberPermissionRoleTest.test_owner_invites", async () => {
    await inviteAll("owner");
  });
  it("OrganizationMemberPermissionRoleTest.test_manager_invites", async () => {
    await inviteAll("manager");
  });
  it("OrganizationMemberPermissionRoleTest.test_admin_invites", async () => {
    await inviteAll("admin");
    await inviteToOtherTeam("admin");
  });
  it("OrganizationMemberPermissionRoleTest.test_member_invites", async () => {
    await inviteAll("member");
    await inviteToOtherTeam("member");
  });

  it("OrganizationMemberPermissionRoleTest.test_no_team_invites", async () => {
    const emu = listSetup();
    expect(await invite(emu, { email: "eric@localhost.test", role: "owner", teams: [] })).toMatchObject({
      status: 201,
      body: { email: "eric@localhost.test" },
    });
  });

  it("OrganizationMemberListPostTest.test_forbid_qq", async () => {
    const emu = listSetup();
    expect(await invite(emu, { email: "1234@qq.com", role: "member", teams: ["team"] })).toMatchObject({
      status: 400,
      body: { email: ["Enter a valid email address."] },
    });
  });

  it("OrganizationMemberListPostTest.test_simple", async () => {
    const emu = listSetup();
    const answer = await invite(emu, { email: "jane@gmail.com", role: "member", teams: ["team"] });
    expect(answer.status).toBe(201);
    expect(emu.state.members.find((m) => m.id === asObject(answer.body).id)).toMatchObject({
      userId: null,
      email: "jane@gmail.com",
      orgRole: "member",
      teams: [{ team: "team", role: null }],
    });
    expect(asObject(answer.body).inviterName).toBe(OWNER);
  });

  it("OrganizationMemberListPostTest.test_no_teams", async () => {
    const emu = listSetup();
    const answer = await invite(emu, { email: "jane@gmail.com", role: "member" });
    expect(answer.status).toBe(201);
    expect(emu.state.members.find((m) => m.id === asObject(answer.body).id)?.teams).toEqual([]);
  });

  it("OrganizationMemberListPostTest.test_no_email (sendInvite is accepted; invitation emails are not modelled)", async () => {
    const emu = listSetup();
    const answer = await invite(emu, { email: "jane@gmail.com", role: "member", teams: ["team"], sendInvite: false });
    expect(answer.status).toBe(201);
    expect(emu.state.members.find((m) => m.id === asObject(answer.body).id)).toMatchObject({ pending: true, teams: [{ team: "team", role: null }] });
  });

  it("OrganizationMemberListPostTest.test_internal_integration_token_can_only_invite_member_role", async () => {
    const emu = listSetup();
    const token = integrationToken(emu, ["member:write"]);
    const message = "Integration tokens are restricted to inviting new members with the member role only.";
    for (const role of ["owner", "manager"]) {
      const answer = await invite(emu, { email: "jane@gmail.com", role, teams: ["team"] }, token);
      expect(answer.status).toBe(400);
      expect(asArray(answer.body as unknown[] as Array<Record<string, unknown>>)).toEqual([message]);
    }
    const created = await invite(emu, { email: "jane@gmail.com", role: "member", teams: ["team"] }, token);
    expect(created.status).toBe(201);
    expect(emu.state.members.find((m) => m.email === "jane@gmail.com")).toMatchObject({
      userId: null,
      orgRole: "member",
      teams: [{ team: "team", role: null }],
    });
  });

  it("OrganizationMemberListPostTest.test_rate_limited", async () => {
    const emu = createEmulator({
      fixture: { org: { slug: "baz" }, teams: [{ slug: "team" }], members: [{ email: OWNER, orgRole: "owner" }] },
      rateLimit: { invites: { perEmail: 1 } },
      now: () => NOW,
    });
    // The emulator's caps stand in for `ratelimits.for_organization_member_invite` (mocked to True in Sentry's test):
    // one invite per email, so a second attempt for the same address (after revoking the first) is refused.
    const first = await invite(emu, { email: "jane@gmail.com", role: "member" });
    expect(first.status).toBe(201);
    expect((await call(emu, "DELETE", `${MEMBERS}${String(asObject(first.body).id)}/`)).status).toBe(204);
    expect((await invite(emu, { email: "jane@gmail.com", role: "member" })).status).toBe(429);
    expect(emu.state.members.some((m) => m.email === "jane@gmail.com")).toBe(false);
  });

  it("OrganizationMemberListPostTest.test_cannot_add_to_team_when_team_roles_disabled (the billing role has no team roles)", async () => {
    const emu = listSetup();
    const answer = await invite(emu, { email: "eric@localhost.test", orgRole: "billing", teamRoles: [{ teamSlug: "team", role: null }] });
    expect(answer).toMatchObject({ status: 400, body: { email: "The user with a 'billing' role cannot have team-level permissions." } });
  });
});
