/**
 * tests/sentry/core/endpoints/test_team_members.py, test_team_projects.py (the list), test_project_teams.py and
 * test_project_team_details.py, on the emulator (team_members.py, team_projects.py, project_teams.py,
 * project_team_details.py).
 */
import { describe, expect, it } from "vitest";
import { asArray, asObject, call, loginAs, memberId, sentryOrg, teamIdOf } from "./helpers.js";

const TEAM = "/api/0/teams/baz";
const PROJECT = "/api/0/projects/baz";

describe("test_team_members.py", () => {
  const setup = (extra: Parameters<typeof sentryOrg>[0] = {}) =>
    sentryOrg({
      teams: [{ slug: "team" }],
      members: [
        { email: "member@example.com", orgRole: "member" },
        { email: "1@example.com", orgRole: "member", teams: [{ team: "team" }] },
        ...(extra.members ?? []),
      ],
    });

  it("TeamMembersTest.test_simple", async () => {
    const emu = setup();
    const rows = asArray((await call(emu, "GET", `${TEAM}/team/members/`)).body);
    expect(rows.map((r) => r.id)).toEqual([memberId(emu, "1@example.com")]);
  });

  it("TeamMembersTest.test_team_members_list_does_not_include_invite_requests", async () => {
    // Invite requests (REQUESTED_TO_JOIN / REQUESTED_TO_BE_INVITED) are not modelled; an approved pending invite
    // is listed, and first: the email column is NULL for members with accounts, which Postgres sorts last.
    const emu = setup({ members: [{ email: "a@example.com", orgRole: "member", pending: true, daysAgo: 1, teams: [{ team: "team" }] }] });
    const rows = asArray((await call(emu, "GET", `${TEAM}/team/members/`)).body);
    expect(rows.map((r) => r.id)).toEqual([memberId(emu, "a@example.com"), memberId(emu, "1@example.com")]);
  });

  it("TeamMembersTest.test_team_members_list_includes_roles", async () => {
    const emu = setup();
    const rows = asArray((await call(emu, "GET", `${TEAM}/team/members/`)).body);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ teamRole: null, teamSlug: "team" });
  });
});

describe("test_team_projects.py", () => {
  const setup = () =>
    sentryOrg({
      teams: [{ slug: "team" }],
      projects: [{ slug: "proj1", teams: ["team"] }, { slug: "proj2", teams: ["team"] }, { slug: "proj3" }],
      members: [],
    });

  it("TeamProjectsListTest.test_simple", async () => {
    const emu = setup();
    const rows = asArray((await call(emu, "GET", `${TEAM}/team/projects/`)).body);
    const ids = emu.state.projects.filter((p) => p.teams.includes("team")).map((p) => p.id);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
  });

  it("TeamProjectsListTest.test_excludes_project", async () => {
    const emu = setup();
    const rows = asArray((await call(emu, "GET", `${TEAM}/team/projects/`)).body);
    expect(rows.map((r) => r.slug)).not.toContain("proj3");
  });
});

describe("test_project_teams.py", () => {
  it("ProjectTeamsTest.test_simple", async () => {
    const emu = sentryOrg({ teams: [{ slug: "team", name: "Team" }], projects: [{ slug: "proj", teams: ["team"] }] });
    const rows = asArray((await call(emu, "GET", `${PROJECT}/proj/teams/`)).body);
    expect(rows.map((r) => [r.slug, r.name])).toEqual([["team", "Team"]]);
  });
});

describe("test_project_team_details.py", () => {
  it("ProjectTeamDetailsPostTest.test_add_team", async () => {
    const emu = sentryOrg({ teams: [{ slug: "one" }, { slug: "two" }], projects: [{ slug: "proj" }] });
    expect((await call(emu, "POST", `${PROJECT}/proj/teams/one/`)).status).toBe(201);
    expect((await call(emu, "POST", `${PROJECT}/proj/teams/${teamIdOf(emu, "two")}/`)).status).toBe(201);
    expect(
      emu.state.projects
        .find((p) => p.slug === "proj")
        ?.teams.slice()
        .sort(),
    ).toEqual(["one", "two"]);
  });

  it("ProjectTeamDetailsPostTest.test_add_team_not_found", async () => {
    const emu = sentryOrg({ projects: [{ slug: "proj" }] });
    expect(await call(emu, "POST", `${PROJECT}/proj/teams/not-a-team/`)).toMatchObject({ status: 404, body: { detail: "Team does not exist." } });
  });

  const teamRoleSetup = (linked: boolean) =>
    sentryOrg({
      teams: [{ slug: "team-to-change" }, { slug: "admin-team" }, { slug: "contri-team" }],
      projects: [
        { slug: "project-1", teams: linked ? ["admin-team", "team-to-change"] : ["admin-team"] },
        { slug: "project-2", teams: linked ? ["contri-team", "team-to-change"] : ["contri-team"] },
      ],
      members: [{ email: "foo@example.com", orgRole: "member", teams: [{ team: "admin-team", role: "admin" }, { team: "contri-team" }] }],
    });

  it("ProjectTeamDetailsPostTest.test_add_team_with_team_role", async () => {
    const emu = teamRoleSetup(false);
    const token = loginAs(emu, "foo@example.com");
    // A Team Admin of one of the project's teams may grant any team access; a Team Contributor may not.
    expect((await call(emu, "POST", `${PROJECT}/project-1/teams/team-to-change/`, { token })).status).toBe(201);
    expect((await call(emu, "POST", `${PROJECT}/project-2/teams/team-to-change/`, { token })).status).toBe(403);
  });

  it("ProjectTeamDetailsDeleteTest.test_remove_team (project links only; alert-rule owners are not modelled)", async () => {
    const emu = sentryOrg({
      teams: [{ slug: "team" }, { slug: "another" }],
      projects: [
        { slug: "proj", teams: ["team"] },
        { slug: "another-proj", teams: ["team", "another"] },
      ],
    });
    expect((await call(emu, "DELETE", `${PROJECT}/proj/teams/team/`)).status).toBe(200);
    expect(emu.state.projects.find((p) => p.slug === "proj")?.teams).toEqual([]);
    expect(
      emu.state.projects
        .find((p) => p.slug === "another-proj")
        ?.teams.slice()
        .sort(),
    ).toEqual(["another", "team"]);
    const removed = await call(emu, "DELETE", `${PROJECT}/another-proj/teams/${teamIdOf(emu, "another")}/`);
    expect(removed.status).toBe(200);
    expect(asArray(asObject(removed.body).teams).map((t) => t.slug)).toEqual(["team"]);
  });

  it("ProjectTeamDetailsDeleteTest.test_remove_team_not_found", async () => {
    const emu = sentryOrg({ projects: [{ slug: "proj" }] });
    expect(await call(emu, "DELETE", `${PROJECT}/proj/teams/not-a-team/`)).toMatchObject({ status: 404, body: { detail: "Team does not exist." } });
  });

  it("ProjectTeamDetailsDeleteTest.test_remove_team_with_team_role", async () => {
    const emu = teamRoleSetup(true);
    const token = loginAs(emu, "foo@example.com");
    expect((await call(emu, "DELETE", `${PROJECT}/project-1/teams/team-to-change/`, { token })).status).toBe(403);
    expect((await call(emu, "DELETE", `${PROJECT}/project-1/teams/admin-team/`, { token })).status).toBe(200);
    expect((await call(emu, "DELETE", `${PROJECT}/project-2/teams/team-to-change/`, { token })).status).toBe(403);
  });
});
