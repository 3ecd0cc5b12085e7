/**
 * SCIM Users (src/sentry/core/endpoints/scim/members.py): a user is an org member; provisioning
 * invites with `idp:provisioned`, PATCH only deactivates (hard delete), PUT sets or releases the IdP-managed org
 * role, DELETE hard-deletes, and the only owner is never removed.
 */
import { detail, type EmuAnswer, fail, isRecord, json, NOT_FOUND, noContent, parseJsonBody, scimError } from "../http.js";
import { findMemberByEmail, isPending, type Member, NO_FLAGS } from "../model.js";
import { isOrgRole, ORG_ROLES } from "../roles.js";
import type { RouteContext, RouteSpec } from "../router.js";
import type { OrgRole } from "../types.js";
import { memberAuditData, removeMemberRecord } from "./members.js";
import { patchOperations, scimList, scimQuery, sentryJson } from "./scim.js";

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

/**
 * `Organization.default_role` (src/sentry/models/organization.py; `member` unless an owner changes it, which the
 * emulator does not model). SCIM uses the org's default, not the auth provider's `default_role`.
 */
const ORG_DEFAULT_ROLE: OrgRole = "member";
/** Sentry crashes (500) where it calls `.get`/`.lower()` on a value that is not a dict/str. */
const INTERNAL_ERROR: EmuAnswer = { status: 500, body: { detail: "Internal Error", errorId: null } };

/** Python truthiness of a JSON value (`if request.data.get("sentryOrgRole")`). */
function pythonTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return isRecord(value) ? Object.keys(value).length > 0 : true;
}

const PARTNERSHIP = "This member is managed by an active partnership and cannot be modified until the end of the partnership.";
const ONLY_OWNER = "You cannot remove the only remaining owner of the organization.";

/** Roles SCIM may set: any without `org:admin` (so never owner). */
function scimRole(raw: unknown): OrgRole {
  const role = String(raw).toLowerCase();
  if (!isOrgRole(role) || ORG_ROLES[role].scopes.includes("org:admin")) fail(scimError(400, "Invalid organization role."));
  return role;
}

function listUsers(ctx: RouteContext): EmuAnswer {
  const query = scimQuery(ctx.req);
  const wanted = query.filter?.value.toLowerCase();
  // ORDER BY email, id over OrganizationMember.email, which Sentry clears once a user joins: pending invites come
  // first by email, then members with accounts (email NULL, sorted last by Postgres) by id
  // (test_scim_user_index.py test_get_members_no_filter__invited).
  const byEmailThenId = (a: Member, b: Member) => {
    if (isPending(a) !== isPending(b)) return isPending(a) ? -1 : 1;
    if (isPending(a) && a.email !== b.email) return a.email < b.email ? -1 : 1;
    return a.id - b.id;
  };
  const rows = [...ctx.org.members.values()].filter((m) => wanted === undefined || m.email.toLowerCase() === wanted).sort(byEmailThenId);
  return scimList(query, rows, (m) => serializeScimUser(ctx, m));
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
  const roleGiven = pythonTruthy(sentryOrgRole);
  // Sentry lowercases a given role with `.lower()`: a truthy value that is not a string is a 500.
  if (roleGiven && typeof sentryOrgRole !== "string") return INTERNAL_ERROR;
  const orgRole = roleGiven ? scimRole(sentryOrgRole) : scimRole(ORG_DEFAULT_ROLE);
  if (typeof userName !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(userName)) {
    return scimError(
      400,
      sentryJson({ email: [userName === undefined || userName === null ? "This field may not be null." : "Enter a valid email address."] }),
    );
  }
  const existing = findMemberByEmail(ctx.org, userName);
  if (existing && !isPending(existing)) return scimError(409, "User already exists in the database.");
  if (existing) return scimError(400, sentryJson({ email: [`The user ${userName} has already been invited`] }));
  const member: Member = {
    id: ctx.world.nextId("member"),
    email: userName,
    name: userName,
    userId: null,
    orgRole,
    flags: { ...NO_FLAGS, "idp:provisioned": true, "idp:role-restricted": roleGiven },
    dateCreated: ctx.now,
    inviterName: null,
    inviterUserId: null,
    teams: new Map(),
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
    ops: ["replace"],
    requireSchemas: false,
    maxOps: 100,
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

/**
 * PUT (scim/members.py `OrganizationSCIMMemberDetails.put`, test_scim_user_details.py `SCIMMemberRoleUpdateTests`):
 * reads only `sentryOrgRole`. An owner is never changed: 200 with its lock cleared. A partnership member is 403.
 * A role (lowercased) already locked and equal answers 200 untouched; otherwise it must not carry org:admin (400
 * "Invalid organization role.") and is set and locked. A blank role leaves an unlocked non-default member alone;
 * else it sets the default role and clears the lock. Every change marks the member IdP-provisioned; none is audited.
 */
function putUser(ctx: RouteContext): EmuAnswer {
  const member = requireScimUser(ctx);
  const body = parseJsonBody(ctx.req);
  const reply = () => json(200, serializeScimUser(ctx, member));
  if (member.orgRole === "owner") {
    member.flags = { ...member.flags, "idp:role-restricted": false, "idp:provisioned": true };
    return reply();
  }
  if (member.flags["partnership:restricted"]) return detail(403, PARTNERSHIP);
  if (body !== undefined && !isRecord(body)) return INTERNAL_ERROR;
  const raw = isRecord(body) ? body.sentryOrgRole : undefined;
  const given = pythonTruthy(raw);
  let requested: string;
  let restricted: boolean;
  if (given) {
    if (typeof raw !== "string") return INTERNAL_ERROR;
    if (member.flags["idp:role-restricted"] && member.orgRole === raw.toLowerCase()) return reply();
    requested = raw.toLowerCase();
    restricted = true;
  } else {
    if (member.orgRole !== ORG_DEFAULT_ROLE && !member.flags["idp:role-restricted"]) return reply();
    requested = ORG_DEFAULT_ROLE;
    restricted = false;
  }
  member.orgRole = scimRole(requested);
  member.flags = { ...member.flags, "idp:role-restricted": restricted, "idp:provisioned": true };
  return reply();
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
  { operationId: "replaceOrganizationScimV2UserRole", handler: putUser },
  { operationId: "deleteOrganizationScimV2User", handler: deleteUser },
];
