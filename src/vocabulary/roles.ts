// Sentry's scopes, org roles and team roles as data, taken from the server's own definitions
// (`SENTRY_SCOPES`, `SENTRY_SCOPE_HIERARCHY_MAPPING`, `SENTRY_ROLES`, `SENTRY_TEAM_ROLES` in
// sentry/conf/server.py, 25.12.1) as summarised in the project's reference facts §1f and §4.
import type { Scope } from "../generated/models.js";
import { ValidationError } from "../http/errors/index.js";
import { SCOPE_HIERARCHY as HTTP_SCOPE_HIERARCHY } from "../http/send/index.js";

// The hierarchy lives in http/ (403s name missing scopes with it); recipes re-export it with Scope types.

export type { Scope } from "../generated/models.js";

/** Every token scope Sentry grants, in the server's own order. */
export const SCOPES: readonly Scope[] = Object.freeze([
  "org:read", "org:write", "org:admin", "org:integrations", "org:ci",
  "member:invite", "member:read", "member:write", "member:admin",
  "team:read", "team:write", "team:admin",
  "project:read", "project:write", "project:admin", "project:releases", "project:distribution",
  "event:read", "event:write", "event:admin",
  "alerts:read", "alerts:write",
  "openid", "profile", "email",
] as const satisfies readonly Scope[]);

/** The scopes each scope implies besides itself (`SENTRY_SCOPE_HIERARCHY_MAPPING`); absent = only itself. */
export const SCOPE_HIERARCHY = HTTP_SCOPE_HIERARCHY as Readonly<Partial<Record<Scope, readonly Scope[]>>>;

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
  ...EVENT_ALL, "member:invite", "member:read", "member:write", "member:admin", ...PROJECT_MANAGE, ...TEAM_ALL,
  "org:read", "org:write", "org:integrations", ...ALERTS_ALL,
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
    id: "member", name: "Member", priority: 0, isGlobal: false, isRetired: false, isTeamRolesAllowed: true,
    isVerified: true,
    scopes: [...EVENT_ALL, "project:read", "project:releases", "org:read", "member:invite", "member:read",
      "team:read", ...ALERTS_ALL],
    note: "event:admin, alerts:write and member:invite follow org settings (members may resolve/delete " +
      "events, write alerts, invite); they are on by default.",
  }),
  freezeOrgRole({
    id: "admin", name: "Admin", priority: 1, isGlobal: false, isRetired: true, isTeamRolesAllowed: true,
    isVerified: true,
    scopes: [...EVENT_ALL, "org:read", "org:integrations", "member:read", "member:invite", ...PROJECT_MANAGE,
      ...TEAM_ALL, ...ALERTS_ALL],
    note: "Retired: organizations with team roles (Business/Enterprise) refuse new assignments.",
  }),
  freezeOrgRole({
    id: "manager", name: "Manager", priority: 2, isGlobal: true, isRetired: false, isTeamRolesAllowed: true,
    isVerified: true, scopes: MANAGER_SCOPES,
  }),
  freezeOrgRole({
    id: "owner", name: "Owner", priority: 3, isGlobal: true, isRetired: false, isTeamRolesAllowed: true,
    isVerified: true, scopes: [...MANAGER_SCOPES, "org:admin"],
  }),
  freezeOrgRole({
    id: "billing", name: "Billing", priority: -1, isGlobal: false, isRetired: false, isTeamRolesAllowed: false,
    isVerified: false, scopes: [],
    note: "sentry.io only and absent from open-source Sentry: its scopes and team-role rules are UNVERIFIED. " +
      "Modelled as payment access only: no API scopes, no team memberships.",
  }),
]);

/** Sentry's team roles, lowest first. */
export const TEAM_ROLES: readonly TeamRoleDefinition[] = Object.freeze([
  freezeTeamRole({
    id: "contributor", name: "Contributor", priority: 0,
    scopes: ["event:read", "event:write", "project:read", "project:releases", "org:read", "member:read",
      "team:read", "alerts:read"],
  }),
  freezeTeamRole({
    id: "admin", name: "Team Admin", priority: 1, isMinimumRoleFor: "admin",
    scopes: [...EVENT_ALL, "org:read", "org:integrations", "member:read", ...PROJECT_MANAGE, ...TEAM_ALL,
      ...ALERTS_ALL],
  }),
]);

const SCOPE_SET: ReadonlySet<string> = new Set(SCOPES);

/**
 * True when `value` is a scope Sentry knows.
 * @example isScope("team:write") // true; isScope("team:delete") // false
 */
export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && SCOPE_SET.has(value);
}

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
 * The definition of an organization role.
 * @example orgRoleDefinition("manager").isGlobal // true
 * @throws ValidationError for an unknown role id.
 */
export function orgRoleDefinition(role: OrgRole): OrgRoleDefinition {
  const found = ORG_ROLES.find((candidate) => candidate.id === role);
  if (!found) throw ValidationError.forInput("orgRole", `unknown org role ${JSON.stringify(role)}; expected one of ${ORG_ROLES.map((r) => r.id).join(", ")}`);
  return found;
}

/**
 * The definition of a team role.
 * @example teamRoleDefinition("admin").name // "Team Admin"
 * @throws ValidationError for an unknown role id.
 */
export function teamRoleDefinition(role: TeamRole): TeamRoleDefinition {
  const found = TEAM_ROLES.find((candidate) => candidate.id === role);
  if (!found) throw ValidationError.forInput("teamRole", `unknown team role ${JSON.stringify(role)}; expected contributor or admin`);
  return found;
}

// The hierarchy lives in http/ (a 403 names missing scopes with it); recipes re-export it.
export { expandScopes } from "../http/send/index.js";

/**
 * The team role a member holds on every team at least, given their org role.
 * Mirrors Sentry's minimum-team-role map: the top org role gets the top team role; otherwise the highest
 * team role marked as the minimum for an org role at or below this one; else the default (contributor).
 * `billing` falls to contributor by that rule (UNVERIFIED on sentry.io, where billing may hold no teams).
 * @example minimumTeamRole("manager") // "admin"
 * @throws ValidationError for an unknown org role.
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
