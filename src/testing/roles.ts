/**
 * Sentry's roles and scopes as data (facts §1f, §4): org roles with their scopes and priority,
 * team roles, the scope hierarchy, and the minimum team role each org role implies.
 *
 * A deliberate second copy of what src/vocabulary/ holds for the client: the emulator models Sentry's server and
 * must not import the SDK, or a mistake in our vocabulary would be made on both sides and every test would agree
 * with it. Both copies cite Sentry's sources; when Sentry changes a role, change both.
 */
import type { OrgRole, TeamRole } from "./types.js";

/** Every scope a token may carry (Sentry's `SENTRY_SCOPES`). */
export const ALL_SCOPES: readonly string[] = Object.freeze([
  "org:read",
  "org:write",
  "org:admin",
  "org:integrations",
  "org:ci",
  "member:invite",
  "member:read",
  "member:write",
  "member:admin",
  "team:read",
  "team:write",
  "team:admin",
  "project:read",
  "project:write",
  "project:admin",
  "project:releases",
  "project:distribution",
  "event:read",
  "event:write",
  "event:admin",
  "alerts:read",
  "alerts:write",
  "openid",
  "profile",
  "email",
]);

const HIERARCHY: Record<string, string[]> = {
  "org:write": ["org:read"],
  "org:admin": ["org:read", "org:write", "org:integrations"],
  "member:write": ["member:read", "member:invite"],
  "member:admin": ["member:read", "member:write", "member:invite"],
  "team:write": ["team:read"],
  "team:admin": ["team:read", "team:write"],
  "project:write": ["project:read"],
  "project:admin": ["project:read", "project:write"],
  "event:write": ["event:read"],
  "event:admin": ["event:read", "event:write"],
  "alerts:write": ["alerts:read"],
};

/** Adds the scopes each scope implies (write ⇒ read, admin ⇒ write + read, ...). */
export function expandScopes(scopes: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const scope of scopes) {
    out.add(scope);
    for (const implied of HIERARCHY[scope] ?? []) out.add(implied);
  }
  return out;
}

const MEMBER_SCOPES = [
  "event:read",
  "event:write",
  "event:admin",
  "project:read",
  "project:releases",
  "org:read",
  "member:invite",
  "member:read",
  "team:read",
  "alerts:read",
  "alerts:write",
];
const ADMIN_SCOPES = [
  "event:read",
  "event:write",
  "event:admin",
  "org:read",
  "org:integrations",
  "member:read",
  "member:invite",
  "project:read",
  "project:write",
  "project:admin",
  "project:releases",
  "team:read",
  "team:write",
  "team:admin",
  "alerts:read",
  "alerts:write",
];
const MANAGER_SCOPES = [
  "event:read",
  "event:write",
  "event:admin",
  "member:invite",
  "member:read",
  "member:write",
  "member:admin",
  "project:read",
  "project:write",
  "project:admin",
  "project:releases",
  "team:read",
  "team:write",
  "team:admin",
  "org:read",
  "org:write",
  "org:integrations",
  "alerts:read",
  "alerts:write",
];

export interface OrgRoleInfo {
  id: OrgRole;
  name: string;
  desc: string;
  priority: number;
  scopes: readonly string[];
  isGlobal: boolean;
  isRetired: boolean;
  isTeamRolesAllowed: boolean;
  minimumTeamRole: TeamRole;
}

/**
 * `billing` is getsentry-only; its scopes are not public. It is modelled with the internal
 * `org:billing` scope, which no endpoint served here accepts (docs: "no technical access").
 */
export const ORG_ROLES: Record<OrgRole, OrgRoleInfo> = {
  billing: {
    id: "billing",
    name: "Billing",
    desc: "Can manage payment and compliance details.",
    priority: 0,
    scopes: ["org:billing"],
    isGlobal: false,
    isRetired: false,
    isTeamRolesAllowed: false,
    minimumTeamRole: "contributor",
  },
  member: {
    id: "member",
    name: "Member",
    desc: "Members can view and act on events.",
    priority: 1,
    scopes: MEMBER_SCOPES,
    isGlobal: false,
    isRetired: false,
    isTeamRolesAllowed: true,
    minimumTeamRole: "contributor",
  },
  admin: {
    id: "admin",
    name: "Admin",
    desc: "Admin privileges on any teams of which they're a member.",
    priority: 2,
    scopes: ADMIN_SCOPES,
    isGlobal: false,
    isRetired: true,
    isTeamRolesAllowed: true,
    minimumTeamRole: "admin",
  },
  manager: {
    id: "manager",
    name: "Manager",
    desc: "Gains admin access on all teams.",
    priority: 3,
    scopes: MANAGER_SCOPES,
    isGlobal: true,
    isRetired: false,
    isTeamRolesAllowed: true,
    minimumTeamRole: "admin",
  },
  owner: {
    id: "owner",
    name: "Owner",
    desc: "Unrestricted access to the organization.",
    priority: 4,
    scopes: [...MANAGER_SCOPES, "org:admin"],
    isGlobal: true,
    isRetired: false,
    isTeamRolesAllowed: true,
    minimumTeamRole: "admin",
  },
};

export const ORG_ROLE_IDS = Object.keys(ORG_ROLES) as OrgRole[];

export interface TeamRoleInfo {
  id: TeamRole;
  name: string;
  desc: string;
  priority: number;
  scopes: readonly string[];
  isMinimumRoleFor: string | null;
}

export const TEAM_ROLES: Record<TeamRole, TeamRoleInfo> = {
  contributor: {
    id: "contributor",
    name: "Contributor",
    desc: "Contributors can view and act on events.",
    priority: 0,
    scopes: ["event:read", "event:write", "project:read", "project:releases", "org:read", "member:read", "team:read", "alerts:read"],
    isMinimumRoleFor: null,
  },
  admin: {
    id: "admin",
    name: "Team Admin",
    desc: "Admin privileges on the team.",
    priority: 1,
    scopes: [
      "event:read",
      "event:write",
      "event:admin",
      "org:read",
      "org:integrations",
      "member:read",
      "project:read",
      "project:write",
      "project:admin",
      "project:releases",
      "team:read",
      "team:write",
      "team:admin",
      "alerts:read",
      "alerts:write",
    ],
    isMinimumRoleFor: "admin",
  },
};

export function isOrgRole(value: unknown): value is OrgRole {
  return typeof value === "string" && value in ORG_ROLES;
}

export function isTeamRole(value: unknown): value is TeamRole {
  return value === "contributor" || value === "admin";
}

/** Whether a caller with role `actor` may manage (assign, edit, remove) role `target`. */
export function canManageRole(actor: OrgRole, target: OrgRole): boolean {
  return ORG_ROLES[actor].priority >= ORG_ROLES[target].priority;
}

/** Sentry stores a team role at or below the org role's minimum as `null`. */
export function normaliseTeamRole(orgRole: OrgRole, role: TeamRole | null): TeamRole | null {
  if (role === null) return null;
  const minimum = ORG_ROLES[orgRole].minimumTeamRole;
  return TEAM_ROLES[role].priority <= TEAM_ROLES[minimum].priority ? null : role;
}

/** The team role that applies: the stored one, else the org role's minimum. */
export function effectiveTeamRole(orgRole: OrgRole, stored: TeamRole | null): TeamRole {
  return stored ?? ORG_ROLES[orgRole].minimumTeamRole;
}
