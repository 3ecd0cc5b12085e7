import { describe, expect, it } from "vitest";
import { isValidationError } from "../../src/http/errors/errors.js";
import {
  ORG_ROLES,
  SCOPES,
  findOrgRole,
  findTeamRole,
  SCOPE_HIERARCHY,
  TEAM_ROLES,
  expandScopes,
  isOrgRole,
  isScope,
  isTeamRole,
  minimumTeamRole,
  orgRoleDefinition,
  teamRoleDefinition,
  type OrgRole,
} from "../../src/vocabulary/roles.js";
import { minimumTeamRole as checkedMinimumTeamRole, orgRoleDefinition as checkedOrgRoleDefinition } from "../../src/resources/roles.js";

const scopesOf = (role: OrgRole) => new Set(orgRoleDefinition(role).scopes);

describe("SCOPES", () => {
  it("lists Sentry's 25 scopes, including the token-only and recent ones", () => {
    expect(SCOPES).toHaveLength(25);
    expect(new Set(SCOPES).size).toBe(25);
    for (const scope of ["org:ci", "member:invite", "project:distribution", "alerts:write", "openid"]) {
      expect(SCOPES).toContain(scope);
    }
    expect(SCOPES).not.toContain("alerts:admin");
    expect(SCOPES).not.toContain("org:superuser");
  });

  it("only maps known scopes in the hierarchy", () => {
    for (const [scope, implied] of Object.entries(SCOPE_HIERARCHY)) {
      expect(isScope(scope)).toBe(true);
      for (const other of implied ?? []) expect(isScope(other)).toBe(true);
    }
  });
});

describe("expandScopes", () => {
  it.each([
    ["org:write", ["org:write", "org:read"]],
    ["org:admin", ["org:admin", "org:write", "org:read", "org:integrations"]],
    ["member:write", ["member:write", "member:read", "member:invite"]],
    ["member:admin", ["member:admin", "member:write", "member:read", "member:invite"]],
    ["team:admin", ["team:admin", "team:write", "team:read"]],
    ["project:admin", ["project:admin", "project:write", "project:read"]],
    ["event:write", ["event:write", "event:read"]],
    ["alerts:write", ["alerts:write", "alerts:read"]],
    ["project:releases", ["project:releases"]],
    ["org:ci", ["org:ci"]],
    ["member:invite", ["member:invite"]],
  ])("%s implies exactly %j", (scope, expected) => {
    expect([...expandScopes([scope])].sort()).toEqual([...expected].sort());
  });

  it("does not let org:integrations imply anything else", () => {
    expect([...expandScopes(["org:integrations"])]).toEqual(["org:integrations"]);
  });

  it("keeps unknown scopes without expanding them", () => {
    expect([...expandScopes(["future:scope", "team:write"])].sort()).toEqual(["future:scope", "team:read", "team:write"]);
  });
});

