import { describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { canSeeProject, computeEffectiveAccess, projectScopes } from "../../../src/recipes/who-can-access/effective-access.js";

describe("computeEffectiveAccess", () => {
  it("unions org-role and team-role scopes, each with its reason", () => {
    const access = computeEffectiveAccess({ orgRole: "member", teamRoles: [{ team: "payments", role: "admin" }] });
    expect(access.orgRole).toBe("member");
    expect(access.isGlobal).toBe(false);
    expect(access.scopes).toContain("team:admin");
    expect(access.scopes).toContain("project:write");
    expect(access.scopes).not.toContain("member:write");
    expect(access.grants).toContainEqual({ scope: "team:admin", via: { kind: "teamRole", team: "payments", role: "admin" } });
    expect(access.grants).toContainEqual({ scope: "org:read", via: { kind: "orgRole", role: "member" } });
    // org:read comes from both sources, so it has two grants.
    expect(access.grants.filter((g) => g.scope === "org:read")).toHaveLength(2);
    expect(access.teams).toEqual([{ team: "payments", role: "admin", explicit: true }]);
  });

  it("lists scopes once, in Sentry's order, with the hierarchy applied", () => {
    const access = computeEffectiveAccess({ orgRole: "member", teamRoles: [] });
    expect(access.scopes).toEqual([
      "org:read",
      "member:invite",
      "member:read",
      "team:read",
      "project:read",
      "project:releases",
      "event:read",
      "event:write",
      "event:admin",
      "alerts:read",
      "alerts:write",
    ]);
  });

  it("applies the minimum team role when the stored team role is null", () => {
    const member = computeEffectiveAccess({ orgRole: "member", teamRoles: [{ team: "web", role: null }] });
    expect(member.teams).toEqual([{ team: "web", role: "contributor", explicit: false }]);
    expect(member.grants).toContainEqual({ scope: "event:write", via: { kind: "teamRole", team: "web", role: "contributor" } });

    const manager = computeEffectiveAccess({ orgRole: "manager", teamRoles: [{ team: "web", role: null }] });
    expect(manager.teams).toEqual([{ team: "web", role: "admin", explicit: false }]);
  });

  it("raises a stored team role below the minimum to the minimum", () => {
    const access = computeEffectiveAccess({ orgRole: "owner", teamRoles: [{ team: "web", role: "contributor" }] });
    expect(access.teams).toEqual([{ team: "web", role: "admin", explicit: false }]);
  });

  it("marks manager and owner as global and members as not", () => {
    expect(computeEffectiveAccess({ orgRole: "manager", teamRoles: [] }).isGlobal).toBe(true);
    expect(computeEffectiveAccess({ orgRole: "owner", teamRoles: [] }).isGlobal).toBe(true);
    expect(computeEffectiveAccess({ orgRole: "admin", teamRoles: [] }).isGlobal).toBe(false);
    expect(computeEffectiveAccess({ orgRole: "member", teamRoles: [] }).isGlobal).toBe(false);
  });

  it("makes every member global under open membership, and says so", () => {
    const access = computeEffectiveAccess({ orgRole: "member", teamRoles: [] }, { openMembership: true });
    expect(access.isGlobal).toBe(true);
    expect(access.openMembership).toBe(true);
  });

  it("trims the member role by org settings, leaving other roles and team grants alone", () => {
    const settings = { eventsAdmin: false, alertsWrite: false, invite: false };
    const member = computeEffectiveAccess({ orgRole: "member", teamRoles: [] }, { memberRoleSettings: settings });
    expect(member.scopes).not.toContain("event:admin");
    expect(member.scopes).not.toContain("alerts:write");
    expect(member.scopes).not.toContain("member:invite");
    expect(member.scopes).toContain("event:write");
    const teamAdmin = computeEffectiveAccess({ orgRole: "member", teamRoles: [{ team: "web", role: "admin" }] }, { memberRoleSettings: settings });
    expect(teamAdmin.grants).toContainEqual({ scope: "event:admin", via: { kind: "teamRole", team: "web", role: "admin" } });
    const manager = computeEffectiveAccess({ orgRole: "manager", teamRoles: [] }, { memberRoleSettings: settings });
    expect(manager.scopes).toEqual(expect.arrayContaining(["event:admin", "alerts:write", "member:invite"]));
  });

  it("gives only the owner org:admin", () => {
    expect(computeEffectiveAccess({ orgRole: "owner", teamRoles: [] }).scopes).toContain("org:admin");
    expect(computeEffectiveAccess({ orgRole: "manager", teamRoles: [{ team: "a", role: "admin" }] }).scopes).not.toContain("org:admin");
  });

  it("keeps the higher role when a team is listed twice", () => {
    const access = computeEffectiveAccess({
      orgRole: "member",
      teamRoles: [
        { team: "web", role: "admin" },
        { team: "web", role: "contributor" },
      ],
    });
    expect(access.teams).toEqual([{ team: "web", role: "admin", explicit: true }]);
  });

  it("refuses unknown org and team roles with ValidationErrors", () => {
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const badOrg = attempt(() => computeEffectiveAccess({ orgRole: "root", teamRoles: [] }));
    expect(isValidationError(badOrg)).toBe(true);
    expect((badOrg as { field?: string }).field).toBe("orgRole");
    const badTeam = attempt(() => computeEffectiveAccess({ orgRole: "member", teamRoles: [{ team: "a", role: "lead" }] }));
    expect(isValidationError(badTeam)).toBe(true);
    expect((badTeam as { field?: string }).field).toBe("teamRoles");
  });
});

describe("canSeeProject", () => {
  it("gives the team and role for a member on one of the project's teams", () => {
    const access = computeEffectiveAccess({
      orgRole: "member",
      teamRoles: [
        { team: "payments", role: null },
        { team: "web", role: null },
      ],
    });
    expect(canSeeProject(access, ["payments", "platform"])).toEqual({
      canSee: true,
      reasons: [{ kind: "team", team: "payments", role: "contributor" }],
    });
  });

  it("refuses a member on none of the project's teams", () => {
    const access = computeEffectiveAccess({ orgRole: "member", teamRoles: [{ team: "web", role: null }] });
    expect(canSeeProject(access, ["payments"])).toEqual({ canSee: false, reasons: [] });
    expect(projectScopes(access, ["payments"])).toEqual([]);
  });

  it("lets a global role see every project, listing team paths too", () => {
    const owner = computeEffectiveAccess({ orgRole: "owner", teamRoles: [{ team: "payments", role: null }] });
    expect(canSeeProject(owner, [])).toEqual({ canSee: true, reasons: [{ kind: "globalOrgRole", role: "owner" }] });
    expect(canSeeProject(owner, ["payments"]).reasons).toEqual([
      { kind: "globalOrgRole", role: "owner" },
      { kind: "team", team: "payments", role: "admin" },
    ]);
  });

  it("does not let the retired admin role see projects of other teams", () => {
    const admin = computeEffectiveAccess({ orgRole: "admin", teamRoles: [] });
    expect(canSeeProject(admin, ["payments"]).canSee).toBe(false);
  });

  it("gives open membership as the reason when the org flag grants visibility", () => {
    const access = computeEffectiveAccess({ orgRole: "member", teamRoles: [] }, { openMembership: true });
    expect(canSeeProject(access, ["payments"])).toEqual({ canSee: true, reasons: [{ kind: "openMembership" }] });
  });
});

describe("projectScopes", () => {
  it("adds a team role's scopes only on that team's projects", () => {
    const access = computeEffectiveAccess({
      orgRole: "member",
      teamRoles: [
        { team: "payments", role: "admin" },
        { team: "web", role: null },
      ],
    });
    expect(projectScopes(access, ["payments"])).toContain("project:admin");
    expect(projectScopes(access, ["web"])).not.toContain("project:admin");
    expect(projectScopes(access, ["web"])).toContain("project:read");
  });
});
