/**
 * Organization member routes (organization_member_index.py, organization_member/details.py):
 * list with Sentry's query syntax, invite (conflicts are 400, team roles ignored), detail, PUT that
 * replaces the whole team set, and DELETE with its 400/403 rules.
 */
import { detail, type EmuAnswer, fail, isRecord, json, NO_PERMISSION, NOT_FOUND, noContent, parseJsonBody } from "../http.js";
import { findMemberByEmail, isInviteExpired, isPending, type Member, NO_FLAGS } from "../model.js";
import { canManageRole, expandScopes, isOrgRole, ORG_ROLE_IDS, ORG_ROLES } from "../roles.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeMember, serializeMemberDetail, teamSlugsOf } from "../serialize.js";
import type { OrgRole } from "../types.js";
import { asBool, byKey, offsetAnswer, tokenizeQuery } from "./lists.js";
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
    case "email":
      return lower.includes(member.email.toLowerCase());
    case "id":
      return values.includes(String(member.id));
    case "user.id":
      return member.userId !== null && values.includes(String(member.userId));
    case "role":
      return values.includes(member.orgRole);
    case "scope": {
      const scopes = expandScopes(ORG_ROLES[member.orgRole].scopes);
      return values.some((v) => scopes.has(v));
    }
    case "isInvited":
      return values.some((v) => asBool(v) === isPending(member));
    case "ssoLinked":
      return values.some((v) => asBool(v) === member.flags["sso:linked"]);
    // Both branches filter `user_id__in` a list of users (organization_member_index.py): a pending invite has no
    // user, so it matches neither has2fa:true nor has2fa:false (test_2fa_enabled_query).
    case "has2fa":
      return user !== undefined && values.some((v) => asBool(v) === user.has2fa);
    case "hasExternalUsers":
      return values.some((v) => asBool(v) === false);
    case "query": {
      const text = values.join(" ").toLowerCase();
      return member.email.toLowerCase().includes(text) || (user?.name.toLowerCase().includes(text) ?? false);
    }
    default:
      return false; // Sentry answers an unknown key with an empty result.
  }
}

function listMembers(ctx: RouteContext): EmuAnswer {
  const tokens = [...tokenizeQuery(ctx.req.url.searchParams.get("query") ?? "")];
  const members = [...ctx.org.members.values()].filter((m) => tokens.every(([key, values]) => matchesToken(ctx, m, key, values))).sort(byKey((m) => m.id));
  // OffsetPaginator (organization_member_index.py): Sentry's `per_page:page:is_prev` cursors.
  return offsetAnswer(ctx.req, members, (m) => serializeMember(ctx.world, m, ctx.now));
}

/**
 * `get_allowed_org_roles` (organization_member_utils.py): the roles a caller may grant and take away:
 * those at or below its own role, and only with `member:admin` unless it is creating an invite. A token
 * without a member (an integration) gets none.
 */
function allowedOrgRoles(ctx: RouteContext, creatingInvite: boolean): OrgRole[] {
  if (!creatingInvite && !ctx.scopes.has("member:admin")) return [];
  const me = ctx.member;
  if (!me) return [];
  return ORG_ROLE_IDS.filter((id) => canManageRole(me.orgRole, id));
}

/** `OrganizationMemberRequestSerializer.validate_orgRole`: a choice, then within the allowed roles. */
function orgRoleErrors(value: unknown, allowed: readonly OrgRole[], allowRetired: boolean): string[] {
  if (!isOrgRole(value)) return [`"${String(value)}" is not a valid choice.`];
  if (!allowed.includes(value)) return ["You do not have permission to set that org-level role"];
  if (!allowRetired && ORG_ROLES[value].isRetired) return [`The role '${value}' is deprecated and may no longer be assigned.`];
  return [];
}

/** Field errors of the request serializer for `orgRole` / deprecated `role` (each validated when sent). */
function roleFieldErrors(body: Record<string, unknown>, allowed: readonly OrgRole[], allowRetired: boolean): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of ["orgRole", "role"] as const) {
    if (body[field] === undefined) continue;
    const found = orgRoleErrors(body[field], allowed, allowRetired);
    if (found.length) errors[field] = found;
  }
  return errors;
}

function boolFieldErrors(body: Record<string, unknown>, fields: readonly string[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const key of fields) {
    if (body[key] !== undefined && typeof body[key] !== "boolean" && !/^(true|false|0|1)$/i.test(String(body[key]))) {
      errors[key] = ["Must be a valid boolean."];
    }
  }
  return errors;
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === "string" && /^(true|1)$/i.test(value));
}

