/**
 * Organization member routes (organization_member_index.py, organization_member/details.py):
 * list with Sentry's query syntax, invite (conflicts are 400, team roles ignored), detail, PUT that
 * replaces the whole team set, and DELETE with its 400/403 rules.
 */
import { detail, type EmuAnswer, fail, isRecord, json, NOT_FOUND, noContent, parseJsonBody } from "../http.js";
import { findMemberByEmail, isInviteExpired, isPending, type Member, NO_FLAGS } from "../model.js";
import { canManageRole, expandScopes, isOrgRole, normaliseTeamRole, ORG_ROLES } from "../roles.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeMember, serializeMemberDetail, teamSlugsOf } from "../serialize.js";
import type { OrgRole, TeamRole } from "../types.js";
import { asBool, byKey, pagedAnswer, tokenizeQuery } from "./lists.js";
import { parseTeamRoles } from "./member-input.js";

export function requireMember(ctx: RouteContext): Member {
  const raw = ctx.params.member_id ?? "";
  const member = raw === "me" ? ctx.member : /^\d+$/.test(raw) ? ctx.org.members.get(Number(raw)) : undefined;
  return member ?? fail(detail(404, NOT_FOUND));
}

function matchesToken(ctx: RouteContext, member: Member, key: string, values: string[]): boolean {
  const user = member.userId === null ? undefined : ctx.world.users.get(member.userId);
  const lower = values.map((v) => v.toLowerCase());
  switch (key) {
    case "email": return lower.includes(member.email.toLowerCase());
    case "id": return values.includes(String(member.id));
    case "user.id": return member.userId !== null && values.includes(String(member.userId));
    case "role": return values.includes(member.orgRole);
    case "scope": {
      const scopes = expandScopes(ORG_ROLES[member.orgRole].scopes);
      return values.some((v) => scopes.has(v));
    }
    case "isInvited": return values.some((v) => asBool(v) === isPending(member));
    case "ssoLinked": return values.some((v) => asBool(v) === member.flags["sso:linked"]);
    case "has2fa": return values.some((v) => asBool(v) === (user?.has2fa ?? false));
    case "hasExternalUsers": return values.some((v) => asBool(v) === false);
    case "query": {
      const text = values.join(" ").toLowerCase();
      return member.email.toLowerCase().includes(text) || (user?.name.toLowerCase().includes(text) ?? false);
    }
    default: return false; // Sentry answers an unknown key with an empty result.
  }
}

function listMembers(ctx: RouteContext): EmuAnswer {
  const tokens = [...tokenizeQuery(ctx.req.url.searchParams.get("query") ?? "")];
  const members = [...ctx.org.members.values()]
    .filter((m) => tokens.every(([key, values]) => matchesToken(ctx, m, key, values)))
    .sort(byKey((m) => m.id));
  return pagedAnswer(ctx.req, members, (m) => m.id, true, (m) => serializeMember(ctx.world, m, ctx.now));
}

function callerRole(ctx: RouteContext): OrgRole {
  // Integration tokens act with org-global access but may only hand out the member role (facts §5).
  return ctx.member?.orgRole ?? "member";
}

function validateOrgRole(ctx: RouteContext, value: unknown, field: string): OrgRole | undefined {
  if (value === undefined) return undefined;
  if (!isOrgRole(value)) fail(json(400, { [field]: [`"${String(value)}" is not a valid choice.`] }));
  if (value === "admin") fail(json(400, { [field]: ["The role 'admin' is deprecated and may no longer be assigned."] }));
  return value;
}

function inviteMember(ctx: RouteContext): EmuAnswer {
  const body = parseJsonBody(ctx.req);
  if (!isRecord(body)) return json(400, { non_field_errors: ["Invalid data. Expected a dictionary."] });
  const { email } = body;
  if (email === undefined || email === null) return json(400, { email: ["This field is required."] });
  if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return json(400, { email: ["Enter a valid email address."] });
  if (email.length > 75) return json(400, { email: ["Ensure this field has no more than 75 characters."] });
  const orgRole = validateOrgRole(ctx, body.orgRole ?? body.role, body.orgRole !== undefined ? "orgRole" : "role") ?? "member";
  if (ctx.caller.token.kind === "integration" && orgRole !== "member") {
    return json(400, ["Integration tokens are restricted to inviting new members with the member role only."]);
  }
  if (!canManageRole(callerRole(ctx), orgRole)) {
    return json(400, { orgRole: ["You do not have permission to set that org-level role"] });
  }
  for (const key of ["sendInvite", "reinvite"] as const) {
    if (body[key] !== undefined && typeof body[key] !== "boolean") return json(400, { [key]: ["Must be a valid boolean."] });
  }
  const teamRoles = parseTeamRoles(ctx, body);
  const existing = findMemberByEmail(ctx.org, email);
  if (existing) {
    const text = isPending(existing) ? `The user ${email} has already been invited` : `The user ${email} is already a member`;
    return json(400, { email: [text] });
  }
  if (ctx.limiter && !ctx.limiter.admitInvite(ctx.org.id, email)) {
    return detail(429, "You are being rate limited for too many invitations.");
  }
  const inviter = ctx.member?.userId != null ? ctx.world.users.get(ctx.member.userId) : undefined;
  const member: Member = {
    id: ctx.world.nextId("member"), email, name: email, userId: null, orgRole, flags: { ...NO_FLAGS },
    dateCreated: ctx.now, inviterName: inviter?.name ?? null, inviterUserId: inviter?.id ?? null,
    // Team roles are ignored on invite: only membership is saved (facts §5).
    teams: new Map(teamRoles.map((t) => [t.team.id, null] as const)),
  };
  ctx.org.members.set(member.id, member);
  ctx.audit("member.invite", { targetObject: member.id, data: { email, role: orgRole, teams: teamRoles.map((t) => t.team.slug) } });
  return json(201, serializeMember(ctx.world, member, ctx.now));
}

