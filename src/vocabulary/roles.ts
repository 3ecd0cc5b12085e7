// Sentry's scopes, org roles and team roles as data, taken from the server's own definitions
// (`SENTRY_SCOPES`, `SENTRY_SCOPE_HIERARCHY_MAPPING`, `SENTRY_ROLES`, `SENTRY_TEAM_ROLES` in
// sentry/conf/server.py, 25.12.1) as summarised in the project's reference facts §1f and §4.
//
// Pure data and lookups: this folder imports nothing from http/, resources/ or recipes/. The lookups here take typed
// ids; the public orgRoleDefinition/teamRoleDefinition/minimumTeamRole that refuse an unknown id with a
// ValidationError are resources/roles.ts's.
import type { Scope } from "./scopes.js";

export { SCOPES, SCOPE_HIERARCHY, expandScopes, isScope, type Scope } from "./scopes.js";

/** An organization role id. `billing` exists on sentry.io only. */
export type OrgRole = "member" | "admin" | "manager" | "owner" | "billing";
/** A team role id. */
export type TeamRole = "contributor" | "admin";

/** One of Sentry's organization roles. */
export interface OrgRoleDefinition {
  readonly id: OrgRole;
  readonly name: string;
  /** Position in Sentry's role order; a role may manage roles of equal or lower priority. */
  readonly priority: number;
  readonly scopes: readonly Scope[];
  /** Sees every team and project without being a member of them. */
  readonly isGlobal: boolean;
  /** Still honoured for existing members, but may no longer be assigned (team-roles orgs). */
  readonly isRetired: boolean;
  /** False when a member with this role may not hold team memberships. */
  readonly isTeamRolesAllowed: boolean;
  /** False where the scopes are not confirmed from Sentry's source. */
  readonly isVerified: boolean;
  readonly note?: string;
}

/** One of Sentry's team roles. */
export interface TeamRoleDefinition {
  readonly id: TeamRole;
  readonly name: string;
  readonly priority: number;
  readonly scopes: readonly Scope[];
  /** The org role for which this team role is the floor (`is_minimum_role_for`). */
  readonly isMinimumRoleFor?: OrgRole;
}

const EVENT_ALL: readonly Scope[] = ["event:read", "event:write", "event:admin"];
const ALERTS_ALL: readonly Scope[] = ["alerts:read", "alerts:write"];
const PROJECT_MANAGE: readonly Scope[] = ["project:read", "project:write", "project:admin", "project:releases"];
const TEAM_ALL: readonly Scope[] = ["team:read", "team:write", "team:admin"];
const MANAGER_SCOPES: readonly Scope[] = [
  ...EVENT_ALL,
  "member:invite",
  "member:read",
  "member:write",
  "member:admin",
  ...PROJECT_MANAGE,
  ...TEAM_ALL,
  "org:read",
  "org:write",
  "org:integrations",
  ...ALERTS_ALL,
];

function freezeOrgRole(role: OrgRoleDefinition): OrgRoleDefinition {
  return Object.freeze({ ...role, scopes: Object.freeze([...role.scopes]) });
}

function freezeTeamRole(role: TeamRoleDefinition): TeamRoleDefinition {
  return Object.freeze({ ...role, scopes: Object.freeze([...role.scopes]) });
}

/** Sentry's organization roles, lowest first. */
export const ORG_ROLES: readonly OrgRoleDefinition[] = Object.freeze([
  freezeOrgRole({
    id: "member",
    name: "Member",
    priority: 0,
    isGlobal: false,
    isRetired: false,
    isTeamRolesAllowed: true,
    isVerified: true,
    scopes: [...EVENT_ALL, "project:read", "project:releases", "org:read", "member:invite", "member:read", "team:read", ...ALERTS_ALL],
    note:
      "event:admin, alerts:write and member:invite follow org settings (members may resolve/delete " + "events, write alerts, invite); they are on by default.",
  }),
  freezeOrgRole({
    id: "admin",
    name: "Admin",
    priority: 1,
    isGlobal: false,
    isRetired: true,
    isTeamRolesAllowed: true,
    isVerified: true,
    scopes: [...EVENT_ALL, "org:read", "org:integrations", "member:read", "member:invite", ...PROJECT_MANAGE, ...TEAM_ALL, ...ALERTS_ALL],
    note: "Retired: organizations with team roles (Business/Enterprise) refuse new assignments.",
  }),
  freezeOrgRole({
    id: "manager",
    name: "Manager",
    priority: 2,
    isGlobal: true,
    isRetired: false,
    isTeamRolesAllowed: true,
    isVerified: true,
    scopes: MANAGER_SCOPES,
  }),
  freezeOrgRole({
    id: "owner",
    name: "Owner",
    priority: 3,
    isGlobal: true,
    isRetired: false,
    isTeamRolesAllowed: true,
    isVerified: true,
    scopes: [...MANAGER_SCOPES, "org:admin"],
  }),
  freezeOrgRole({
    id: "billing",
    name: "Billing",
    priority: -1,
    isGlobal: false,
    isRetired: false,
    isTeamRolesAllowed: false,
    isVerified: false,
    scopes: [],
    note:
      "sentry.io only and absent from open-source Sentry: its scopes and team-role rules are UNVERIFIED. " +
      "Modelled as payment access only: no API scopes, no team memberships.",
  }),
]);

