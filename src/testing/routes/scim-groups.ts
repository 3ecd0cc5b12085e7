/**
 * SCIM Groups (src/sentry/core/endpoints/scim/teams.py): a group is a team; provisioned and patched
 * teams are marked idp-provisioned; PATCH adds/removes/replaces members and renames (Okta and Azure forms).
 */
import { detail, type EmuAnswer, fail, isRecord, json, NO_PERMISSION, noContent, parseJsonBody, SCIM_ERROR_SCHEMA, scimError } from "../http.js";
import { djangoSlugify, findTeam, type Member, type Team } from "../model.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { auditTeamChange } from "./member-teams.js";
import { parseScimFilter, patchOperations, scimList, scimQuery } from "./scim.js";
import { createTeamRecord, deleteTeamRecord, TEAM_CONFLICT } from "./teams.js";

const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const MEMBER_CAP = 10_000;

function serializeGroup(ctx: RouteContext, team: Team, withMembers = true): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [GROUP_SCHEMA],
    id: String(team.id),
    displayName: team.name,
    meta: { resourceType: "Group" },
  };
  if (withMembers) {
    body.members = [...ctx.org.members.values()]
      .filter((m) => m.teams.has(team.id))
      .slice(0, MEMBER_CAP)
      .map((m) => ({ value: String(m.id), display: m.email }));
  }
  return body;
}

function requireGroup(ctx: RouteContext): Team {
  return ctx.org.teams.get(Number(ctx.params.team_id_or_slug)) ?? fail(json(404, { schemas: [SCIM_ERROR_SCHEMA], detail: "Group not found." }));
}

const USER_NOT_FOUND: EmuAnswer = { status: 404, body: { schemas: [SCIM_ERROR_SCHEMA], detail: "User not found." } };
const UNSUPPORTED: EmuAnswer = { status: 400, body: { schemas: [SCIM_ERROR_SCHEMA], detail: "Invalid Replace attr. Only displayName and members supported." } };
const TOO_MANY: EmuAnswer = { status: 400, body: { schemas: [SCIM_ERROR_SCHEMA], detail: "Too many patch ops sent, limit is 100." } };

const SLUG_RE = /^(?=.*[a-z_-])[a-z0-9_-]+$/;
const SLUG_ERROR = "Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric.";

/** `SentrySerializerSlugField` checks of a slug derived from a display name (max 50, not all digits). */
function slugErrors(slug: string): string[] {
  if (slug === "") return ["This field may not be blank."];
  if (slug.length > 50) return ["Ensure this field has no more than 50 characters."];
  return SLUG_RE.test(slug) ? [] : [SLUG_ERROR];
}

function listGroups(ctx: RouteContext): EmuAnswer {
  const query = scimQuery(ctx.req);
  const wanted = query.filter ? djangoSlugify(query.filter.value) : undefined;
  const withMembers = !query.excludesMembers;
  const rows = [...ctx.org.teams.values()]
    .filter((t) => wanted === undefined || t.slug.toLowerCase() === wanted)
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return scimList(query, rows, (t) => serializeGroup(ctx, t, withMembers));
}

/**
 * POST (scim/teams.py): slug = Django slugify of `displayName`, validated as a team slug (400, plain
 * DRF errors); a taken slug is 409; the team is created empty and marked IdP-provisioned.
 */
function provisionGroup(ctx: RouteContext): EmuAnswer {
  const body = parseJsonBody(ctx.req);
  const displayName = isRecord(body) ? body.displayName : undefined;
  if (typeof displayName !== "string") return json(400, { name: ["This field is required."] });
  const slug = djangoSlugify(displayName);
  const errors: Record<string, string[]> = {};
  if (slugErrors(slug).length) errors.slug = slugErrors(slug);
  if (displayName.length > 64) errors.name = ["Ensure this field has no more than 64 characters."];
  if (Object.keys(errors).length) return json(400, errors);
  if (findTeam(ctx.org, slug)?.slug === slug) return TEAM_CONFLICT;
  const team = createTeamRecord(ctx, slug, displayName || slug, true);
  return json(201, serializeGroup(ctx, team));
}

function memberById(ctx: RouteContext, raw: unknown): Member {
  const id = isRecord(raw) ? raw.value : raw;
  const found = /^\d+$/.test(String(id)) ? ctx.org.members.get(Number(id)) : undefined;
  return found ?? fail(USER_NOT_FOUND);
}

const INTERNAL_ERROR: EmuAnswer = { status: 500, body: { detail: "Internal Error", errorId: null } };

/**
 * The member id of a remove op: Azure's `value: [{ value }]`, else the filter in `members[value eq "7"]`. Sentry
 * indexes Azure's list without a check, so a value that is not a non-empty list of objects is a 500.
 */
function removeTarget(op: Record<string, unknown>): unknown {
  if (op.value !== undefined) {
    const first: unknown = Array.isArray(op.value) ? op.value[0] : undefined;
    return isRecord(first) && "value" in first ? first : fail(INTERNAL_ERROR);
  }
  const inner = /\[(.*?)\]/.exec(String(op.path));
  if (!inner?.[1]) fail(json(400, { schemas: [SCIM_ERROR_SCHEMA], scimType: "invalidFilter" }));
  return parseScimFilter(inner[1])?.value;
}