/** `{ reinvite: true, regenerate? }` must come alone; it resends (or renews) a pending invite. */
function reinvite(ctx: RouteContext, target: Member, body: Record<string, unknown>): EmuAnswer {
  if (Object.keys(body).some((key) => key !== "reinvite" && key !== "regenerate")) {
    return detail(403, "You cannot modify member details while reinviting.");
  }
  const regenerate = body.regenerate === true;
  if (regenerate && !ctx.scopes.has("member:admin")) return detail(400, "You are missing the member:admin scope.");
  if (!isPending(target)) {
    // Sentry re-sends the SSO link email to full members who have not linked their identity.
    if (ctx.org.authProvider && !target.flags["sso:linked"]) return json(200, serializeMemberDetail(ctx, target));
    return detail(400, "You cannot modify member details of a full member.");
  }
  if (isInviteExpired(target, ctx.now) && !regenerate) {
    return detail(400, "You cannot resend an expired invitation without regenerating the token.");
  }
  if (regenerate) target.inviteRenewedAt = ctx.now;
  ctx.audit("member.reinvite", { targetObject: target.id, data: { email: target.email, role: target.orgRole } });
  return json(200, serializeMemberDetail(ctx, target));
}

function updateMember(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const body = parseJsonBody(ctx.req);
  if (!isRecord(body)) return json(400, { non_field_errors: ["Invalid data. Expected a dictionary."] });
  if (body.reinvite === true || body.regenerate === true) return reinvite(ctx, target, body);
  const newRole = validateOrgRole(ctx, body.orgRole ?? body.role, body.orgRole !== undefined ? "orgRole" : "role");
  const teamRoles = parseTeamRoles(ctx, body);
  if (newRole !== undefined && newRole !== target.orgRole) {
    if (ctx.caller.token.kind !== "user") return json(403, { role: "You do not have permission to assign the given role." });
    if (ctx.member?.id === target.id) return detail(400, "You cannot make changes to your own role.");
    const actor = callerRole(ctx);
    if (!canManageRole(actor, target.orgRole)) return json(403, { role: "You do not have permission to assign a role to the given user." });
    if (!canManageRole(actor, newRole)) return json(403, { role: "You do not have permission to assign the given role." });
    const owners = [...ctx.org.members.values()].filter((m) => m.orgRole === "owner" && !isPending(m));
    if (target.orgRole === "owner" && owners.length === 1) return detail(403, "You cannot demote the last owner of the organization.");
    target.orgRole = newRole;
  }
  // As in the code read (facts §5): the team set is replaced even when `teamRoles` is omitted.
  const stored: Array<[number, TeamRole | null]> = teamRoles.map((t) => [t.team.id, normaliseTeamRole(target.orgRole, t.role)]);
  const before = new Set(target.teams.keys());
  target.teams = new Map(stored);
  for (const [teamId, role] of target.teams) target.teams.set(teamId, normaliseTeamRole(target.orgRole, role));
  const joined = [...target.teams.keys()].filter((id) => !before.has(id));
  const left = [...before].filter((id) => !target.teams.has(id));
  ctx.audit("member.edit", {
    targetObject: target.id, targetUserId: target.userId,
    data: { email: target.email, role: target.orgRole, teams: teamSlugsOf(ctx.org, target), joined: joined.length, left: left.length },
  });
  return json(200, serializeMemberDetail(ctx, target));
}

function deleteMember(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  if (target.flags["idp:provisioned"]) return detail(403, "This user is managed through your organization's identity provider.");
  const owners = [...ctx.org.members.values()].filter((m) => m.orgRole === "owner" && !isPending(m));
  if (target.orgRole === "owner" && !isPending(target) && owners.length === 1) {
    return detail(403, "You cannot remove the only remaining owner of the organization.");
  }
  const isSelf = ctx.member?.id === target.id;
  const ownInvite = isPending(target) && target.inviterUserId !== null && target.inviterUserId === ctx.member?.userId;
  if (!isSelf && !ownInvite) {
    if (!ctx.scopes.has("member:admin")) return detail(400, "You are missing the member:admin scope.");
    // Integration tokens have org-global access but are no owner: they cannot remove owners.
    if (!canManageRole(ctx.member?.orgRole ?? "manager", target.orgRole)) {
      return detail(400, "You cannot remove a member who has more access than you.");
    }
  }
  removeMemberRecord(ctx, target);
  return noContent();
}

export function removeMemberRecord(ctx: RouteContext, target: Member): void {
  ctx.org.members.delete(target.id);
  ctx.audit("member.remove", { targetObject: target.id, targetUserId: target.userId, data: { email: target.email, role: target.orgRole } });
}

export const memberRoutes: RouteSpec[] = [
  { operationId: "listOrganizationMembers", handler: listMembers },
  { operationId: "addOrganizationMember", handler: inviteMember },
  { operationId: "getOrganizationMember", handler: (ctx) => json(200, serializeMemberDetail(ctx, requireMember(ctx))) },
  { operationId: "updateOrganizationMember", handler: updateMember },
  { operationId: "deleteOrganizationMember", handler: deleteMember },
];
