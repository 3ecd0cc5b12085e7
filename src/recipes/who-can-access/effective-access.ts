// Pure access computation over Sentry's role tables: what a member may do, and through which role.
// Fetching members and projects is the stateful recipes' job; these functions take plain data.
import { ValidationError } from "../../http/errors/index.js";
import {
  SCOPES,
  expandScopes,
  isOrgRole,
  isTeamRole,
  minimumTeamRole,
  orgRoleDefinition,
  teamRoleDefinition,
  type OrgRole,
  type TeamRole,
} from "../../vocabulary/roles.js";

/** Why a member holds a scope: their org role, or their role on one team. */
export interface AccessGrant {
  scope: string;
  via: { kind: "orgRole"; role: OrgRole } | { kind: "teamRole"; team: string; role: TeamRole };
}

/** A member's team membership after Sentry's minimum-team-role rule is applied. */
export interface EffectiveTeamMembership {
  team: string;
  /** The role in force: the stored role, raised to the org role's minimum. */
  role: TeamRole;
  /** True when Sentry stores a team role above the minimum for this member; false when the minimum applies. */
  explicit: boolean;
}

/** What a member can do in an organization, and why. */
export interface EffectiveAccess {
  orgRole: OrgRole;
  /** Sees every team and project without membership (a global org role, or open membership). */
  isGlobal: boolean;
  /** Every scope held through any role, hierarchy applied, in Sentry's scope order. */
  scopes: string[];
  /** One entry per (scope, source) pair; a scope held twice has two grants. */
  grants: AccessGrant[];
  teams: EffectiveTeamMembership[];
  /** Set when `isGlobal` comes from the organization's open-membership flag rather than the role. */
  openMembership: boolean;
}

/** A member as the Members API describes them: org role plus `teamRoles` (role null = the minimum). */
export interface MemberRoles {
  orgRole: string;
  teamRoles: readonly { team: string; role: string | null }[];
}

/** Organization settings that change what a member can see. */
export interface EffectiveAccessOptions {
  /**
   * The org's "Open Membership" flag (`allow_joinleave`): every member may see and join every team,
   * so sees every project. Default false.
   */
  openMembership?: boolean;
  /**
   * Org settings that trim the `member` role (other roles are untouched): `eventsAdmin` false drops
   * event:admin ("Let members delete events"), `alertsWrite` false drops alerts:write, `invite` false drops
   * member:invite ("Let members invite"). Each defaults to true, Sentry's default.
   */
  memberRoleSettings?: { eventsAdmin?: boolean; alertsWrite?: boolean; invite?: boolean };
}

function memberRoleExclusions(orgRole: OrgRole, settings: EffectiveAccessOptions["memberRoleSettings"]): Set<string> {
  const excluded = new Set<string>();
  if (orgRole !== "member" || !settings) return excluded;
  if (settings.eventsAdmin === false) excluded.add("event:admin");
  if (settings.alertsWrite === false) excluded.add("alerts:write");
  if (settings.invite === false) excluded.add("member:invite");
  return excluded;
}

const SCOPE_ORDER = new Map<string, number>(SCOPES.map((scope, index) => [scope, index]));

function byScopeOrder(a: string, b: string): number {
  return (SCOPE_ORDER.get(a) ?? SCOPES.length) - (SCOPE_ORDER.get(b) ?? SCOPES.length) || a.localeCompare(b);
}

function higherTeamRole(a: TeamRole, b: TeamRole): TeamRole {
  return teamRoleDefinition(a).priority >= teamRoleDefinition(b).priority ? a : b;
}

/**
 * Computes a member's effective access: the union of org-role scopes and team-role scopes, each with its reason.
 * A null team role means the minimum team role for the org role (Sentry stores redundant roles as null).
 * @example
 * computeEffectiveAccess({ orgRole: "member", teamRoles: [{ team: "payments", role: "admin" }] })
 * // scopes include "team:admin" via { kind: "teamRole", team: "payments", role: "admin" }
 * @throws ValidationError (before any request) for an unknown org role or team role.
 */