/** `is_member` of the member endpoints: invite rights without member:admin. */
function isInviteOnly(ctx: RouteContext): boolean {
  return !ctx.scopes.has("member:admin") && ctx.scopes.has("member:invite");
}

/**
 * POST (organization_member_index.py): integration tokens may invite only as `member` (400, a bare
 * list); serializer errors (400) come before the invitation caps (429); invite-only members of a
 * closed-membership org may add only teams they are on; team roles are not saved on invite.
 */
function inviteMember(ctx: RouteContext): EmuAnswer {
  // MemberPermission.has_object_permission (src/sentry/api/bases/organizationmember.py): with member invites
  // disabled, a POST needs member:write or member:admin, whatever the role may invite otherwise — the plain 403
  // comes before any validation. test_organization_member_index.py OrganizationMemberPermissionRoleTest
  // (test_member_invites, test_admin_invites: invite_all_helper / invite_to_other_team_helper).
  if (!ctx.org.memberInvites && !ctx.scopes.has("member:write") && !ctx.scopes.has("member:admin")) return detail(403, NO_PERMISSION);
  const body = parseJsonBody(ctx.req);
  if (!isRecord(body)) return json(400, { non_field_errors: ["Invalid data. Expected a dictionary."] });
  const assigned = (body.orgRole || body.role || "member") as OrgRole;
  let allowed = allowedOrgRoles(ctx, true);
  if (allowed.length === 0 && ctx.caller.token.kind === "integration") {
    if (assigned !== "member") return json(400, ["Integration tokens are restricted to inviting new members with the member role only."]);
    allowed = ["member"];
  }
  const errors: Record<string, string[]> = { ...roleFieldErrors(body, allowed, false), ...boolFieldErrors(body, ["sendInvite", "reinvite", "regenerate"]) };
  const { email } = body;
  if (email === undefined || email === null) errors.email = ["This field is required."];
  // AllowedEmailField: Django's EmailField (whose domain allowlist admits `localhost`) plus `is_valid_email_address`,
  // which refuses the addresses matching INVALID_EMAIL_ADDRESS_PATTERNS (src/sentry/conf/server.py: `@qq.com`).
  // test_forbid_qq.
  else if (typeof email !== "string" || !/^[^@\s]+@([^@\s]+\.[^@\s]+|localhost)$/i.test(email) || /@qq\.com$/i.test(email))
    errors.email = ["Enter a valid email address."];
  else if (email.length > 75) errors.email = ["Ensure this field has no more than 75 characters."];
  else {
    const existing = findMemberByEmail(ctx.org, email);
    if (existing) errors.email = [isPending(existing) ? `The user ${email} has already been invited` : `The user ${email} is already a member`];
  }
  const teamRoles = parseTeamRoles(ctx, body);
  if (Object.keys(errors).length) return json(400, errors);
  const address = email as string;
  if (ctx.limiter && !ctx.limiter.admitInvite(ctx.org.id, address, inviteActorKey(ctx))) {
    return detail(429, "You are being rate limited for too many invitations.");
  }
  if (isInviteOnly(ctx) && !ctx.org.openMembership && ctx.org.memberInvites && teamRoles.length > 0) {
    if (!teamRoles.every((t) => ctx.member?.teams.has(t.team.id))) {
      return detail(400, "You cannot assign members to teams you are not a member of.");
    }
  }
  if (teamRoles.length > 0 && !ORG_ROLES[assigned].isTeamRolesAllowed) {
    return json(400, { email: `The user with a '${assigned}' role cannot have team-level permissions.` });
  }
  const inviter = ctx.member?.userId != null ? ctx.world.users.get(ctx.member.userId) : undefined;
  const member: Member = {
    id: ctx.world.nextId("member"),
    email: address,
    name: address,
    userId: null,
    orgRole: assigned,
    flags: { ...NO_FLAGS },
    dateCreated: ctx.now,
    inviterName: inviter?.name ?? null,
    inviterUserId: inviter?.id ?? null,
    // "Do not set team-roles when inviting members": only membership is saved.
    teams: new Map(teamRoles.map((t) => [t.team.id, null] as const)),
  };
  ctx.org.members.set(member.id, member);
  ctx.audit("member.invite", { targetObject: member.id, data: memberAuditData(ctx, member) });
  return json(201, serializeMember(ctx.world, member, ctx.now));
}

/**
 * Whose daily invitation cap a request spends (`members:invite-by-user:{md5(user.id or str(auth))}`,
 * src/sentry/ratelimits/utils.py `for_organization_member_invite`): the user; for an integration token its own
 * identity (Sentry's key is the integration's proxy user, one per integration), not the organization's.
 * tests/sentry/utils/test_ratelimits.py test_by_user, test_by_api_token.
 */
