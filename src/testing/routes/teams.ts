/**
 * Team routes: list/create (organization_teams.py), get/update/delete (team_details.py),
 * team members and team projects. Duplicate slugs are 409 on create (spec says 404; code wins).
 */
import { detail, type EmuAnswer, fail, isRecord, json, NOT_FOUND, noContent, parseJsonBody } from "../http.js";
import { djangoSlugify, findTeam, isPending, type Member, type Team } from "../model.js";
import { createRandom } from "../random.js";
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

/** `serializers.BooleanField`: booleans, 0/1 and the usual words. */
function asBooleanField(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === "string" && /^(true|false|1|0|yes|no|on|off|t|f|y|n)$/i.test(value)) return /^(true|1|yes|on|t|y)$/i.test(value);
  return undefined;
}

/**
 * A slug generated from the name (`Team.save` → `slugify_instance`, src/sentry/db/models/utils.py): Django's slugify
 * cut to 30 characters, dashes stripped; 12 hex digits when nothing is left; a random `-xx` suffix (longer on
 * repeated clashes) when the slug is taken — case-insensitively — or entirely numeric. Never a 409: only a slug the
 * caller sent can clash. The emulator's suffixes are seeded by the team id.
 * test_organization_teams.py test_without_slug, test_generated_slug_not_entirely_numeric.
 */
function generatedSlug(ctx: RouteContext, name: string, teamId: number): string {
  const MAX = 30;
  let base = djangoSlugify(name)
    .slice(0, MAX)
    .replace(/^-+|-+$/g, "")
    .trim();
  if (!base) base = suffixHex(teamId, ctx.now).slice(0, 12);
  const taken = (slug: string) => [...ctx.org.teams.values()].some((t) => t.slug.toLowerCase() === slug.toLowerCase());
  if (!taken(base) && !/^\d+$/.test(base)) return base;
  const chars = "abcdefghijklmnopqrstuvwxyz0123456790";
  const random = createRandom(teamId);
  for (const [attempts, size] of [
    [1, 2],
    [5, 3],
    [20, 5],
    [1, 12],
  ] as const) {
    for (let i = 0; i < attempts; i++) {
      const end = Array.from({ length: size }, () => random.pick(Array.from(chars))).join("");
      const value = `${base.slice(0, MAX - size - 1)}-${end}`;
      if (!taken(value)) return value;
    }
  }
  return base; // Sentry would then hit the unique constraint: answered 409 below.
}

/**
 * POST (organization_teams.py `TeamPostSerializer`): `slug` (max 50, the slug rules), `name` (max 64, may be blank),
 * `idp_provisioned` (a boolean, default false; not in the public schema); "Name or slug is required" when both are
 * empty; the name defaults to the slug and the slug is generated from the name. A sent slug already in use is 409
 * with both `non_field_errors` and `detail`. The creating user, when a member, joins the team with no stored team
 * role (logged as member.join-team before the team.create row).
 * test_organization_teams.py OrganizationTeamsCreateTest.
 */
function createTeam(ctx: RouteContext): EmuAnswer {
  const body = objectBody(ctx);
  const errors = fieldErrors(body, false);
  if (body.slug === "") errors.slug = ["This field may not be blank."];
  const idp = body.idp_provisioned === undefined ? false : asBooleanField(body.idp_provisioned);
  if (idp === undefined) errors.idp_provisioned = ["Must be a valid boolean."];
  if (Object.keys(errors).length) return json(400, errors);
  const name = typeof body.name === "string" && body.name !== "" ? body.name : undefined;
  const sentSlug = typeof body.slug === "string" ? body.slug : undefined;
  if (!name && !sentSlug) return json(400, { non_field_errors: ["Name or slug is required"] });
  const id = ctx.world.nextId("team");
  const slug = sentSlug ?? generatedSlug(ctx, name ?? "", id);
  if (findTeam(ctx.org, slug)?.slug === slug) return TEAM_CONFLICT;
  const team: Team = { id, slug, name: name ?? slug, dateCreated: ctx.now, idpProvisioned: idp === true };
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
 * rows carry the *stored* team role (null when the org role's minimum applies). Ordered by
 * `organizationmember__email, id`: the member's own email column is NULL once a user joined (Postgres sorts NULL
 * last), so pending invites come first by email, then members with accounts in membership order — the emulator
 * keeps no membership ids and uses the member id. test_team_members.py
 * test_team_members_list_does_not_include_invite_requests.
 */
function listTeamMembers(ctx: RouteContext): EmuAnswer {
  const team = requireTeam(ctx);
  const emailColumn = (m: Member) => (isPending(m) ? m.email : null);
  const members = [...ctx.org.members.values()]
    .filter((m) => m.teams.has(team.id))
    .sort((a, b) => {
      const ea = emailColumn(a);
      const eb = emailColumn(b);
      if (ea !== null && eb !== null && ea !== eb) return ea < eb ? -1 : 1;
      if ((ea === null) !== (eb === null)) return ea === null ? 1 : -1;
      return a.id - b.id;
    });
  return offsetAnswer(ctx.req, members, (m) => serializeTeamMember(ctx.world, team, m, ctx.now));
}

function listTeamProjects(ctx: RouteContext): EmuAnswer {
  const team = requireTeam(ctx);
  const projects = [...ctx.org.projects.values()].filter((p) => p.teamIds.includes(team.id)).sort(byKey((p) => p.slug));
  return pagedAnswer(
    ctx.req,
    projects,
    (p) => p.slug,
    false,
    (p) => serializeProjectSummary(ctx.org, p, ctx.member),
  );
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