describe("ORG_ROLES", () => {
  it("are member < admin < manager < owner, with billing apart", () => {
    const ranked = ORG_ROLES.filter((r) => r.id !== "billing")
      .sort((a, b) => a.priority - b.priority)
      .map((r) => r.id);
    expect(ranked).toEqual(["member", "admin", "manager", "owner"]);
  });

  it("give the member role read access plus event triage, but no team:write or project:write", () => {
    const member = scopesOf("member");
    expect(member.has("team:write")).toBe(false);
    expect(member.has("project:write")).toBe(false);
    expect(member.has("member:write")).toBe(false);
    expect([...member].sort()).toEqual([
      "alerts:read",
      "alerts:write",
      "event:admin",
      "event:read",
      "event:write",
      "member:invite",
      "member:read",
      "org:read",
      "project:read",
      "project:releases",
      "team:read",
    ]);
  });

  it("give the retired admin role team and project admin but no member management", () => {
    const admin = orgRoleDefinition("admin");
    expect(admin.isRetired).toBe(true);
    expect(admin.isGlobal).toBe(false);
    expect(admin.scopes).toEqual(expect.arrayContaining(["team:admin", "project:admin", "org:integrations"]));
    expect(admin.scopes).not.toContain("member:write");
    expect(admin.scopes).not.toContain("org:write");
  });

  it("give the manager member:admin and org:write but not org:admin", () => {
    const manager = scopesOf("manager");
    expect(manager.has("member:admin")).toBe(true);
    expect(manager.has("org:write")).toBe(true);
    expect(manager.has("org:admin")).toBe(false);
    expect(orgRoleDefinition("manager").isGlobal).toBe(true);
  });

  it("make owner the only role with org:admin, on top of every manager scope", () => {
    const holders = ORG_ROLES.filter((role) => role.scopes.includes("org:admin")).map((role) => role.id);
    expect(holders).toEqual(["owner"]);
    for (const scope of scopesOf("manager")) expect(scopesOf("owner").has(scope)).toBe(true);
  });

  it("grant no role org:ci or project:distribution (token-only scopes)", () => {
    for (const role of ORG_ROLES) {
      expect(role.scopes).not.toContain("org:ci");
      expect(role.scopes).not.toContain("project:distribution");
    }
  });

  it("mark billing as unverified and without team roles", () => {
    const billing = orgRoleDefinition("billing");
    expect(billing.isVerified).toBe(false);
    expect(billing.isTeamRolesAllowed).toBe(false);
    expect(billing.note).toMatch(/UNVERIFIED/);
    expect(ORG_ROLES.filter((r) => !r.isVerified).map((r) => r.id)).toEqual(["billing"]);
  });

  it("are frozen", () => {
    expect(Object.isFrozen(ORG_ROLES)).toBe(true);
    expect(Object.isFrozen(orgRoleDefinition("owner").scopes)).toBe(true);
  });
});

describe("TEAM_ROLES", () => {
  it("give contributors triage but no team or project management", () => {
    const contributor = teamRoleDefinition("contributor");
    expect(contributor.scopes).toEqual(expect.arrayContaining(["event:write", "project:releases", "team:read"]));
    expect(contributor.scopes).not.toContain("team:write");
    expect(contributor.scopes).not.toContain("project:write");
    expect(contributor.scopes).not.toContain("event:admin");
  });

  it("give team admins team:admin and project:admin but no member or org writes", () => {
    const admin = teamRoleDefinition("admin");
    expect(admin.name).toBe("Team Admin");
    expect(admin.isMinimumRoleFor).toBe("admin");
    expect(admin.scopes).toEqual(expect.arrayContaining(["team:admin", "project:admin", "alerts:write"]));
    expect(admin.scopes).not.toContain("member:write");
    expect(admin.scopes).not.toContain("org:write");
  });

  it("rank contributor below admin", () => {
    expect(TEAM_ROLES.map((r) => r.id)).toEqual(["contributor", "admin"]);
  });
});

describe("minimumTeamRole", () => {
  it.each([
    ["member", "contributor"],
    ["admin", "admin"],
    ["manager", "admin"],
    ["owner", "admin"],
    ["billing", "contributor"],
  ] as const)("%s → %s", (orgRole, teamRole) => {
    expect(minimumTeamRole(orgRole)).toBe(teamRole);
  });

  it("refuses an unknown org role with a ValidationError naming the field", () => {
    let caught: unknown;
    try {
      checkedMinimumTeamRole("superuser" as OrgRole);
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as { field?: string }).field).toBe("orgRole");
    expect(() => checkedOrgRoleDefinition("superuser" as OrgRole)).toThrow(/unknown org role/);
  });

  it("the vocabulary's own lookups refuse nothing: unknown ids are undefined, for the caller to refuse", () => {
    expect(findOrgRole("superuser")).toBeUndefined();
    expect(findTeamRole("owner")).toBeUndefined();
    expect(findOrgRole("manager")?.isGlobal).toBe(true);
  });
});

describe("guards", () => {
  it("recognise role ids and scopes only", () => {
    expect(isOrgRole("manager")).toBe(true);
    expect(isOrgRole("Manager")).toBe(false);
    expect(isTeamRole("contributor")).toBe(true);
    expect(isTeamRole("member")).toBe(false);
    expect(isScope("team:write")).toBe(true);
    expect(isScope("team:delete")).toBe(false);
    expect(isScope(42)).toBe(false);
  });
});
