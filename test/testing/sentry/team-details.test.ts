/**
 * tests/sentry/core/endpoints/test_team_details.py, on the emulator (src/sentry/core/endpoints/team_details.py,
 * src/sentry/api/bases/team.py TeamPermission).
 */
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../../src/testing/index.js";
import { call, loginAs, sentryOrg, teamIdOf } from "./helpers.js";

const SLUG_ERROR = "Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric.";
const TEAM = "/api/0/teams/baz";

type Role = "member" | "admin" | "manager" | "owner";
function withUser(role: Role, onTeam: boolean, options: { teamRole?: "admin" | "contributor"; openMembership?: boolean; idp?: boolean } = {}) {
  const emu = sentryOrg({
    openMembership: options.openMembership ?? true,
    teams: [{ slug: "team", idpProvisioned: options.idp ?? false }],
    members: [{ email: "foo@example.com", orgRole: role, teams: onTeam ? [{ team: "team", role: options.teamRole ?? null }] : [] }],
  });
  return { emu, token: loginAs(emu, "foo@example.com") };
}

function teamState(emu: Emulator) {
  return emu.state.teams.find((t) => t.slug === "team" || t.slug === "bar");
}

async function rename(emu: Emulator, token: string, ref = "team") {
  return call(emu, "PUT", `${TEAM}/${ref}/`, { token, body: { name: "foo", slug: "bar" } });
}

