/**
 * Who may do what, ported from Sentry's permission classes and endpoint code. Each test names the
 * Sentry file it comes from.
 */
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";
import { asArray, asObject, call, demo } from "./helpers.js";

const ORG = "/api/0/organizations/acme";
// Mo Smith: org role member, Team Admin of `notifications` (project notification-hub), contributor on `mobile`.
const TEAM_ADMIN = "mo.smith@acme.test";
// Kai Rossi: org role member, contributor on `payments`.
const CONTRIBUTOR = "kai.rossi@acme.test";
const WIDE = ["org:read", "team:read", "team:write", "team:admin", "project:read", "project:write", "project:admin", "member:read"];

function memberId(emu: ReturnType<typeof demo>, email: string): string {
  const found = emu.state.members.find((m) => m.email === email);
  if (!found) throw new Error(`no member ${email}`);
  return found.id;
}

describe("TeamPermission's team-scope fallback (src/sentry/api/bases/team.py, src/sentry/auth/access.py)", () => {
  it("lets a Team Admin with the member org role edit and delete their own team, not another", async () => {
    const emu = demo();
    const token = emu.issueToken({ scopes: WIDE, userEmail: TEAM_ADMIN });
    expect(await call(emu, "PUT", "/api/0/teams/acme/notifications/", { token, body: { name: "Notify" } })).toMatchObject({
      status: 200,
      body: { name: "Notify" },
    });
    expect((await call(emu, "PUT", "/api/0/teams/acme/payments/", { token, body: { name: "x" } })).status).toBe(403);
    expect((await call(emu, "DELETE", "/api/0/teams/acme/payments/", { token })).status).toBe(403);
    expect((await call(emu, "DELETE", "/api/0/teams/acme/notifications/", { token })).status).toBe(204);
  });

  it("bounds the team role by the token: a Team Admin's token without team:write cannot edit the team", async () => {
    const emu = demo();
    const token = emu.issueToken({ scopes: ["team:read", "team:admin"], userEmail: TEAM_ADMIN });
    // team:admin on the token passes the first stage for DELETE only; PUT needs team:write or team:admin.
    expect(
      (
        await call(emu, "PUT", "/api/0/teams/acme/notifications/", {
          token: emu.issueToken({ scopes: ["team:read"], userEmail: TEAM_ADMIN }),
          body: { name: "x" },
        })
      ).status,
    ).toBe(403);
    expect((await call(emu, "DELETE", "/api/0/teams/acme/notifications/", { token })).status).toBe(204);
  });

  it("refuses a contributor on their own team, and answers 404 (not 403) for an unknown team", async () => {
    const emu = demo();
    const token = emu.issueToken({ scopes: WIDE, userEmail: CONTRIBUTOR });
    expect((await call(emu, "PUT", "/api/0/teams/acme/payments/", { token, body: { name: "x" } })).status).toBe(403);
    expect((await call(emu, "PUT", "/api/0/teams/acme/no-such-team/", { token, body: { name: "x" } })).status).toBe(404);
  });
});

describe("project links (src/sentry/core/endpoints/project_team_details.py, src/sentry/api/bases/project.py)", () => {
  it("lets a Team Admin give any team access to their team's project, and unlink only teams they administer", async () => {
    const emu = demo();
    const token = emu.issueToken({ scopes: WIDE, userEmail: TEAM_ADMIN });
    const link = (team: string, method: string) => call(emu, method, `/api/0/projects/acme/notification-hub/teams/${team}/`, { token });
    expect((await link("payments", "POST")).status).toBe(201);
    expect(await link("payments", "DELETE")).toMatchObject({ status: 403, body: { detail: ["You do not have permission to perform this action."] } });
    expect((await link("notifications", "DELETE")).status).toBe(200);
    // Not a project of any team they administer.
    expect((await call(emu, "POST", "/api/0/projects/acme/payment-api/teams/notifications/", { token })).status).toBe(403);
  });

  it("answers 404 'Team does not exist.' for an unknown team and logs a link even when it already existed", async () => {
    const emu = demo();
    expect(await call(emu, "POST", "/api/0/projects/acme/payment-api/teams/ghosts/")).toMatchObject({ status: 404, body: { detail: "Team does not exist." } });
    const before = emu.state.auditLog.length;
    expect((await call(emu, "POST", "/api/0/projects/acme/payment-api/teams/payments/")).status).toBe(201);
    expect(emu.state.auditLog.slice(before).map((e) => e.event)).toEqual(["project-team.add"]);
  });
});

