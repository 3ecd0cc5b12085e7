/**
 * Team routes: list/create (organization_teams.py), get/update/delete (team_details.py),
 * team members and team projects. Duplicate slugs are 409 on create (spec says 404; code wins).
 */
import { detail, type EmuAnswer, fail, isRecord, json, NOT_FOUND, noContent, parseJsonBody } from "../http.js";
import { findTeam, slugify, type Team } from "../model.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeProjectSummary, serializeProjectWithStatus } from "../serialize-project.js";
import { serializeTeam, serializeTeamMember } from "../serialize.js";
import { byKey, offsetAnswer, pagedAnswer, tokenizeQuery } from "./lists.js";

const SLUG_RE = /^(?=.*[a-z_-])[a-z0-9_-]+$/;
const SLUG_ERROR = "Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric.";

export const TEAM_CONFLICT: EmuAnswer = {
  status: 409,
  body: { non_field_errors: ["A team with this slug already exists."], detail: "A team with this slug already exists." },
};

export function requireTeam(ctx: RouteContext, param = "team_id_or_slug"): Team {
  const team = findTeam(ctx.org, ctx.params[param] ?? "");
  return team ?? fail(detail(404, NOT_FOUND));
}

function idpManaged(): EmuAnswer {
  return detail(403, "This team is managed through your organization's identity provider.");
}

/** Validates `slug`/`name` fields; returns the DRF field errors (empty when valid). */
function fieldErrors(body: Record<string, unknown>, requireSlug: boolean): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const { slug, name } = body;
  if (slug !== undefined && slug !== null) {
    if (typeof slug !== "string") errors.slug = ["Not a valid string."];
    else if (slug.length > 50) errors.slug = ["Ensure this field has no more than 50 characters."];
    else if (!SLUG_RE.test(slug)) errors.slug = [SLUG_ERROR];
  } else if (requireSlug && slug === null) errors.slug = ["This field may not be null."];
  if (name !== undefined && name !== null) {
    if (typeof name !== "string") errors.name = ["Not a valid string."];
    else if (name.length > 64) errors.name = ["Ensure this field has no more than 64 characters."];
  }
  return errors;
}

function objectBody(ctx: RouteContext): Record<string, unknown> {
  const body = parseJsonBody(ctx.req);
  return isRecord(body) ? body : fail(json(400, { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }));
}

function listTeams(ctx: RouteContext): EmuAnswer {
  const tokens = tokenizeQuery(ctx.req.url.searchParams.get("query") ?? "");
  let teams = [...ctx.org.teams.values()];
  for (const [key, values] of tokens) {
    if (key === "id") {
      if (values.some((v) => !/^\d+$/.test(v))) return detail(400, "Invalid id value");
      teams = teams.filter((t) => values.includes(String(t.id)));
    } else if (key === "slug") teams = teams.filter((t) => values.includes(t.slug));
    else if (key === "query") {
      const text = values.join(" ").toLowerCase();
      teams = teams.filter((t) => t.slug.includes(text) || t.name.toLowerCase().includes(text));
    } else if (key === "hasExternalTeams") teams = values.includes("true") ? [] : teams;
    else teams = []; // organization_teams.py: an unknown key matches nothing.
  }
  teams.sort(byKey((t) => t.slug));
  const detailed = ctx.req.url.searchParams.get("detailed") !== "0";
  // OffsetPaginator ordered by slug (organization_teams.py).
  return offsetAnswer(ctx.req, teams, (team) => {
    const body = serializeTeam(ctx, team);
    if (!detailed) return body;
    const projects = [...ctx.org.projects.values()].filter((p) => p.teamIds.includes(team.id)).sort(byKey((p) => p.slug));
    return { ...body, externalTeams: [], projects: projects.map((p) => serializeProjectWithStatus(p, ctx.member)) };
  });
}

function createTeam(ctx: RouteContext): EmuAnswer {
  const body = objectBody(ctx);
  const errors = fieldErrors(body, false);
  if (Object.keys(errors).length) return json(400, errors);
  const name = typeof body.name === "string" ? body.name : undefined;
  const slug = typeof body.slug === "string" && body.slug !== "" ? body.slug : name ? slugify(name) : "";
  if (!slug) return json(400, { non_field_errors: ["Name or slug is required"] });
  if (findTeam(ctx.org, slug)?.slug === slug) return TEAM_CONFLICT;
  // organization_teams.py: a creating user who is a member joins with no stored team role (their org
  // role's minimum applies, so a member-role creator is a contributor), logged as member.join-team
  // before the team.create row.
  const team: Team = { id: ctx.world.nextId("team"), slug, name: name ?? slug, dateCreated: ctx.now, idpProvisioned: false };
  ctx.org.teams.set(team.id, team);
  if (ctx.member) {
    ctx.member.teams.set(team.id, null);
    ctx.audit("member.join-team", { targetObject: ctx.member.id, targetUserId: ctx.member.userId, data: { email: ctx.member.email, team_slug: team.slug } });
  }
  auditTeamCreate(ctx, team);
  return json(201, serializeTeam(ctx, team));
}