describe("test_team_details.py", () => {
  it("TeamDetailsTest.test_simple", async () => {
    const emu = sentryOrg({ teams: [{ slug: "team" }] });
    const id = teamIdOf(emu, "team");
    expect(await call(emu, "GET", `${TEAM}/team/`)).toMatchObject({ status: 200, body: { id } });
    expect(await call(emu, "GET", `${TEAM}/${id}/`)).toMatchObject({ status: 200, body: { id } });
  });

  it("TeamUpdateTest.test_simple", async () => {
    const emu = sentryOrg({ teams: [{ slug: "team" }] });
    expect((await call(emu, "PUT", `${TEAM}/team/`, { body: { name: "hello world", slug: "foobar" } })).status).toBe(200);
    expect(emu.state.teams.find((t) => t.slug === "foobar")?.name).toBe("hello world");
  });

  it("TeamUpdateTest.test_invalid_numeric_slug", async () => {
    const emu = sentryOrg({ teams: [{ slug: "team" }] });
    expect(await call(emu, "PUT", `${TEAM}/team/`, { body: { slug: "1234" } })).toMatchObject({ status: 400, body: { slug: [SLUG_ERROR] } });
  });

  it("TeamUpdateTest.test_member_without_team_role", async () => {
    const { emu, token } = withUser("member", true);
    expect((await call(emu, "PUT", `${TEAM}/team/`, { token, body: { slug: "foobar" } })).status).toBe(403);
    expect(teamState(emu)?.slug).toBe("team");
  });

  it("TeamUpdateTest.test_member_with_team_role", async () => {
    const { emu, token } = withUser("member", true, { teamRole: "admin" });
    expect((await rename(emu, token)).status).toBe(200);
    expect(teamState(emu)).toMatchObject({ name: "foo", slug: "bar" });
  });

  it("TeamUpdateTest.test_admin_with_team_membership_with_id", async () => {
    const { emu, token } = withUser("admin", true);
    expect((await rename(emu, token, teamIdOf(emu, "team"))).status).toBe(200);
    expect(teamState(emu)).toMatchObject({ name: "foo", slug: "bar" });
  });

  it("TeamUpdateTest.test_admin_with_team_membership", async () => {
    const { emu, token } = withUser("admin", true);
    expect((await rename(emu, token)).status).toBe(200);
    expect(teamState(emu)).toMatchObject({ name: "foo", slug: "bar" });
  });

  it("TeamUpdateTest.test_admin_without_team_membership", async () => {
    const closed = withUser("admin", false, { openMembership: false });
    expect((await call(closed.emu, "PUT", `${TEAM}/team/`, { token: closed.token, body: { slug: "foobar" } })).status).toBe(403);
    expect(teamState(closed.emu)?.slug).toBe("team");
    const open = withUser("admin", false, { openMembership: true });
    expect((await rename(open.emu, open.token)).status).toBe(200);
    expect(teamState(open.emu)).toMatchObject({ name: "foo", slug: "bar" });
  });

  it("TeamUpdateTest.test_manager_without_team_membership", async () => {
    const { emu, token } = withUser("manager", false, { openMembership: false });
    expect((await rename(emu, token)).status).toBe(200);
  });

  it("TeamUpdateTest.test_owner_without_team_membership", async () => {
    const { emu, token } = withUser("owner", false, { openMembership: false });
    expect((await rename(emu, token)).status).toBe(200);
  });

  it("TeamUpdateTest.test_cannot_modify_idp_provisioned_teams", async () => {
    const { emu } = withUser("member", false, { idp: true });
    expect((await call(emu, "PUT", `${TEAM}/team/`, { body: { name: "foo", slug: "bar" } })).status).toBe(403);
  });

  async function removed(emu: Emulator, token: string, ref = "team"): Promise<number> {
    return (await call(emu, "DELETE", `${TEAM}/${ref}/`, { token })).status;
  }
  const removeRows = (emu: Emulator) => emu.state.auditLog.filter((e) => e.event === "team.remove");

  it("TeamDeleteTest.test_rename_on_delete", async () => {
    const emu = sentryOrg({
      teams: [{ slug: "something-moderately-long" }],
      members: [{ email: "foo@example.com", orgRole: "admin", teams: [{ team: "something-moderately-long" }] }],
    });
    expect(await removed(emu, loginAs(emu, "foo@example.com"), "something-moderately-long")).toBe(204);
    // The slug is released (renamed with a uuid suffix, cut to 50) before the team.remove row is written.
    const [row] = removeRows(emu);
    expect(String(row?.data.slug)).toMatch(/^something-moderately-long-[0-9a-f]{24}$/);
    expect((await call(emu, "POST", "/api/0/organizations/baz/teams/", { body: { slug: "something-moderately-long" } })).status).toBe(201);
  });

  it("TeamDeleteTest.test_member", async () => {
    const { emu, token } = withUser("member", true);
    expect(await removed(emu, token)).toBe(403);
    expect(teamState(emu)).toBeDefined();
    expect(removeRows(emu)).toEqual([]);
  });

  it("TeamDeleteTest.test_member_with_team_role", async () => {
    const { emu, token } = withUser("member", true, { teamRole: "admin" });
    expect(await removed(emu, token)).toBe(204);
    expect(teamState(emu)).toBeUndefined();
    expect(removeRows(emu)).toHaveLength(1);
  });

  it("TeamDeleteTest.test_admin_with_team_membership", async () => {
    const { emu, token } = withUser("admin", true);
    expect(await removed(emu, token)).toBe(204);
    expect(removeRows(emu)).toHaveLength(1);
  });

  it("TeamDeleteTest.test_admin_with_team_membership_with_id", async () => {
    const { emu, token } = withUser("admin", true);
    expect(await removed(emu, token, teamIdOf(emu, "team"))).toBe(204);
    expect(removeRows(emu)).toHaveLength(1);
  });

  it("TeamDeleteTest.test_admin_without_team_membership", async () => {
    const closed = withUser("admin", false, { openMembership: false });
    expect(await removed(closed.emu, closed.token)).toBe(403);
    expect(removeRows(closed.emu)).toEqual([]);
    const open = withUser("admin", false, { openMembership: true });
    expect(await removed(open.emu, open.token)).toBe(204);
    expect(removeRows(open.emu)).toHaveLength(1);
  });

  it("TeamDeleteTest.test_manager_without_team_membership", async () => {
    const { emu, token } = withUser("manager", false, { openMembership: false });
    expect(await removed(emu, token)).toBe(204);
  });

  it("TeamDeleteTest.test_cannot_delete_idp_provisioned_teams", async () => {
    const { emu } = withUser("member", false, { idp: true });
    expect(await removed(emu, emu.adminToken)).toBe(403);
    expect(removeRows(emu)).toEqual([]);
  });
});
