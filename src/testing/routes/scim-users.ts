/**
 * SCIM Users (src/sentry/core/endpoints/scim/members.py): a user is an org member; provisioning
 * invites with `idp:provisioned`, PATCH only deactivates (hard delete), DELETE hard-deletes, and the
 * only owner is never removed.
 */
import { detail, type EmuAnswer, fail, isRecord, json, NOT_FOUND, noContent, parseJsonBody, scimError } from "../http.js";
import { findMemberByEmail, isPending, type Member, NO_FLAGS } from "../model.js";
import { isOrgRole, ORG_ROLES } from "../roles.js";
import type { RouteContext, RouteSpec } from "../router.js";
import type { OrgRole } from "../types.js";
import { memberAuditData, removeMemberRecord } from "./members.js";
import { parseScimFilter, patchOperations, pythonJson, scimList } from "./scim.js";

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

/** The Active Directory (Azure) provider gets no `active` attribute: Sentry has no soft delete to report. */
function serializeScimUser(ctx: RouteContext, member: Member): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [USER_SCHEMA],
    id: String(member.id),
    userName: member.email,
    emails: [{ primary: true, value: member.email, type: "work" }],
    name: { givenName: "N/A", familyName: "N/A" },
    active: true,
    meta: { resourceType: "User" },
    sentryOrgRole: member.orgRole,
  };
  if (ctx.org.authProvider?.provider === "active-directory") delete body.active;
  return body;
}

function requireScimUser(ctx: RouteContext): Member {
  return ctx.org.members.get(Number(ctx.params.member_id)) ?? fail(scimError(404, NOT_FOUND));
}

const PARTNERSHIP = "This member is managed by an active partnership and cannot be modified until the end of the partnership.";
const ONLY_OWNER = "You cannot remove the only remaining owner of the organization.";

/** Roles SCIM may set: any without `org:admin` (so never owner). */
function scimRole(raw: unknown): OrgRole {
  const role = String(raw).toLowerCase();
  if (!isOrgRole(role) || ORG_ROLES[role].scopes.includes("org:admin")) fail(scimError(400, "Invalid organization role."));
  return role as OrgRole;
}

function listUsers(ctx: RouteContext): EmuAnswer {
  const filter = parseScimFilter(ctx.req.url.searchParams.get("filter"));
  const wanted = filter?.value.toLowerCase();
  const rows = [...ctx.org.members.values()]
    .filter((m) => wanted === undefined || m.email.toLowerCase() === wanted)
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.id - b.id));
  return scimList(ctx.req, rows, (m) => serializeScimUser(ctx, m));
}

/**
 * POST (scim/members.py): `sentryOrgRole` (lowercased; blank = the org default) must not carry
 * org:admin; the member is an invite flagged `idp:provisioned`, and `idp:role-restricted` when the IdP
 * set the role. A full member with the email is 409; a pending invite fails the invite serializer (400).
 */
function provisionUser(ctx: RouteContext): EmuAnswer {
  const body = parseJsonBody(ctx.req);
  if (!isRecord(body)) return scimError(400, "Invalid request body.");
  const { userName, sentryOrgRole } = body;
  const roleGiven = sentryOrgRole !== undefined && sentryOrgRole !== null && sentryOrgRole !== "";
  const orgRole = roleGiven ? scimRole(sentryOrgRole) : scimRole(ctx.org.authProvider?.defaultRole ?? "member");
  if (typeof userName !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(userName)) {
    return scimError(400, pythonJson({ email: [userName === undefined || userName === null ? "This field may not be null." : "Enter a valid email address."] }));
  }
  const existing = findMemberByEmail(ctx.org, userName);
  if (existing && !isPending(existing)) return scimError(409, "User already exists in the database.");
  if (existing) return scimError(400, pythonJson({ email: [`The user ${userName} has already been invited`] }));
  const member: Member = {
    id: ctx.world.nextId("member"), email: userName, name: userName, userId: null, orgRole,
    flags: { ...NO_FLAGS, "idp:provisioned": true, "idp:role-restricted": roleGiven },
    dateCreated: ctx.now, inviterName: null, inviterUserId: null, teams: new Map(),
  };
  ctx.org.members.set(member.id, member);
  ctx.audit("member.invite", { targetObject: member.id, data: memberAuditData(ctx, member) });
  return json(201, serializeScimUser(ctx, member));
}

/** `_delete_member`: the only owner is never removed (403, a plain DRF body). */
function deleteScimMember(ctx: RouteContext, member: Member): void {
  const owners = [...ctx.org.members.values()].filter((m) => m.orgRole === "owner" && !isPending(m));
  if (member.orgRole === "owner" && owners.length === 1 && owners[0] === member) fail(detail(403, ONLY_OWNER));
  removeMemberRecord(ctx, member);
}

function activeValue(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return null;
}

/**
 * PATCH: only `replace` ops, each with a boolean, a "true"/"false" string or an object as value (else
 * 400 with the serializer errors as JSON text); the first op must set `active` to false — Okta's
 * `{"value": {"active": false}}` or the `path: "active"` form — and deletes the member (204); anything
 * else, `active: true` included, is 400 "Invalid Patch Operation.". No ops: 200 with the user.
 */
function patchUser(ctx: RouteContext): EmuAnswer {
  const member = requireScimUser(ctx);
  const ops = patchOperations(parseJsonBody(ctx.req), {
    ops: ["replace"], requireSchemas: false, maxOps: 100,
    checkValue: (op) => {
      if (op.value === undefined) return "This field is required.";
      return typeof op.value === "boolean" || isRecord(op.value) || activeValue(op.value) !== null ? null : "value must be a boolean or object";
    },
  });
  if (member.flags["partnership:restricted"]) return detail(403, PARTNERSHIP);
  const [first] = ops;
  if (!first) return json(200, serializeScimUser(ctx, member));
  const okta = isRecord(first.value) && activeValue(first.value.active) === false;
  const other = first.path === "active" && activeValue(first.value) === false;
  if (!okta && !other) return scimError(400, "Invalid Patch Operation.");
  deleteScimMember(ctx, member);
  return noContent();
}

function deleteUser(ctx: RouteContext): EmuAnswer {
  const member = requireScimUser(ctx);
  if (member.flags["partnership:restricted"]) return detail(403, PARTNERSHIP);
  deleteScimMember(ctx, member);
  return noContent();
}

export const scimUserRoutes: RouteSpec[] = [
  { operationId: "listOrganizationScimV2Users", handler: listUsers },
  { operationId: "getOrganizationScimV2User", handler: (ctx) => json(200, serializeScimUser(ctx, requireScimUser(ctx))) },
  { operationId: "provisionOrganizationScimV2User", handler: provisionUser },
  { operationId: "updateOrganizationScimV2User", handler: patchUser },
  { operationId: "deleteOrganizationScimV2User", handler: deleteUser },
];