describe("member PUT (src/sentry/core/endpoints/organization_member_details.py, tests/.../test_organization_member_details.py)", () => {
  it("needs member:admin to change org roles: without it the serializer refuses the role with 400", async () => {
    const emu = demo();
    const manager = emu.issueToken({ scopes: ["member:write", "member:read"], userEmail: "chen.nguyen@acme.test" });
    const target = memberId(emu, CONTRIBUTOR);
    // member:write implies member:invite, so the caller is invite-only: a role change is not even reached.
    expect((await call(emu, "PUT", `${ORG}/members/${target}/`, { token: manager, body: { orgRole: "manager", teamRoles: [] } })).status).toBe(400);
    const admin = emu.issueToken({ scopes: ["member:admin"], userEmail: "chen.nguyen@acme.test" });
    expect(await call(emu, "PUT", `${ORG}/members/${target}/`, { token: admin, body: { orgRole: "manager", teamRoles: [] } })).toMatchObject({
      status: 200,
      body: { orgRole: "manager" },
    });
  });

  it("refuses integration tokens with 400 (test_with_internal_integration)", async () => {
    const emu = demo();
    const token = emu.issueToken({ kind: "integration", scopes: ["member:admin"] });
    expect(await call(emu, "PUT", `${ORG}/members/${memberId(emu, CONTRIBUTOR)}/`, { token, body: { role: "manager" } })).toMatchObject({
      status: 400,
      body: { role: ["You do not have permission to set that org-level role"] },
    });
  });

  it("lets invite-only callers resend only their own pending invites (test_member_reinvite_pending_member)", async () => {
    const emu = demo();
    const member = emu.issueToken({ scopes: ["member:invite", "member:read"], userEmail: CONTRIBUTOR });
    const own = asObject((await call(emu, "POST", `${ORG}/members/`, { token: member, body: { email: "friend@acme.test" } })).body);
    expect((await call(emu, "PUT", `${ORG}/members/${String(own.id)}/`, { token: member, body: { reinvite: true } })).status).toBe(200);
    expect(await call(emu, "PUT", `${ORG}/members/${String(own.id)}/`, { token: member, body: { teams: ["payments"] } })).toMatchObject({
      status: 403,
      body: { detail: "You do not have permission to perform this action." },
    });
    const other = memberId(emu, "new.hire@acme.test");
    expect(await call(emu, "PUT", `${ORG}/members/${other}/`, { token: member, body: { reinvite: true } })).toMatchObject({
      status: 403,
      body: { detail: "You cannot modify invitations sent by someone else." },
    });
    expect((await call(emu, "PUT", `${ORG}/members/${memberId(emu, "lena.kim@acme.test")}/`, { token: member, body: { reinvite: true } })).status).toBe(403);
  });

  it("replaces the team set before the role checks, logging join/leave rows even when the role change is then refused", async () => {
    const emu = demo();
    const manager = emu.issueToken({ scopes: ["member:admin"], userEmail: "chen.nguyen@acme.test" });
    const owner = memberId(emu, "ben.garcia@acme.test");
    const before = emu.state.auditLog.length;
    expect((await call(emu, "PUT", `${ORG}/members/${owner}/`, { token: manager, body: { orgRole: "member", teamRoles: [] } })).status).toBe(403);
    expect(emu.state.members.find((m) => m.id === owner)?.teams).toEqual([]);
    expect(emu.state.auditLog.slice(before).map((e) => e.event)).toEqual(["member.leave-team"]);
  });

  it("refuses the retired admin role (team-roles orgs) and full-member reinvites without SSO to link", async () => {
    const emu = demo();
    const target = memberId(emu, CONTRIBUTOR);
    expect(await call(emu, "PUT", `${ORG}/members/${target}/`, { body: { orgRole: "admin", teamRoles: [] } })).toMatchObject({
      status: 400,
      body: { detail: "The role 'admin' is deprecated and may no longer be assigned." },
    });
    expect(await call(emu, "PUT", `${ORG}/members/${memberId(emu, "ada.smith@acme.test")}/`, { body: { reinvite: true } })).toMatchObject({
      status: 400,
      body: { detail: "You cannot send an invitation to a user who is already a full member." },
    });
    expect(await call(emu, "PUT", `${ORG}/members/${memberId(emu, "new.hire@acme.test")}/`, { body: { reinvite: true, orgRole: "manager" } })).toMatchObject({
      status: 403,
      body: { detail: "You cannot modify member details when resending an invitation. Separate requests are required." },
    });
  });
});