function rename(ctx: RouteContext, team: Team, name: unknown): void {
  if (typeof name !== "string") fail(scimError(400, "Invalid Patch Operation."));
  const slug = djangoSlugify(name);
  const errors = slugErrors(slug);
  if (!errors.length && [...ctx.org.teams.values()].some((t) => t.slug === slug && t.id !== team.id)) errors.push(`The slug "${slug}" is already in use.`);
  if (errors.length) fail(json(400, { slug: errors }));
  team.name = name;
  team.slug = slug;
  ctx.audit("team.edit", { targetObject: team.id, data: { slug: team.slug, name: team.name, id: team.id } });
}

/**
 * PATCH (scim/teams.py): `schemas` and `Operations` are required (400 with the serializer errors as
 * JSON text), at most 100 ops; any PATCH marks the team IdP-provisioned. Ops: add/remove/replace of
 * members (Okta and Azure forms) and renames (`replace` without path, Okta; `path: "displayName"`,
 * Azure). Other add/remove paths are ignored. Remove targets are read first (a bad filter: 400, nothing done).
 * Ops run in one transaction: an unknown member (404) or a bad name (400) undoes the whole request, while an
 * unsupported replace path (400) keeps earlier ops.
 */
function patchGroup(ctx: RouteContext): EmuAnswer {
  const team = requireGroup(ctx);
  const ops = patchOperations(parseJsonBody(ctx.req), { ops: ["add", "remove", "replace"], requireSchemas: true });
  if (ops.length > 100) return TOO_MANY;
  // Sentry reads every remove op's target before changing anything (to revoke privileges first): an op without a
  // path is a 500 (`"members" in operation["path"]`), a bad filter a 400, both with nothing changed.
  for (const op of ops) {
    if (String(op.op).toLowerCase() !== "remove") continue;
    if (typeof op.path !== "string") return INTERNAL_ERROR;
    if (op.path.includes("members")) removeTarget(op);
  }
  const saved = {
    name: team.name,
    slug: team.slug,
    idp: team.idpProvisioned,
    auditLength: ctx.org.audit.length,
    teams: [...ctx.org.members.values()].map((m) => [m, new Map(m.teams)] as const),
  };
  const add = (m: Member) => {
    if (!m.teams.has(team.id)) {
      m.teams.set(team.id, null);
      auditTeamChange(ctx, "member.join-team", m, team);
    }
  };
  const remove = (m: Member) => {
    if (m.teams.delete(team.id)) auditTeamChange(ctx, "member.leave-team", m, team);
  };
  try {
    team.idpProvisioned = true;
    for (const op of ops) {
      const name = String(op.op).toLowerCase();
      const path = typeof op.path === "string" ? op.path : undefined;
      if (name === "add" && path === "members") {
        for (const item of Array.isArray(op.value) ? op.value : []) add(memberById(ctx, item));
      } else if (name === "remove" && path?.includes("members")) {
        remove(memberById(ctx, removeTarget(op)));
      } else if (name === "replace" && path === "members") {
        const wanted = (Array.isArray(op.value) ? op.value : []).map((item) => memberById(ctx, item));
        for (const m of [...ctx.org.members.values()]) if (m.teams.has(team.id) && !wanted.includes(m)) remove(m);
        for (const m of wanted) add(m);
      } else if (name === "replace" && path === undefined) {
        rename(ctx, team, isRecord(op.value) ? op.value.displayName : undefined);
      } else if (name === "replace" && path === "displayName") {
        rename(ctx, team, op.value);
      } else if (name === "replace") {
        return UNSUPPORTED;
      }
    }
  } catch (error) {
    team.name = saved.name;
    team.slug = saved.slug;
    team.idpProvisioned = saved.idp;
    for (const [m, teams] of saved.teams) m.teams = teams;
    ctx.org.audit.splice(saved.auditLength);
    throw error;
  }
  return noContent();
}

export const scimGroupRoutes: RouteSpec[] = [
  { operationId: "listOrganizationScimV2Groups", handler: listGroups },
  {
    // teams.py `get` runs the query serializer too: a bad filter or startIndex is refused on a single group.
    operationId: "getOrganizationScimV2Group",
    handler: (ctx) => {
      const team = requireGroup(ctx);
      return json(200, serializeGroup(ctx, team, !scimQuery(ctx.req).excludesMembers));
    },
  },
  { operationId: "provisionOrganizationScimV2Group", handler: provisionGroup },
  { operationId: "updateOrganizationScimV2Group", handler: patchGroup },
  // teams.py defines `put` (to refuse it), so Sentry runs the permission class, whose scope_map has no PUT: 403.
  // tests/sentry/core/endpoints/scim/test_scim_team_details.py test_team_details_put_permission_denied.
  { operationId: "getOrganizationScimV2Group", refusedMethod: "PUT", handler: () => detail(403, NO_PERMISSION) },
  {
    operationId: "deleteOrganizationScimV2Group",
    handler: (ctx) => {
      deleteTeamRecord(ctx, requireGroup(ctx));
      return noContent();
    },
  },
];
