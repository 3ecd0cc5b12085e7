/**
 * Parsing of the `teamRoles` / deprecated `teams` fields of member bodies into team records.
 */
import { fail, json } from "../http.js";
import { findTeam, type Team } from "../model.js";
import { isTeamRole } from "../roles.js";
import type { RouteContext } from "../router.js";
import type { TeamRole } from "../types.js";

export interface TeamRoleInput {
  team: Team;
  role: TeamRole | null;
}

/** `[{ teamSlug, role }]` (or `teams: [slug]`) → teams; unknown slugs are 400 "Invalid teams". */
export function parseTeamRoles(ctx: RouteContext, body: Record<string, unknown>): TeamRoleInput[] {
  const out: TeamRoleInput[] = [];
  if (body.teamRoles !== undefined && body.teamRoles !== null) {
    if (!Array.isArray(body.teamRoles)) return fail(json(400, { teamRoles: ['Expected a list of items but got type "' + typeof body.teamRoles + '".'] }));
    for (const entry of body.teamRoles as unknown[]) {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail(json(400, { teamRoles: ["Invalid teams"] }));
      const { teamSlug, role } = entry as Record<string, unknown>;
      const team = typeof teamSlug === "string" ? findTeam(ctx.org, teamSlug) : undefined;
      if (!team || team.slug !== teamSlug) return fail(json(400, { teamRoles: ["Invalid teams"] }));
      if (role !== undefined && role !== null && !isTeamRole(role)) return fail(json(400, { teamRoles: ["Invalid team-role"] }));
      out.push({ team, role: role ?? null });
    }
  } else if (body.teams !== undefined && body.teams !== null) {
    if (!Array.isArray(body.teams)) return fail(json(400, { teams: ["Invalid teams"] }));
    for (const slug of body.teams as unknown[]) {
      const team = typeof slug === "string" ? findTeam(ctx.org, slug) : undefined;
      if (!team || team.slug !== slug) return fail(json(400, { teams: ["Invalid teams"] }));
      out.push({ team, role: null });
    }
  }
  return out;
}