describe("member invite (src/sentry/core/endpoints/organization_member_index.py)", () => {
  it("lets integration tokens invite only as member, answering a bare list otherwise", async () => {
    const emu = demo();
    const token = emu.issueToken({ kind: "integration", scopes: ["member:write"] });
    expect(await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "a@acme.test", orgRole: "manager" } })).toMatchObject({
      status: 400,
      body: ["Integration tokens are restricted to inviting new members with the member role only."],
    });
    expect((await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "b@acme.test" } })).status).toBe(201);
  });

  it("limits invite-only members to roles up to their own and, with closed membership, to teams they are on", async () => {
    const emu = demo();
    const token = emu.issueToken({ scopes: ["member:invite"], userEmail: CONTRIBUTOR });
    expect(await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "m@acme.test", orgRole: "manager" } })).toMatchObject({
      status: 400,
      body: { orgRole: ["You do not have permission to set that org-level role"] },
    });
    expect(await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "t@acme.test", teams: ["identity"] } })).toMatchObject({
      status: 400,
      body: { detail: "You cannot assign members to teams you are not a member of." },
    });
    expect((await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "t@acme.test", teams: ["payments"] } })).status).toBe(201);
  });

  it("ignores team roles on invite and refuses teams for roles without team roles", async () => {
    const emu = demo();
    const res = await call(emu, "POST", `${ORG}/members/`, { body: { email: "r@acme.test", teamRoles: [{ teamSlug: "payments", role: "admin" }] } });
    expect(res.status).toBe(201);
    expect(emu.state.members.find((m) => m.email === "r@acme.test")?.teams).toEqual([{ team: "payments", role: null }]);
    expect(await call(emu, "POST", `${ORG}/members/`, { body: { email: "b@acme.test", orgRole: "billing", teams: ["payments"] } })).toMatchObject({
      status: 400,
      body: { email: "The user with a 'billing' role cannot have team-level permissions." },
    });
  });
});

describe("member DELETE (organization_member_details.py, test_organization_member_details.py)", () => {
  it("lets invite-only members delete only invites they sent (test_member_delete_pending_invite)", async () => {
    const emu = demo();
    const token = emu.issueToken({ scopes: ["member:invite", "member:read"], userEmail: CONTRIBUTOR });
    const own = asObject((await call(emu, "POST", `${ORG}/members/`, { token, body: { email: "mine@acme.test" } })).body);
    expect(await call(emu, "DELETE", `${ORG}/members/${memberId(emu, "new.hire@acme.test")}/`, { token })).toMatchObject({
      status: 400,
      body: { detail: "You cannot modify invitations sent by someone else." },
    });
    expect((await call(emu, "DELETE", `${ORG}/members/${String(own.id)}/`, { token })).status).toBe(204);
  });

  it("refuses integration tokens (no acting member) with 400 and lets a member remove themselves", async () => {
    const emu = demo();
    const integration = emu.issueToken({ kind: "integration", scopes: ["member:admin"] });
    expect(await call(emu, "DELETE", `${ORG}/members/${memberId(emu, CONTRIBUTOR)}/`, { token: integration })).toMatchObject({
      status: 400,
      body: { detail: "You cannot remove a member who has more access than you." },
    });
    const self = emu.issueToken({ scopes: ["member:read"], userEmail: CONTRIBUTOR });
    expect((await call(emu, "DELETE", `${ORG}/members/me/`, { token: self })).status).toBe(204);
  });

  it("checks the caller's right (400) before the IdP lock (403), and removes the invites a removed user sent", async () => {
    const emu = demo();
    const idp = emu.state.members.find((m) => m.flags["idp:provisioned"] && !m.pending);
    const member = emu.issueToken({ scopes: ["member:read"], userEmail: CONTRIBUTOR });
    expect((await call(emu, "DELETE", `${ORG}/members/${idp?.id}/`, { token: member })).status).toBe(400);
    expect(await call(emu, "DELETE", `${ORG}/members/${idp?.id}/`)).toMatchObject({
      status: 403,
      body: { detail: "This user is managed through your organization's identity provider." },
    });
    const inviter = emu.issueToken({ scopes: ["member:invite"], userEmail: "lena.kim@acme.test" });
    await call(emu, "POST", `${ORG}/members/`, { token: inviter, body: { email: "lenas.friend@acme.test" } });
    expect((await call(emu, "DELETE", `${ORG}/members/${memberId(emu, "lena.kim@acme.test")}/`)).status).toBe(204);
    expect(emu.state.members.some((m) => m.email === "lenas.friend@acme.test")).toBe(false);
  });
});

