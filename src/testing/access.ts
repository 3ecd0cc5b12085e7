/**
 * Team-level access as Sentry's `Access` object computes it (src/sentry/auth/access.py, used by
 * src/sentry/api/bases/team.py `TeamPermission`, src/sentry/api/bases/project.py `ProjectPermission`
 * and src/sentry/core/endpoints/organization_member_utils.py `can_admin_team` / `can_set_team_role`).
 *
 * - Team access: org-global roles (manager, owner), open membership (`allow_joinleave`), integration
 *   tokens (org-global by construction), or membership of the team.
 * - Team scope: an org-level scope, else the caller's team role scopes on that team, bounded by the
 *   token's own scopes. This is how a Team Admin with an org `member` role may edit their own team.
 */
import type { Caller } from "./auth.js";
import type { Member, Org, Project, Team } from "./model.js";
import { effectiveTeamRole, expandScopes, ORG_ROLES, TEAM_ROLES } from "./roles.js";
import type { TeamRole } from "./types.js";

/** Who is asking, with the org-level scopes the router computed. */
export interface AccessContext {
  caller: Caller;
  org: Org;
  member: Member | undefined;
  scopes: Set<string>;
}

/** `Access.has_global_access`: global org role or open membership; integration tokens always. */
export function hasGlobalAccess(ctx: AccessContext): boolean {
  if (!ctx.member) return ctx.caller.token.kind === "integration";
  return ORG_ROLES[ctx.member.orgRole].isGlobal || ctx.org.openMembership;
}

export function hasTeamAccess(ctx: AccessContext, team: Team): boolean {
  return hasGlobalAccess(ctx) || (ctx.member?.teams.has(team.id) ?? false);
}

/** The caller's own team role on `team` (stored role, else the org role's minimum), if a member of it. */
export function callerTeamRole(ctx: AccessContext, team: Team): TeamRole | undefined {
  const me = ctx.member;
  if (!me || !me.teams.has(team.id)) return undefined;
  return effectiveTeamRole(me.orgRole, me.teams.get(team.id) ?? null);
}

/** Team role scopes on `team`, bounded by the token's scopes (`scopes_upper_bound`). */
function teamRoleScopes(ctx: AccessContext, team: Team): Set<string> {
  const role = callerTeamRole(ctx, team);
  if (!role) return new Set();
  const roleScopes = expandScopes(TEAM_ROLES[role].scopes);
  return new Set([...ctx.caller.tokenScopes].filter((s) => roleScopes.has(s)));
}

/** `Access.has_team_scope`. */
export function hasTeamScope(ctx: AccessContext, team: Team, scope: string): boolean {
  if (!hasTeamAccess(ctx, team)) return false;
  return ctx.scopes.has(scope) || teamRoleScopes(ctx, team).has(scope);
}

/** `Access.has_project_access`: access to any of the project's teams (global access covers all). */
export function hasProjectAccess(ctx: AccessContext, project: Project): boolean {
  if (hasGlobalAccess(ctx)) return true;
  return project.teamIds.some((id) => ctx.member?.teams.has(id) ?? false);
}

/** `Access.has_any_project_scope`: one of `scopes` through a team role on one of the project's teams. */
export function hasAnyProjectScope(ctx: AccessContext, project: Project, scopes: readonly string[]): boolean {
  return project.teamIds.some((id) => {
    const team = ctx.org.teams.get(id);
    return team !== undefined && ctx.member?.teams.has(id) === true && scopes.some((s) => teamRoleScopes(ctx, team).has(s));
  });
}

/**
 * `Access.has_team_membership`: an integration token's access is an `OrganizationGlobalMembership`, a member of
 * every team; anyone else only of the teams they are on.
 */
export function hasTeamMembership(ctx: AccessContext, team: Team): boolean {
  if (!ctx.member) return ctx.caller.token.kind === "integration";
  return ctx.member.teams.has(team.id);
}

/**
 * `can_admin_team` (organization_member_utils.py): on the team, with team:write there or org:write / member:write
 * org-wide — so an integration token with any of those three may set team roles, one with only org:read or
 * member:read may not (test_organization_member_team_details.py test_org_write_scope_can_manage_team_roles,
 * test_member_write_scope_can_manage_team_roles, test_team_write_scope_can_manage_team_roles,
 * test_org_read_scope_cannot_manage_team_roles, test_member_read_scope_cannot_manage_team_roles).
 */
export function canAdminTeam(ctx: AccessContext, team: Team): boolean {
  return hasTeamMembership(ctx, team) && (hasTeamScope(ctx, team, "team:write") || ctx.scopes.has("org:write") || ctx.scopes.has("member:write"));
}

/**
 * `can_set_team_role`: a team admin of the team, or an org role whose minimum team role is at least
 * `role`, or the caller's own team role on the team at least `role`.
 */
export function canSetTeamRole(ctx: AccessContext, team: Team, role: TeamRole): boolean {
  if (canAdminTeam(ctx, team)) return true;
  const wanted = TEAM_ROLES[role].priority;
  if (ctx.member && TEAM_ROLES[ORG_ROLES[ctx.member.orgRole].minimumTeamRole].priority >= wanted) return true;
  const own = callerTeamRole(ctx, team);
  return own !== undefined && TEAM_ROLES[own].priority >= wanted;
}
