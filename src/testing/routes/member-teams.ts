/**
 * Member ↔ team routes (src/sentry/core/endpoints/organization_member_team_details.py and its
 * tests tests/sentry/core/endpoints/test_organization_member_team_details.py): read one membership, join
 * (201/202/204), set the team role (stored null at or below the org role's minimum), leave.
 */
import { detail, type EmuAnswer, isRecord, json, NOT_FOUND, noContent, parseJsonBody } from "../http.js";
import { findTeam, type Member, type Team } from "../model.js";
import { canAdminTeam, canSetTeamRole, hasGlobalAccess } from "../access.js";
import { effectiveTeamRole, isTeamRole, normaliseTeamRole, ORG_ROLES } from "../roles.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeTeam } from "../serialize.js";
import { requireMember } from "./members.js";
import { requireTeam } from "./teams.js";

function idpManaged(): EmuAnswer {
  return detail(403, "This team is managed through your organization's identity provider.");
}

/** `_can_create_team_member`: closed membership limits integration tokens to org:write / team:write. */
function canCreateTeamMember(ctx: RouteContext, team: Team): boolean {
  if (ctx.caller.token.kind === "integration" && !ctx.org.openMembership) {
    return ctx.scopes.has("org:write") || ctx.scopes.has("team:write");
  }
  return hasGlobalAccess(ctx) || canAdminTeam(ctx, team);
}

/**
 * POST (organization_member_team_details.py): the checks run in Sentry's order: a user must be
 * authenticated (401), the member's org role must allow team roles (403), an existing membership is
 * 204, an IdP-provisioned team is 403, and a caller who may not add members files an access request (202).
 */
function joinTeam(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const team = requireTeam(ctx);
  if (ctx.caller.token.kind === "org") return { status: 401 };
  if (!ORG_ROLES[target.orgRole].isTeamRolesAllowed) return detail(403, `The user with a '${target.orgRole}' role cannot have team-level permissions.`);
  if (target.teams.has(team.id)) return noContent();
  if (team.idpProvisioned) return idpManaged();
  if (!canCreateTeamMember(ctx, team)) return { status: 202 };
  target.teams.set(team.id, null);
  auditTeamChange(ctx, "member.join-team", target, team);
  return json(201, serializeTeam(ctx, team));
}

/**
 * GET (`OrganizationMemberTeamDetailsEndpoint.get`, private in Sentry): `convert_args` looks the membership up by
 * the team's id or slug for that member, so an unknown team and a team the member is not on are the same 404; the
 * body is `{ isActive, teamRole }` with the *stored* team role (null when the org role implies it).
 * test_organization_member_team_details.py `ReadOrganizationMemberTeamTest` (test_get, test_get_role, test_not_found).
 */
function getMembership(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const team = findTeam(ctx.org, ctx.params.team_id_or_slug ?? "");
  if (!team || !target.teams.has(team.id)) return detail(404, NOT_FOUND);
  // OrganizationMemberTeam.is_active: every membership the emulator keeps is active.
  return json(200, { isActive: true, teamRole: target.teams.get(team.id) ?? null });
}

/**
 * PUT: the member must be on the team (404); without `teamRole` nothing changes; the caller must be
 * allowed to set both the current and the new role (`can_set_team_role`), else 400.
 */
function setTeamRole(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const team = requireTeam(ctx);
  if (!target.teams.has(team.id)) return detail(404, NOT_FOUND);
  const body = parseJsonBody(ctx.req);
  const role = isRecord(body) ? body.teamRole : undefined;
  const answer = () => json(200, { isActive: true, teamRole: target.teams.get(team.id) ?? null });
  if (role === undefined) return answer();
  if (!isTeamRole(role)) return json(400, { teamRole: [`"${String(role)}" is not a valid choice.`] });
  const old = effectiveTeamRole(target.orgRole, target.teams.get(team.id) ?? null);
  if (!canSetTeamRole(ctx, team, role) || !canSetTeamRole(ctx, team, old)) {
    return detail(400, "You do not have permission to edit that user's membership.");
  }
  target.teams.set(team.id, normaliseTeamRole(target.orgRole, role));
  ctx.audit("member.edit", {
    targetObject: target.id,
    targetUserId: target.userId,
    data: { email: target.email, role: target.orgRole, team_slug: team.slug, team_role: role },
  });
  // Sentry answers with the stored role, which is null at or below the org role's minimum.
  return answer();
}

/** `_can_delete`: oneself, an org owner or manager (by role), or an admin of the team; never a token without a user. */
function canRemoveFromTeam(ctx: RouteContext, target: Member, team: Team): boolean {
  const me = ctx.member;
  if (!me) return false;
  if (me.id === target.id) return true;
  if (ORG_ROLES[me.orgRole].scopes.includes("org:write")) return true;
  return canAdminTeam(ctx, team);
}

/** DELETE: the permission check (400) comes before the IdP lock (403); not being on the team is still 200. */
function leaveTeam(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const team = requireTeam(ctx);
  if (!canRemoveFromTeam(ctx, target, team)) return detail(400, "You do not have permission to edit that user's membership.");
  if (team.idpProvisioned) return idpManaged();
  if (target.teams.delete(team.id)) auditTeamChange(ctx, "member.leave-team", target, team);
  return json(200, serializeTeam(ctx, team));
}

export function auditTeamChange(ctx: RouteContext, event: string, member: Member, team: Team): void {
  ctx.audit(event, { targetObject: member.id, targetUserId: member.userId, data: { email: member.email, team_slug: team.slug, team_id: team.id } });
}

export const memberTeamRoutes: RouteSpec[] = [
  { operationId: "getOrganizationMemberTeam", handler: getMembership },
  { operationId: "addOrganizationMemberTeam", handler: joinTeam },
  { operationId: "updateOrganizationMemberTeam", handler: setTeamRole },
  { operationId: "deleteOrganizationMemberTeam", handler: leaveTeam },
];
