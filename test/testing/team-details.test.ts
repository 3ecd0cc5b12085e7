/**
 * Team details as tests/sentry/core/endpoints/test_team_details.py asserts them (src/sentry/core/endpoints/team_details.py,
 * src/sentry/api/bases/team.py TeamPermission through `has_team_scope`, src/sentry/auth/access.py).
 */
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";
import { asObject, call } from "./helpers.js";

const WIDE = ["org:read", "team:read", "team:write", "team:admin", "member:read"];

function org(openMembership: boolean) {
  const emu = createEmulator({
    rateLimit: false,
    fixture: {
      org: { slug: "o", openMembership },
      teams: [{ slug: "core" }, { slug: "other" }, { slug: "scim-made", idpProvisioned: true }],
      members: [
        { email: "owner@o.test", orgRole: "owner" },
        { email: "admin@o.test", orgRole: "admin", teams: [{ team: "core" }] },
        { email: "manager@o.test", orgRole: "manager" },
        { email: "member@o.test", orgRole: "member", teams: [{ team: "core" }] },
        { email: "team-admin@o.test", orgRole: "member", teams: [{ team: "core", role: "admin" }] },
      ],
    },
  });
  const as = (email: string) => emu.issueToken({ userEmail: email, scopes: WIDE });
  return { emu, as };
}

describe("team details (test_team_details.py)", () => {
  it("finds a team by slug or id", async () => {
    const { emu } = org(false);
    const core = emu.state.teams.find((t) => t.slug === "core");
    expect(asObject((await call(emu, "GET", "/api/0/teams/o/core/")).body).id).toBe(core?.id);
    expect(asObject((await call(emu, "GET", `/api/0/teams/o/${core?.id}/`)).body).slug).toBe("core");
  });

  it("lets admins change and delete only teams they are on, unless membership is open; managers and owners any", async () => {
    const closed = org(false);
    // test_admin_with_team_membership / test_admin_without_team_membership (closed org: 403, then open: 200).
    expect((await call(closed.emu, "PUT", "/api/0/teams/o/core/", { token: closed.as("admin@o.test"), body: { name: "Core" } })).status).toBe(200);
    expect((await call(closed.emu, "PUT", "/api/0/teams/o/other/", { token: closed.as("admin@o.test"), body: { slug: "foobar" } })).status).toBe(403);
    expect((await call(closed.emu, "DELETE", "/api/0/teams/o/other/", { token: closed.as("admin@o.test") })).status).toBe(403);
    expect(closed.emu.state.teams.some((t) => t.slug === "other")).toBe(true);
    // Without access to the team its details and member list are refused as well (has_team_scope on team:read).
    expect((await call(closed.emu, "GET", "/api/0/teams/o/other/members/", { token: closed.as("member@o.test") })).status).toBe(403);
    // test_manager_without_team_membership, test_owner_without_team_membership: global roles.
    expect((await call(closed.emu, "PUT", "/api/0/teams/o/other/", { token: closed.as("manager@o.test"), body: { name: "Other" } })).status).toBe(200);
    expect((await call(closed.emu, "PUT", "/api/0/teams/o/other/", { token: closed.as("owner@o.test"), body: { name: "Other 2" } })).status).toBe(200);
    const open = org(true);
    expect((await call(open.emu, "PUT", "/api/0/teams/o/other/", { token: open.as("admin@o.test"), body: { name: "foo", slug: "bar" } })).status).toBe(200);
    expect((await call(open.emu, "DELETE", "/api/0/teams/o/bar/", { token: open.as("admin@o.test") })).status).toBe(204);
  });

  it("refuses members without a team role and lets a member-role Team Admin change and delete the team", async () => {
    const { emu, as } = org(false);
    // test_member_without_team_role, TeamDeleteTest.test_member: 403 even on their own team.
    expect((await call(emu, "PUT", "/api/0/teams/o/core/", { token: as("member@o.test"), body: { slug: "foobar" } })).status).toBe(403);
    expect((await call(emu, "DELETE", "/api/0/teams/o/core/", { token: as("member@o.test") })).status).toBe(403);
    // test_member_with_team_role (both classes).
    expect(await call(emu, "PUT", "/api/0/teams/o/core/", { token: as("team-admin@o.test"), body: { name: "foo", slug: "bar" } })).toMatchObject({
      status: 200,
      body: { name: "foo", slug: "bar" },
    });
    expect((await call(emu, "DELETE", "/api/0/teams/o/bar/", { token: as("team-admin@o.test") })).status).toBe(204);
  });

  it("refuses an all-numeric slug and any change to an IdP-provisioned team, even by an owner", async () => {
    const { emu } = org(false);
    // test_invalid_numeric_slug: DEFAULT_SLUG_ERROR_MESSAGE.
    expect(await call(emu, "PUT", "/api/0/teams/o/core/", { body: { slug: "1234" } })).toMatchObject({
      status: 400,
      body: {
        slug: ["Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric."],
      },
    });
    // test_cannot_modify_idp_provisioned_teams, test_cannot_delete_idp_provisioned_teams.
    const managed = { status: 403, body: { detail: "This team is managed through your organization's identity provider." } };
    expect(await call(emu, "PUT", "/api/0/teams/o/scim-made/", { body: { name: "foo" } })).toMatchObject(managed);
    expect(await call(emu, "DELETE", "/api/0/teams/o/scim-made/")).toMatchObject(managed);
  });

  it("releases the slug on delete: the team.remove row names the renamed slug (test_rename_on_delete)", async () => {
    const { emu } = org(false);
    const team = emu.state.teams.find((t) => t.slug === "core");
    expect((await call(emu, "DELETE", "/api/0/teams/o/core/")).status).toBe(204);
    const row = emu.state.auditLog.at(-1);
    expect(row).toMatchObject({ event: "team.remove", targetObject: Number(team?.id) });
    expect(String(row?.data.slug)).toMatch(/^core-[0-9a-f]{32}$/);
    // The slug is free again at once.
    expect((await call(emu, "POST", "/api/0/organizations/o/teams/", { body: { slug: "core" } })).status).toBe(201);
  });
});
