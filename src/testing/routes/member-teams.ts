/**
 * Member ↔ team routes (organization_member_team_details.py): join (201/202/204), set the team
 * role (stored null at or below the org role's minimum), leave.
 */
import { detail, type EmuAnswer, isRecord, json, NOT_FOUND, noContent, parseJsonBody } from "../http.js";
import type { Member, Team } from "../model.js";
import { effectiveTeamRole, isTeamRole, normaliseTeamRole, ORG_ROLES } from "../roles.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeTeam } from "../serialize.js";
import { requireMember } from "./members.js";
import { requireTeam } from "./teams.js";

/** Org-wide write access, or team admin on this team, lets a caller manage someone else's membership. */
function canManageMembership(ctx: RouteContext, team: Team): boolean {
  if (ctx.scopes.has("org:write") || (ctx.scopes.has("team:admin") && !ctx.member)) return true;
  const me = ctx.member;
  if (!me) return false;
  if (ORG_ROLES[me.orgRole].isGlobal) return true;
  return me.teams.has(team.id) && effectiveTeamRole(me.orgRole, me.teams.get(team.id) ?? null) === "admin";
}

function idpManaged(): EmuAnswer {
  return detail(403, "This team is managed through your organization's identity provider.");
}

function joinTeam(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const team = requireTeam(ctx);
  if (team.idpProvisioned) return idpManaged();
  if (!ORG_ROLES[target.orgRole].isTeamRolesAllowed) return detail(403, `The user with a '${target.orgRole}' role cannot have team-level permissions.`);
  if (target.teams.has(team.id)) return noContent();
  const isSelf = ctx.member?.id === target.id;
  if (!isSelf && !canManageMembership(ctx, team) && !ctx.scopes.has("team:write")) {
    // Without the right to add others Sentry files an access request instead (202, no change).
    return { status: 202 };
  }
  target.teams.set(team.id, null);
  auditTeamChange(ctx, "member.join-team", target, team);
  return json(201, serializeTeam(ctx, team));
}

function setTeamRole(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const team = requireTeam(ctx);
  if (!target.teams.has(team.id)) return detail(404, NOT_FOUND);
  const body = parseJsonBody(ctx.req);
  const role = isRecord(body) ? body.teamRole : undefined;
  if (!isTeamRole(role)) return detail(400, "Invalid team-role");
  if (!canManageMembership(ctx, team)) return detail(400, "You do not have permission to edit that user's membership.");
  const stored = normaliseTeamRole(target.orgRole, role);
  target.teams.set(team.id, stored);
  ctx.audit("member.edit", {
    targetObject: target.id, targetUserId: target.userId,
    data: { email: target.email, role: target.orgRole, team_slug: team.slug, teamRole: role },
  });
  // Sentry answers with the stored role, which is null at or below the org role's minimum.
  return json(200, { isActive: true, teamRole: stored });
}

function leaveTeam(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const team = requireTeam(ctx);
  if (team.idpProvisioned) return idpManaged();
  if (ctx.caller.token.kind === "org") return { status: 400 };
  const isSelf = ctx.member?.id === target.id;
  if (!isSelf && !canManageMembership(ctx, team)) return detail(400, "You do not have permission to edit that user's membership.");
  if (target.teams.delete(team.id)) auditTeamChange(ctx, "member.leave-team", target, team);
  return json(200, serializeTeam(ctx, team));
}

export function auditTeamChange(ctx: RouteContext, event: string, member: Member, team: Team): void {
  ctx.audit(event, { targetObject: member.id, targetUserId: member.userId, data: { email: member.email, team_slug: team.slug, team_id: team.id } });
}

export const memberTeamRoutes: RouteSpec[] = [
  { operationId: "addOrganizationMemberTeam", handler: joinTeam },
  { operationId: "updateOrganizationMemberTeam", handler: setTeamRole },
  { operationId: "deleteOrganizationMemberTeam", handler: leaveTeam },
];