describe("member ↔ team (src/sentry/core/endpoints/organization_member_team_details.py)", () => {
  it("files an access request (202) for a self-join with closed membership, adds directly with open membership", async () => {
    const closed = demo();
    const kai = memberId(closed, CONTRIBUTOR);
    const token = closed.issueToken({ scopes: ["org:read"], userEmail: CONTRIBUTOR });
    expect((await call(closed, "POST", `${ORG}/members/${kai}/teams/identity/`, { token })).status).toBe(202);
    const fixture = {
      org: { slug: "open" },
      teams: [{ slug: "web" }],
      members: [
        { email: "o@open.test", orgRole: "owner" as const },
        { email: "m@open.test", orgRole: "member" as const },
      ],
    };
    const open = createEmulator({ fixture, rateLimit: false });
    const m = open.state.members.find((x) => x.email === "m@open.test")?.id;
    const mine = open.issueToken({ scopes: ["org:read"], userEmail: "m@open.test" });
    expect((await call(open, "POST", `/api/0/organizations/open/members/${m}/teams/web/`, { token: mine })).status).toBe(201);
  });

  it("lets a Team Admin add others to their team and set team roles there; contributors may not promote", async () => {
    const emu = demo();
    const admin = emu.issueToken({ scopes: ["org:read", "team:write", "team:admin"], userEmail: TEAM_ADMIN });
    const kai = memberId(emu, CONTRIBUTOR);
    expect((await call(emu, "POST", `${ORG}/members/${kai}/teams/notifications/`, { token: admin })).status).toBe(201);
    expect(await call(emu, "PUT", `${ORG}/members/${kai}/teams/notifications/`, { token: admin, body: { teamRole: "admin" } })).toMatchObject({
      status: 200,
      body: { teamRole: "admin" },
    });
    const contributor = emu.issueToken({ scopes: ["org:read", "team:write", "member:read"], userEmail: "lena.kim@acme.test" });
    expect(
      await call(emu, "PUT", `${ORG}/members/${memberId(emu, "lena.kim@acme.test")}/teams/identity/`, { token: contributor, body: { teamRole: "admin" } }),
    ).toMatchObject({ status: 400, body: { detail: "You do not have permission to edit that user's membership." } });
    // Without teamRole nothing changes; an unknown role is a choice error.
    expect(await call(emu, "PUT", `${ORG}/members/${kai}/teams/notifications/`, { body: {} })).toMatchObject({ status: 200, body: { teamRole: "admin" } });
    expect(await call(emu, "PUT", `${ORG}/members/${kai}/teams/notifications/`, { body: { teamRole: "boss" } })).toMatchObject({
      status: 400,
      body: { teamRole: ['"boss" is not a valid choice.'] },
    });
  });

  it("orders join checks as Sentry does: an existing member of an IdP team is 204, a new one 403", async () => {
    const emu = demo();
    const onIdpTeam = emu.state.members.find((m) => m.teams.some((t) => t.team === "okta-engineering") && !m.pending);
    expect((await call(emu, "POST", `${ORG}/members/${onIdpTeam?.id}/teams/okta-engineering/`)).status).toBe(204);
    expect((await call(emu, "POST", `${ORG}/members/${memberId(emu, CONTRIBUTOR)}/teams/okta-engineering/`)).status).toBe(403);
  });

  it("removes from a team: permission (400) before the IdP lock (403); a Team Admin may remove from their own team", async () => {
    const emu = demo();
    const member = emu.issueToken({ scopes: ["org:read"], userEmail: CONTRIBUTOR });
    const onIdpTeam = emu.state.members.find((m) => m.teams.some((t) => t.team === "okta-engineering") && !m.pending && m.email !== CONTRIBUTOR);
    expect((await call(emu, "DELETE", `${ORG}/members/${onIdpTeam?.id}/teams/okta-engineering/`, { token: member })).status).toBe(400);
    expect((await call(emu, "DELETE", `${ORG}/members/${onIdpTeam?.id}/teams/okta-engineering/`)).status).toBe(403);
    const admin = emu.issueToken({ scopes: ["org:read", "team:admin"], userEmail: TEAM_ADMIN });
    const onNotifications = emu.state.members.find((m) => m.teams.some((t) => t.team === "notifications") && m.email !== TEAM_ADMIN && m.orgRole === "member");
    expect((await call(emu, "DELETE", `${ORG}/members/${onNotifications?.id}/teams/notifications/`, { token: admin })).status).toBe(200);
    const integration = emu.issueToken({ kind: "integration", scopes: ["org:write"] });
    expect((await call(emu, "DELETE", `${ORG}/members/${memberId(emu, CONTRIBUTOR)}/teams/payments/`, { token: integration })).status).toBe(400);
    expect(asArray((await call(emu, "GET", "/api/0/teams/acme/payments/members/")).body).some((m) => m.email === CONTRIBUTOR)).toBe(true);
  });
});
