/**
 * Project routes: the organization's project list, a project's teams, and linking or unlinking a
 * team (project_team_details.py; audit `project-team.add` / `project-team.remove`).
 */
import { detail, type EmuAnswer, fail, json, NOT_FOUND } from "../http.js";
import { findProject, type Project } from "../model.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeProjectDetail } from "../serialize-project-detail.js";
import { serializeProjectSummary, serializeProjectWithTeams } from "../serialize-project.js";
import { serializeTeam } from "../serialize.js";
import { byKey, pagedAnswer, tokenizeQuery } from "./lists.js";
import { requireTeam } from "./teams.js";

function requireProject(ctx: RouteContext): Project {
  return findProject(ctx.org, ctx.params.project_id_or_slug ?? "") ?? fail(detail(404, NOT_FOUND));
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
  return pagedAnswer(ctx.req, projects, (p) => p.slug, false, (p) => serializeProjectSummary(ctx.org, p, ctx.member));
}

function listProjectTeams(ctx: RouteContext): EmuAnswer {
  const project = requireProject(ctx);
  const teams = project.teamIds.map((id) => ctx.org.teams.get(id)).filter((t) => t !== undefined).sort(byKey((t) => t.slug));
  return pagedAnswer(ctx.req, teams, (t) => t.slug, false, (t) => serializeTeam(ctx, t));
}

function addProjectTeam(ctx: RouteContext): EmuAnswer {
  const project = requireProject(ctx);
  const team = requireTeam(ctx);
  if (!project.teamIds.includes(team.id)) {
    project.teamIds = [...project.teamIds, team.id];
    ctx.audit("project-team.add", { targetObject: project.id, data: { team_slug: team.slug, project_slug: project.slug } });
  }
  return json(201, serializeProjectWithTeams(ctx.org, project, ctx.member));
}

function deleteProjectTeam(ctx: RouteContext): EmuAnswer {
  const project = requireProject(ctx);
  const team = requireTeam(ctx);
  if (project.teamIds.includes(team.id)) {
    project.teamIds = project.teamIds.filter((id) => id !== team.id);
    ctx.audit("project-team.remove", { targetObject: project.id, data: { team_slug: team.slug, project_slug: project.slug } });
  }
  return json(200, serializeProjectWithTeams(ctx.org, project, ctx.member));
}

export const projectRoutes: RouteSpec[] = [
  {
    operationId: "getProject",
    handler: (ctx) => json(200, serializeProjectDetail(ctx.org, requireProject(ctx), ctx.member, ctx.req.url.origin)),
  },
  { operationId: "listOrganizationProjects", handler: listProjects },
  { operationId: "listProjectTeams", handler: listProjectTeams },
  { operationId: "addProjectTeam", handler: addProjectTeam },
  { operationId: "deleteProjectTeam", handler: deleteProjectTeam },
];
