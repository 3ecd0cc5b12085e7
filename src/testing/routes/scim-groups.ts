/**
 * SCIM Groups (scim/teams.py): a group is a team; provisioned teams are marked idp-provisioned;
 * PATCH adds/removes/replaces members and renames (Okta and Azure forms).
 */
import { type EmuAnswer, fail, isRecord, json, noContent, parseJsonBody, scimError } from "../http.js";
import { findTeam, type Member, slugify, type Team } from "../model.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { auditTeamChange } from "./member-teams.js";
import { parseScimFilter, patchOperations, scimList } from "./scim.js";
import { createTeamRecord, deleteTeamRecord, TEAM_CONFLICT } from "./teams.js";

const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const MEMBER_CAP = 10_000;

function serializeGroup(ctx: RouteContext, team: Team, withMembers = true): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [GROUP_SCHEMA], id: String(team.id), displayName: team.name, meta: { resourceType: "Group" },
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
  return ctx.org.teams.get(Number(ctx.params.team_id_or_slug)) ?? fail(scimError(404, "Group not found."));
}

function listGroups(ctx: RouteContext): EmuAnswer {
  const filter = parseScimFilter(ctx.req.url.searchParams.get("filter"), ["displayName", "value"]);
  const wanted = filter ? slugify(filter.value) : undefined;
  const excludeMembers = (ctx.req.url.searchParams.get("excludedAttributes") ?? "").split(",").includes("members");
  const rows = [...ctx.org.teams.values()]
    .filter((t) => wanted === undefined || t.slug === wanted)
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return scimList(ctx.req, rows, (t) => serializeGroup(ctx, t, !excludeMembers));
}

function provisionGroup(ctx: RouteContext): EmuAnswer {
  const body = parseJsonBody(ctx.req);
  const displayName = isRecord(body) ? body.displayName : undefined;
  if (typeof displayName !== "string" || displayName.trim() === "") return json(400, { displayName: ["This field is required."] });
  const slug = slugify(displayName);
  if (!slug) return json(400, { displayName: ["Enter a valid slug."] });
  if (findTeam(ctx.org, slug)?.slug === slug) return TEAM_CONFLICT;
  const team = createTeamRecord(ctx, slug, displayName, true);
  return json(201, serializeGroup(ctx, team));
}

function memberIdsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (isRecord(v) ? String(v.value ?? "") : String(v)));
}

function patchGroup(ctx: RouteContext): EmuAnswer {
  const team = requireGroup(ctx);
  const ops = patchOperations(parseJsonBody(ctx.req));
  const resolve = (id: string): Member => ctx.org.members.get(Number(id)) ?? fail(scimError(404, "User not found."));
  const add = (m: Member) => { if (!m.teams.has(team.id)) { m.teams.set(team.id, null); auditTeamChange(ctx, "member.join-team", m, team); } };
  const remove = (m: Member) => { if (m.teams.delete(team.id)) auditTeamChange(ctx, "member.leave-team", m, team); };
  for (const op of ops) {
    const name = typeof op.op === "string" ? op.op.toLowerCase() : "";
    const path = typeof op.path === "string" ? op.path : undefined;
    if (name === "add" && path === "members") {
      for (const id of memberIdsOf(op.value)) add(resolve(id));
    } else if (name === "remove" && path !== undefined && path.startsWith("members")) {
      const inline = /^members\[value eq "(\d+)"\]$/.exec(path);
      const ids = inline?.[1] ? [inline[1]] : path === "members" ? memberIdsOf(op.value) : null;
      if (!ids) return scimError(400, "Invalid Patch Operation.");
      for (const id of ids) remove(resolve(id));
    } else if (name === "replace" && path === "members") {
      const wanted = memberIdsOf(op.value).map(resolve);
      for (const m of [...ctx.org.members.values()]) if (m.teams.has(team.id) && !wanted.includes(m)) remove(m);
      for (const m of wanted) add(m);
    } else if (name === "replace" && (path === "displayName" || (path === undefined && isRecord(op.value)))) {
      const newName = path === "displayName" ? op.value : isRecord(op.value) ? op.value.displayName : undefined;
      if (typeof newName !== "string" || !slugify(newName)) return scimError(400, "Invalid Patch Operation.");
      const slug = slugify(newName);
      if (slug !== team.slug && [...ctx.org.teams.values()].some((t) => t.slug === slug)) return TEAM_CONFLICT;
      team.name = newName;
      team.slug = slug;
      ctx.audit("team.edit", { targetObject: team.id, data: { slug: team.slug, name: team.name, id: team.id } });
    } else if (name === "replace") {
      return scimError(400, "Invalid Replace attr. Only displayName and members supported.");
    } else {
      return scimError(400, "Invalid Patch Operation.");
    }
  }
  return noContent();
}

export const scimGroupRoutes: RouteSpec[] = [
  { operationId: "listOrganizationScimV2Groups", handler: listGroups },
  { operationId: "getOrganizationScimV2Group", handler: (ctx) => json(200, serializeGroup(ctx, requireGroup(ctx))) },
  { operationId: "provisionOrganizationScimV2Group", handler: provisionGroup },
  { operationId: "updateOrganizationScimV2Group", handler: patchGroup },
  {
    operationId: "deleteOrganizationScimV2Group",
    handler: (ctx) => { deleteTeamRecord(ctx, requireGroup(ctx)); return noContent(); },
  },
];