export function inviteActorKey(ctx: RouteContext): string {
  return ctx.caller.token.userId !== null ? `user:${ctx.caller.token.userId}` : `token:${ctx.caller.token.id}`;
}

/** `OrganizationMember.get_audit_log_data()`. */
export function memberAuditData(ctx: RouteContext, member: Member): Record<string, unknown> {
  return {
    email: member.email,
    user: member.userId,
    teams: [...member.teams.keys()],
    teams_slugs: teamSlugsOf(ctx.org, member),
    has_global_access: ORG_ROLES[member.orgRole].isGlobal || ctx.org.openMembership,
    role: member.orgRole,
    invite_status: 0,
  };
}

/** `{ reinvite: true, regenerate? }` must come alone; it resends (or renews) a pending invite. */
function reinvite(ctx: RouteContext, target: Member, reinviteOnly: boolean, regenerate: boolean): EmuAnswer {
  if (!reinviteOnly) return detail(403, "You cannot modify member details when resending an invitation. Separate requests are required.");
  if (isPending(target)) {
    if (ctx.limiter && !ctx.limiter.admitInvite(ctx.org.id, target.email, inviteActorKey(ctx))) {
      return detail(429, "You are being rate limited for too many invitations.");
    }
    if (regenerate) {
      if (!ctx.scopes.has("member:admin")) return detail(400, "You are missing the member:admin scope.");
      target.inviteRenewedAt = ctx.now;
    }
    if (isInviteExpired(target, ctx.now)) return detail(400, "You cannot resend an expired invitation without regenerating the token.");
  } else if (!ctx.org.authProvider || target.flags["sso:linked"]) {
    // Full members get only the SSO link email, when SSO is set up and they have not linked yet.
    return detail(400, "You cannot send an invitation to a user who is already a full member.");
  }
  ctx.audit("member.reinvite", { targetObject: target.id, targetUserId: target.userId, data: memberAuditData(ctx, target) });
  return json(200, serializeMemberDetail(ctx, target));
}

const SERIALIZER_FIELDS = ["email", "role", "orgRole", "teams", "teamRoles", "sendInvite", "reinvite", "regenerate"];

const PARTNERSHIP = "This member is managed by an active partnership and cannot be modified until the end of the partnership.";

/**
 * PUT (organization_member_details.py), in Sentry's order: a user is required (400, no body); the
 * request serializer validates `orgRole` against the caller's allowed roles first — which need
 * `member:admin`, so any other caller gets 400 `{"orgRole": [...]}` rather than 403; invite-only
 * callers may only resend their own pending invites (403); the team set is replaced (and logged as
 * join/leave rows) before the role checks, which are 403 for a superior target and 400 for oneself.
 */
function updateMember(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  if (ctx.caller.token.kind === "org") return { status: 400 };
  const body = parseJsonBody(ctx.req);
  if (!isRecord(body)) return json(400, { non_field_errors: ["Invalid data. Expected a dictionary."] });
  const allowed = allowedOrgRoles(ctx, false);
  const errors = { ...roleFieldErrors(body, allowed, true), ...boolFieldErrors(body, ["reinvite", "regenerate"]) };
  if (Object.keys(errors).length) return json(400, errors);
  const teamRoles = parseTeamRoles(ctx, body);
  if (target.flags["partnership:restricted"]) return detail(403, PARTNERSHIP);
  // The serializer keeps only its own fields; a reinvite request may carry nothing else.
  const sent = Object.keys(body).filter((key) => SERIALIZER_FIELDS.includes(key));
  const reinviteOnly = sent.every((key) => key === "reinvite" || key === "regenerate");
  if (isInviteOnly(ctx)) {
    if (!(ctx.org.memberInvites && isPending(target) && reinviteOnly)) return detail(403, NO_PERMISSION);
    if (target.inviterUserId === null || target.inviterUserId !== ctx.caller.token.userId) {
      return detail(403, "You cannot modify invitations sent by someone else.");
    }
  }
  if (truthy(body.reinvite)) return reinvite(ctx, target, reinviteOnly, truthy(body.regenerate));
  const assigned = (body.orgRole || body.role || undefined) as OrgRole | undefined;
  const newRole = assigned ?? target.orgRole;
  const sendsTeams = body.teamRoles !== undefined || body.teams !== undefined;
  if ((teamRoles.length > 0 || (!sendsTeams && target.teams.size > 0)) && !ORG_ROLES[newRole].isTeamRolesAllowed) {
    return detail(400, `The user with a '${newRole}' role cannot have team-level permissions.`);
  }
  // save_team_assignments replaces the whole set — also when neither teamRoles nor teams is sent.
  // Roles are stored as sent (no normalisation on this path).
  const before = new Map(target.teams);
  target.teams = new Map(teamRoles.map((t) => [t.team.id, body.teamRoles !== undefined ? t.role : null] as const));
  for (const [teamId] of target.teams) if (!before.has(teamId)) auditMembership(ctx, "member.join-team", target, teamId);
  for (const [teamId] of before) if (!target.teams.has(teamId)) auditMembership(ctx, "member.leave-team", target, teamId);
  if (assigned !== undefined && assigned !== target.orgRole) {
    if (!allowed.includes(assigned)) return json(403, { role: "You do not have permission to assign the given role." });
    if (!allowed.includes(target.orgRole)) return json(403, { role: "You do not have permission to assign a role to the given user." });
    if (ctx.member?.id === target.id) return detail(400, "You cannot make changes to your own role.");
    if (ORG_ROLES[assigned].isRetired) return detail(400, `The role '${assigned}' is deprecated and may no longer be assigned.`);
    target.orgRole = assigned;
  }
  ctx.audit("member.edit", { targetObject: target.id, targetUserId: target.userId, data: memberAuditData(ctx, target) });
  return json(200, serializeMemberDetail(ctx, target));
}

