/**
 * Project routes: the organization's project list, a project's teams, and linking or unlinking a
 * team (project_team_details.py; audit `project-team.add` / `project-team.remove`).
 */
import { hasTeamScope } from "../access.js";
import { detail, type EmuAnswer, fail, json, NO_PERMISSION, NOT_FOUND } from "../http.js";
import { findProject, findTeam, type Project, type Team } from "../model.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeProjectDetail } from "../serialize-project-detail.js";
import { serializeProjectSummary, serializeProjectWithTeams } from "../serialize-project.js";
import { serializeTeam } from "../serialize.js";
import { byKey, pagedAnswer, tokenizeQuery } from "./lists.js";

function requireProject(ctx: RouteContext): Project {
  return findProject(ctx.org, ctx.params.project_id_or_slug ?? "") ?? fail(detail(404, NOT_FOUND));
}

/** project_team_details.py `convert_args`: an unknown team is 404 "Team does not exist.". */
function requireLinkTeam(ctx: RouteContext): Team {
  return findTeam(ctx.org, ctx.params.team_id_or_slug ?? "") ?? fail(detail(404, "Team does not exist."));
}

function listProjects(ctx: RouteContext): EmuAnswer {
  let projects = [...ctx.org.projects.values()];
  for (const [key, values] of tokenizeQuery(ctx.req.url.searchParams.get("query") ?? "")) {
    if (key === "id") projects = projects.filter((p) => values.includes(String(p.id)));
    else if (key === "slug") projects = projects.filter((p) => values.includes(p.slug));
    else if (key === "query") {
      const text = values.join(" ").toLowerCase();
      projects = projects.filter((p) => p.slug.includes(text) || p.name.toLowerCase().includes(text));
    }
  }
  projects.sort(byKey((p) => p.slug));
  return pagedAnswer(
    ctx.req,
    projects,
    (p) => p.slug,
    false,
    (p) => serializeProjectSummary(ctx.org, p, ctx.member),
  );
}

function listProjectTeams(ctx: RouteContext): EmuAnswer {
  const project = requireProject(ctx);
  const teams = project.teamIds
    .map((id) => ctx.org.teams.get(id))
    .filter((t) => t !== undefined)
    .sort(byKey((t) => t.slug));
  return pagedAnswer(
    ctx.req,
    teams,
    (t) => t.slug,
    false,
    (t) => serializeTeam(ctx, t),
  );
}

function addProjectTeam(ctx: RouteContext): EmuAnswer {
  const project = requireProject(ctx);
  const team = requireLinkTeam(ctx);
  // A user with project:write may give any team access (no check on the team being added). The audit
  // row is written even when the link already existed (project_team_details.py).
  if (!project.teamIds.includes(team.id)) project.teamIds = [...project.teamIds, team.id];
  ctx.audit("project-team.add", { targetObject: project.id, data: { team_slug: team.slug, project_slug: project.slug } });
  return json(201, serializeProjectWithTeams(ctx.org, project, ctx.member));
}

function deleteProjectTeam(ctx: RouteContext): EmuAnswer {
  const project = requireProject(ctx);
  const team = requireLinkTeam(ctx);
  // project_team_details.py: removing a team needs project:write on that very team (a Team Admin may
  // unlink only teams they administer); the 403 body carries `detail` as a list.
  if (!hasTeamScope(ctx, team, "project:write")) return json(403, { detail: [NO_PERMISSION] });
  project.teamIds = project.teamIds.filter((id) => id !== team.id);
  ctx.audit("project-team.remove", { targetObject: project.id, data: { team_slug: team.slug, project_slug: project.slug } });
  return json(200, serializeProjectWithTeams(ctx.org, project, ctx.member));
}

export const projectRoutes: RouteSpec[] = [
  {
    operationId: "getProject",
    handler: (ctx) => json(200, serializeProjectDetail(ctx.org, requireProject(ctx), ctx.member, ctx.req.url.origin)),
    object: "project",
  },
  { operationId: "listOrganizationProjects", handler: listProjects },
  // ProjectPermission (src/sentry/api/bases/project.py); project_team_details.py narrows POST/DELETE to project:write|admin.
  { operationId: "listProjectTeams", handler: listProjectTeams, object: "project" },
  { operationId: "addProjectTeam", handler: addProjectTeam, object: "project" },
  { operationId: "deleteProjectTeam", handler: deleteProjectTeam, object: "project" },
];