/** Sentry's team roles, lowest first. */
export const TEAM_ROLES: readonly TeamRoleDefinition[] = Object.freeze([
  freezeTeamRole({
    id: "contributor",
    name: "Contributor",
    priority: 0,
    scopes: ["event:read", "event:write", "project:read", "project:releases", "org:read", "member:read", "team:read", "alerts:read"],
  }),
  freezeTeamRole({
    id: "admin",
    name: "Team Admin",
    priority: 1,
    isMinimumRoleFor: "admin",
    scopes: [...EVENT_ALL, "org:read", "org:integrations", "member:read", ...PROJECT_MANAGE, ...TEAM_ALL, ...ALERTS_ALL],
  }),
]);

/**
 * True when `value` is an organization role id.
 * @example isOrgRole("manager") // true
 */
export function isOrgRole(value: unknown): value is OrgRole {
  return ORG_ROLES.some((role) => role.id === value);
}

/**
 * True when `value` is a team role id.
 * @example isTeamRole("contributor") // true
 */
export function isTeamRole(value: unknown): value is TeamRole {
  return TEAM_ROLES.some((role) => role.id === value);
}

/**
 * The definition of an organization role, or undefined for an id Sentry does not have.
 * @example findOrgRole("manager")?.isGlobal // true
 */
export function findOrgRole(role: string): OrgRoleDefinition | undefined {
  return ORG_ROLES.find((candidate) => candidate.id === role);
}

/**
 * The definition of a team role, or undefined for an id Sentry does not have.
 * @example findTeamRole("admin")?.name // "Team Admin"
 */
export function findTeamRole(role: string): TeamRoleDefinition | undefined {
  return TEAM_ROLES.find((candidate) => candidate.id === role);
}

// An id outside the union reaches these only through a cast or untyped JavaScript: the public, checked versions in
// resources/roles.ts refuse it with a ValidationError first. Here it reads as the default role (member, team
// contributor), as live reads of an unknown role do.
const LEAST_ORG_ROLE = ORG_ROLES[0] as OrgRoleDefinition;
const LEAST_TEAM_ROLE = TEAM_ROLES[0] as TeamRoleDefinition;

/**
 * The definition of an organization role (a typed id; validate untrusted input with {@link isOrgRole} first).
 * @example orgRoleDefinition("manager").isGlobal // true
 */
export function orgRoleDefinition(role: OrgRole): OrgRoleDefinition {
  return findOrgRole(role) ?? LEAST_ORG_ROLE;
}

/**
 * The definition of a team role (a typed id; validate untrusted input with {@link isTeamRole} first).
 * @example teamRoleDefinition("admin").name // "Team Admin"
 */
export function teamRoleDefinition(role: TeamRole): TeamRoleDefinition {
  return findTeamRole(role) ?? LEAST_TEAM_ROLE;
}

/**
 * The team role a member holds on every team at least, given their org role.
 * Mirrors Sentry's minimum-team-role map: the top org role gets the top team role; otherwise the highest
 * team role marked as the minimum for an org role at or below this one; else the default (contributor).
 * `billing` falls to contributor by that rule (UNVERIFIED on sentry.io, where billing may hold no teams).
 * @example minimumTeamRole("manager") // "admin"
 */
export function minimumTeamRole(orgRole: OrgRole): TeamRole {
  const role = orgRoleDefinition(orgRole);
  const topPriority = Math.max(...ORG_ROLES.map((candidate) => candidate.priority));
  const topTeamRole = TEAM_ROLES[TEAM_ROLES.length - 1];
  if (role.priority === topPriority && topTeamRole) return topTeamRole.id;
  let minimum: TeamRole = "contributor";
  for (const teamRole of TEAM_ROLES) {
    const floorFor = teamRole.isMinimumRoleFor;
    if (floorFor !== undefined && orgRoleDefinition(floorFor).priority <= role.priority) minimum = teamRole.id;
  }
  return minimum;
}