function auditMembership(ctx: RouteContext, event: string, member: Member, teamId: number): void {
  const team = ctx.org.teams.get(teamId);
  ctx.audit(event, { targetObject: member.id, targetUserId: member.userId, data: { email: member.email, team_slug: team?.slug ?? String(teamId) } });
}

/** `is_only_member_with_org_write`: the target's role has org:write and no other full member's does. */
export function isOnlyMemberWithOrgWrite(ctx: RouteContext, target: Member): boolean {
  const writes = (m: Member) => !isPending(m) && expandScopes(ORG_ROLES[m.orgRole].scopes).has("org:write");
  return writes(target) && ![...ctx.org.members.values()].some((m) => m.id !== target.id && writes(m));
}

/**
 * DELETE (organization_member_details.py), in Sentry's order: the caller's right (400: missing
 * member:admin, a target with more access, an invite sent by someone else; tokens without a member
 * count as having less access), then the last owner-or-manager (403), the IdP lock (403) and a
 * partnership (403). Removing a user also removes the invites they sent.
 */
function deleteMember(ctx: RouteContext): EmuAnswer {
  const target = requireMember(ctx);
  const me = ctx.member;
  if (ctx.caller.token.userId !== null || ctx.caller.token.kind === "integration") {
    if (!me) return detail(400, "You cannot remove a member who has more access than you.");
    if (me.id !== target.id) {
      if (!ctx.scopes.has("member:admin")) {
        if (!(ctx.org.memberInvites && ctx.scopes.has("member:invite"))) return detail(400, "You are missing the member:admin scope.");
        if (!isPending(target)) return detail(400, "You are missing the member:admin scope.");
        if (target.inviterUserId !== me.userId) return detail(400, "You cannot modify invitations sent by someone else.");
        removeMemberRecord(ctx, target);
        return noContent();
      }
      if (!canManageRole(me.orgRole, target.orgRole)) return detail(400, "You cannot remove a member who has more access than you.");
    }
  } else if (!ctx.scopes.has("member:admin")) return detail(400, "You are missing the member:admin scope.");
  if (isOnlyMemberWithOrgWrite(ctx, target)) return detail(403, "You cannot remove the only remaining owner or manager of the organization.");
  if (target.flags["idp:provisioned"]) return detail(403, "This user is managed through your organization's identity provider.");
  if (target.flags["partnership:restricted"]) return detail(403, PARTNERSHIP);
  removeMemberRecord(ctx, target);
  if (target.userId !== null) {
    for (const invite of [...ctx.org.members.values()]) {
      if (isPending(invite) && invite.inviterUserId === target.userId) ctx.org.members.delete(invite.id);
    }
  }
  return noContent();
}

export function removeMemberRecord(ctx: RouteContext, target: Member): void {
  ctx.org.members.delete(target.id);
  ctx.audit("member.remove", { targetObject: target.id, targetUserId: target.userId, data: memberAuditData(ctx, target) });
}

export const memberRoutes: RouteSpec[] = [
  { operationId: "listOrganizationMembers", handler: listMembers },
  { operationId: "addOrganizationMember", handler: inviteMember },
  { operationId: "getOrganizationMember", handler: (ctx) => json(200, serializeMemberDetail(ctx, requireMember(ctx))) },
  { operationId: "updateOrganizationMember", handler: updateMember },
  { operationId: "deleteOrganizationMember", handler: deleteMember },
];