export function createTeamRecord(ctx: RouteContext, slug: string, name: string, idpProvisioned: boolean): Team {
  const team: Team = { id: ctx.world.nextId("team"), slug, name, dateCreated: ctx.now, idpProvisioned };
  ctx.org.teams.set(team.id, team);
  auditTeamCreate(ctx, team);
  return team;
}

function auditTeamCreate(ctx: RouteContext, team: Team): void {
  ctx.audit("team.create", { targetObject: team.id, data: { slug: team.slug, name: team.name, id: team.id } });
}

function updateTeam(ctx: RouteContext): EmuAnswer {
  const team = requireTeam(ctx);
  if (team.idpProvisioned) return idpManaged();
  const body = objectBody(ctx);
  const errors = fieldErrors(body, true);
  if (Object.keys(errors).length) return json(400, errors);
  if (typeof body.slug === "string" && body.slug !== team.slug) {
    const clash = [...ctx.org.teams.values()].some((t) => t.slug === body.slug);
    if (clash) return json(400, { slug: [`The slug "${body.slug}" is already in use.`] });
    team.slug = body.slug;
  }
  if (typeof body.name === "string") team.name = body.name;
  ctx.audit("team.edit", { targetObject: team.id, data: { slug: team.slug, name: team.name, id: team.id } });
  return json(200, serializeTeam(ctx, team));
}

/**
 * team_details.py `delete` (also SCIM's): the team is renamed `{slug}-{32 hex}` (cut to 50) to release its slug and
 * scheduled for deletion; the audit row is written after the rename, so it names the released slug.
 * The emulator removes the team at once; the suffix is derived from the team id and time, not random.
 */
export function deleteTeamRecord(ctx: RouteContext, team: Team): void {
  ctx.org.teams.delete(team.id);
  for (const member of ctx.org.members.values()) member.teams.delete(team.id);
  for (const project of ctx.org.projects.values()) project.teamIds = project.teamIds.filter((id) => id !== team.id);
  const released = `${team.slug}-${suffixHex(team.id, ctx.now)}`.slice(0, 50);
  ctx.audit("team.remove", { targetObject: team.id, data: { slug: released, name: team.name, id: team.id } });
}

/** 32 hex digits standing in for `uuid4().hex`, the same for the same team and instant. */
function suffixHex(id: number, now: number): string {
  let h = (id * 2_654_435_761 + now) >>> 0;
  let out = "";
  while (out.length < 32) {
    h = Math.imul(h ^ (h >>> 15), 2_246_822_519) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 32);
}

function deleteTeam(ctx: RouteContext): EmuAnswer {
  const team = requireTeam(ctx);
  if (team.idpProvisioned) return idpManaged();
  deleteTeamRecord(ctx, team);
  return noContent();
}

/**
 * team_members.py: despite its docstring, the query keeps approved pending invites (`user_id` null), and
 * rows carry the *stored* team role (null when the org role's minimum applies); ordered by email.
 */
function listTeamMembers(ctx: RouteContext): EmuAnswer {
  const team = requireTeam(ctx);
  const members = [...ctx.org.members.values()].filter((m) => m.teams.has(team.id))
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.id - b.id));
  return offsetAnswer(ctx.req, members, (m) => serializeTeamMember(ctx.world, team, m, ctx.now));
}

function listTeamProjects(ctx: RouteContext): EmuAnswer {
  const team = requireTeam(ctx);
  const projects = [...ctx.org.projects.values()].filter((p) => p.teamIds.includes(team.id)).sort(byKey((p) => p.slug));
  return pagedAnswer(ctx.req, projects, (p) => p.slug, false, (p) => serializeProjectSummary(ctx.org, p, ctx.member));
}

export const teamRoutes: RouteSpec[] = [
  { operationId: "listOrganizationTeams", handler: listTeams },
  { operationId: "createOrganizationTeam", handler: createTeam },
  // TeamPermission (src/sentry/api/bases/team.py) guards every /teams/{org}/{team}/ route.
  { operationId: "getTeam", handler: (ctx) => json(200, serializeTeam(ctx, requireTeam(ctx))), object: "team" },
  { operationId: "updateTeam", handler: updateTeam, object: "team" },
  { operationId: "deleteTeam", handler: deleteTeam, object: "team" },
  { operationId: "listTeamMembers", handler: listTeamMembers, object: "team" },
  { operationId: "listTeamProjects", handler: listTeamProjects, object: "team" },
];