export function computeEffectiveAccess(member: MemberRoles, options: EffectiveAccessOptions = {}): EffectiveAccess {
  const orgRole = member.orgRole;
  if (!isOrgRole(orgRole)) {
    throw ValidationError.forInput("orgRole", `unknown org role ${JSON.stringify(orgRole)}; expected member, admin, manager, owner or billing`);
  }
  const definition = orgRoleDefinition(orgRole);
  const floor = minimumTeamRole(orgRole);
  const grants: AccessGrant[] = [];
  const excluded = memberRoleExclusions(orgRole, options.memberRoleSettings);
  for (const scope of expandScopes(definition.scopes)) {
    if (!excluded.has(scope)) grants.push({ scope, via: { kind: "orgRole", role: orgRole } });
  }

  const teams = new Map<string, EffectiveTeamMembership>();
  for (const { team, role } of member.teamRoles) {
    if (role !== null && !isTeamRole(role)) {
      throw ValidationError.forInput("teamRoles", `unknown team role ${JSON.stringify(role)} on team ${JSON.stringify(team)}; expected contributor or admin`);
    }
    const inForce = role === null ? floor : higherTeamRole(role, floor);
    const explicit = role !== null && teamRoleDefinition(role).priority > teamRoleDefinition(floor).priority;
    const previous = teams.get(team);
    // A team listed twice keeps its higher role rather than whichever came last.
    if (previous && teamRoleDefinition(previous.role).priority >= teamRoleDefinition(inForce).priority) continue;
    teams.set(team, { team, role: inForce, explicit });
  }
  for (const { team, role } of teams.values()) {
    for (const scope of expandScopes(teamRoleDefinition(role).scopes)) {
      grants.push({ scope, via: { kind: "teamRole", team, role } });
    }
  }

  // Open membership works by joining teams, which a role without team memberships (billing) cannot do.
  const openMembership = options.openMembership === true && definition.isTeamRolesAllowed;
  return {
    orgRole,
    isGlobal: definition.isGlobal || openMembership,
    scopes: [...new Set(grants.map((grant) => grant.scope))].sort(byScopeOrder),
    grants,
    teams: [...teams.values()],
    openMembership: openMembership && !definition.isGlobal,
  };
}

/** One reason a member can see a project. */
export type ProjectAccessReason = { kind: "globalOrgRole"; role: OrgRole } | { kind: "openMembership" } | { kind: "team"; team: string; role: TeamRole };

/** Whether a member can see a project, and every reason why. */
export interface ProjectVisibility {
  canSee: boolean;
  reasons: ProjectAccessReason[];
}

/**
 * Decides whether a member with the given access sees a project that the given teams hold.
 * Team reasons are listed even when a global role already suffices, so a review shows every path.
 * @example
 * canSeeProject(computeEffectiveAccess(member), ["payments"]) // { canSee: true, reasons: [{ kind: "team", ... }] }
 */
export function canSeeProject(access: EffectiveAccess, projectTeams: readonly string[]): ProjectVisibility {
  const reasons: ProjectAccessReason[] = [];
  if (orgRoleDefinition(access.orgRole).isGlobal) reasons.push({ kind: "globalOrgRole", role: access.orgRole });
  else if (access.openMembership) reasons.push({ kind: "openMembership" });
  const projectTeamSet = new Set(projectTeams);
  for (const membership of access.teams) {
    if (projectTeamSet.has(membership.team)) reasons.push({ kind: "team", team: membership.team, role: membership.role });
  }
  return { canSee: reasons.length > 0, reasons };
}

/**
 * The scopes a member holds on one project: org-role scopes plus the team-role scopes of the teams that hold it.
 * Empty when the member cannot see the project.
 * @example projectScopes(access, ["payments"]).includes("project:write")
 */
export function projectScopes(access: EffectiveAccess, projectTeams: readonly string[]): string[] {
  if (!canSeeProject(access, projectTeams).canSee) return [];
  const projectTeamSet = new Set(projectTeams);
  const scopes = new Set<string>();
  for (const grant of access.grants) {
    if (grant.via.kind === "orgRole" || projectTeamSet.has(grant.via.team)) scopes.add(grant.scope);
  }
  return [...scopes].sort(byScopeOrder);
}
