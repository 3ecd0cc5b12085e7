/**
 * SCIM Users (scim/members.py): a user is an org member; provisioning invites with
 * `idp:provisioned`, PATCH only deactivates (hard delete), DELETE hard-deletes.
 */
import { type EmuAnswer, fail, isRecord, json, noContent, parseJsonBody, scimError } from "../http.js";
import { findMemberByEmail, isPending, type Member, NO_FLAGS } from "../model.js";
import { ORG_ROLES } from "../roles.js";
import type { RouteContext, RouteSpec } from "../router.js";
import type { OrgRole } from "../types.js";
import { removeMemberRecord } from "./members.js";
import { parseScimFilter, patchOperations, scimList } from "./scim.js";

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

function serializeScimUser(member: Member): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    id: String(member.id),
    userName: member.email,
    emails: [{ primary: true, value: member.email, type: "work" }],
    name: { givenName: "N/A", familyName: "N/A" },
    active: true,
    meta: { resourceType: "User" },
    sentryOrgRole: member.orgRole,
  };
}

function requireScimUser(ctx: RouteContext): Member {
  return ctx.org.members.get(Number(ctx.params.member_id)) ?? fail(scimError(404, "User not found."));
}

function listUsers(ctx: RouteContext): EmuAnswer {
  const filter = parseScimFilter(ctx.req.url.searchParams.get("filter"), ["userName", "value"]);
  const wanted = filter?.value.toLowerCase();
  const rows = [...ctx.org.members.values()]
    .filter((m) => wanted === undefined || m.email.toLowerCase() === wanted)
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.id - b.id));
  return scimList(ctx.req, rows, serializeScimUser);
}

function provisionUser(ctx: RouteContext): EmuAnswer {
  const body = parseJsonBody(ctx.req);
  if (!isRecord(body)) return scimError(400, "Invalid request body.");
  const { userName, sentryOrgRole } = body;
  if (typeof userName !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(userName)) {
    return json(400, { userName: ["Enter a valid email address."] });
  }
  let orgRole: OrgRole = ctx.org.authProvider?.defaultRole ?? "member";
  const roleGiven = typeof sentryOrgRole === "string" && sentryOrgRole !== "";
  if (sentryOrgRole !== undefined && sentryOrgRole !== null && sentryOrgRole !== "") {
    const role = String(sentryOrgRole).toLowerCase();
    // Roles with org:admin (owner) cannot be provisioned.
    if (!(role in ORG_ROLES) || ORG_ROLES[role as OrgRole].scopes.includes("org:admin")) {
      return scimError(400, "Invalid organization role.");
    }
    orgRole = role as OrgRole;
  }
  const existing = findMemberByEmail(ctx.org, userName);
  if (existing && !isPending(existing)) return scimError(409, "User already exists in the database.");
  if (existing) return scimError(400, JSON.stringify({ email: [`The user ${userName} has already been invited`] }));
  const member: Member = {
    id: ctx.world.nextId("member"), email: userName, name: userName, userId: null, orgRole,
    flags: { ...NO_FLAGS, "idp:provisioned": true, "idp:role-restricted": roleGiven },
    dateCreated: ctx.now, inviterName: null, inviterUserId: null, teams: new Map(),
  };
  ctx.org.members.set(member.id, member);
  ctx.audit("member.invite", { targetObject: member.id, data: { email: userName, role: orgRole, teams: [] } });
  return json(201, serializeScimUser(member));
}

function patchUser(ctx: RouteContext): EmuAnswer {
  const member = requireScimUser(ctx);
  const ops = patchOperations(parseJsonBody(ctx.req));
  let deactivate = false;
  for (const op of ops) {
    const name = typeof op.op === "string" ? op.op.toLowerCase() : "";
    const value = op.path === "active" ? op.value : isRecord(op.value) && op.path === undefined ? op.value.active : undefined;
    const active = value === true || value === "true" ? true : value === false || value === "false" ? false : undefined;
    if (name !== "replace" || active === undefined) return scimError(400, "Invalid Patch Operation.");
    if (!active) deactivate = true;
  }
  if (deactivate) {
    if (member.flags["partnership:restricted"]) return scimError(403, "This member is managed by an active partnership.");
    removeMemberRecord(ctx, member);
  }
  return noContent();
}

function deleteUser(ctx: RouteContext): EmuAnswer {
  const member = requireScimUser(ctx);
  const owners = [...ctx.org.members.values()].filter((m) => m.orgRole === "owner" && !isPending(m));
  if (member.orgRole === "owner" && owners.length === 1) {
    return json(403, { detail: "You cannot remove the only remaining owner of the organization." });
  }
  removeMemberRecord(ctx, member);
  return noContent();
}

export const scimUserRoutes: RouteSpec[] = [
  { operationId: "listOrganizationScimV2Users", handler: listUsers },
  { operationId: "getOrganizationScimV2User", handler: (ctx) => json(200, serializeScimUser(requireScimUser(ctx))) },
  { operationId: "provisionOrganizationScimV2User", handler: provisionUser },
  { operationId: "updateOrganizationScimV2User", handler: patchUser },
  { operationId: "deleteOrganizationScimV2User", handler: deleteUser },
];
