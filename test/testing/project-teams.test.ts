/**
 * Project ↔ team links as tests/sentry/core/endpoints/test_project_team_details.py and test_project_teams.py assert
 * them (src/sentry/core/endpoints/project_team_details.py, project_teams.py).
 */
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";
import { asArray, call } from "./helpers.js";

function org() {
  const emu = createEmulator({
    rateLimit: false,
    fixture: {
      org: { slug: "o", openMembership: false },
      teams: [{ slug: "to-add" }, { slug: "admin-team" }, { slug: "contri-team" }],
      projects: [
        { slug: "p1", teams: ["admin-team", "to-add"] },
        { slug: "p2", teams: ["contri-team", "to-add"] },
        { slug: "p3", teams: ["admin-team"] },
      ],
      members: [
        { email: "owner@o.test", orgRole: "owner" },
        { email: "foo@o.test", orgRole: "member", teams: [{ team: "admin-team", role: "admin" }, { team: "contri-team" }] },
      ],
    },
  });
  const foo = emu.issueToken({ userEmail: "foo@o.test", scopes: ["org:read", "team:read", "project:read", "project:write", "project:admin"] });
  return { emu, foo };
}

describe("project team links (test_project_team_details.py)", () => {
  it("adds a team by slug or id (201), and answers 404 'Team does not exist.' for an unknown one on POST and DELETE", async () => {
    const { emu } = org();
    const toAdd = emu.state.teams.find((t) => t.slug === "to-add");
    expect((await call(emu, "POST", "/api/0/projects/o/p3/teams/contri-team/")).status).toBe(201);
    expect((await call(emu, "POST", `/api/0/projects/o/p3/teams/${toAdd?.id}/`)).status).toBe(201);
    // test_project_teams.py test_simple: the project's teams, with slug and name.
    const teams = asArray((await call(emu, "GET", "/api/0/projects/o/p3/teams/")).body).map((t) => t.slug);
    expect(teams).toEqual(["admin-team", "contri-team", "to-add"]);
    for (const method of ["POST", "DELETE"]) {
      expect(await call(emu, method, "/api/0/projects/o/p3/teams/not-a-team/"), method).toMatchObject({
        status: 404,
        body: { detail: "Team does not exist." },
      });
    }
  });

  it("lets a Team Admin grant any team access to their team's project, but not a contributor (test_add_team_with_team_role)", async () => {
    const { emu, foo } = org();
    expect((await call(emu, "POST", "/api/0/projects/o/p3/teams/contri-team/", { token: foo })).status).toBe(201);
    expect((await call(emu, "POST", "/api/0/projects/o/p2/teams/admin-team/", { token: foo })).status).toBe(403);
  });

  it("lets a Team Admin revoke only their own team, and a contributor nothing; removal answers 200 (test_remove_team_with_team_role)", async () => {
    const { emu, foo } = org();
    expect((await call(emu, "DELETE", "/api/0/projects/o/p1/teams/to-add/", { token: foo })).status).toBe(403);
    expect((await call(emu, "DELETE", "/api/0/projects/o/p1/teams/admin-team/", { token: foo })).status).toBe(200);
    expect((await call(emu, "DELETE", "/api/0/projects/o/p2/teams/to-add/", { token: foo })).status).toBe(403);
    expect(emu.state.projects.find((p) => p.slug === "p1")?.teams).toEqual(["to-add"]);
  });
});
