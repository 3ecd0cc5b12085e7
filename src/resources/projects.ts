/**
 * `sentry.org.projects`: list projects, list a project's teams, and grant or revoke a team's access to a project.
 * Sentry answers 201 whether or not the team already had access, so `addTeam` is idempotent as it stands.
 */
import type { Paginator } from "../http/pages/index.js";
import { typedApi } from "../http/send/index.js";
import { removeIfPresent, type ClientContext, linkPaginator, type ListOptions, orgPath } from "./context.js";
import type { Project, ProjectListOptions, ProjectTeam, ProjectWithTeams, RemoveOptions, RemoveResult } from "./types.js";
import { assertSlug, assertText } from "./validate.js";

/** The `sentry.org.projects` namespace. */
export interface ProjectsResource {
  /**
   * The organization's projects, slug order.
   * @example const slugs = await sentry.org.projects.list().map((p) => p.slug).toArray();
   * @throws {ValidationError} for a bad `perPage` or `query` (before any request).
   */
  list(options?: ProjectListOptions & ListOptions): Paginator<Project>;
  /**
   * The teams that have access to a project.
   * @example for await (const team of sentry.org.projects.teams("payment-api")) console.log(team.slug);
   * @throws {NotFoundError} when there is no such project (when the first page is fetched).
   */
  teams(project: string, options?: ListOptions): Paginator<ProjectTeam>;
  /**
   * Gives a team access to a project; a team that already has access is success.
   * @example const project = await sentry.org.projects.addTeam("payment-api", "payments");
   * @throws {NotFoundError} when the project or team does not exist.
   */
  addTeam(project: string, team: string): Promise<ProjectWithTeams>;
  /**
   * Revokes a team's access to a project. With `{ ifPresent: true }` a 404 (project or team gone) is success.
   * @example await sentry.org.projects.removeTeam("payment-api", "contractors-q1", { ifPresent: true });
   * @throws {NotFoundError} when the project or team does not exist and `ifPresent` is not set.
   */
  removeTeam(project: string, team: string, options?: RemoveOptions): Promise<RemoveResult<ProjectWithTeams>>;
}

const PROJECT_TEAM = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/teams/{team_id_or_slug}/";

/**
 * Builds `sentry.org.projects` for a client context.
 * @example const projects = createProjectsResource(ctx); await projects.addTeam("payment-api", "payments");
 */
export function createProjectsResource(ctx: ClientContext): ProjectsResource {
  const api = typedApi(ctx.transport);
  const projectPath = (project: string) => ({ ...orgPath(ctx), project_id_or_slug: assertSlug("project", project) });
  const linkPath = (project: string, team: string) => ({ ...projectPath(project), team_id_or_slug: assertSlug("team", team) });

  return {
    list(options = {}) {
      const query = options.query === undefined ? undefined : assertText("query", options.query);
      const path = orgPath(ctx);
      return linkPaginator(ctx, options, (page, signal) =>
        api.GET("/api/0/organizations/{organization_id_or_slug}/projects/", {
          params: { path, query: query === undefined ? page : { ...page, query } },
          signal,
        }),
      );
    },
    teams(project, options = {}) {
      const path = projectPath(project);
      return linkPaginator(ctx, options, (query, signal) =>
        api.GET("/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/teams/", { params: { path, query }, signal }),
      );
    },
    async addTeam(project, team) {
      const { data } = await api.POST(PROJECT_TEAM, { params: { path: linkPath(project, team) } });
      return data as ProjectWithTeams;
    },
    async removeTeam(project, team, options = {}) {
      const path = linkPath(project, team);
      return removeIfPresent<ProjectWithTeams>(options, () => api.DELETE(PROJECT_TEAM, { params: { path } }));
    },
  };
}
