/**
 * `sentry.org.teams`: list, read, create, rename, delete and converge (`ensure`) teams, and list a team's members
 * and projects. A duplicate slug on create is 409 (the spec says 404; facts §10).
 */
import { isConflictError, ValidationError } from "../http/errors/index.js";
import { typedApi } from "../http/send/index.js";
import type { Paginator } from "../http/pages/index.js";
import { type ClientContext, linkPaginator, type ListOptions, orgPath } from "./context.js";
import type { EnsureTeamResult, OrganizationTeam, Team, TeamInput, TeamListOptions, TeamMember, TeamPatch, TeamProject } from "./types.js";
import { assertName, assertSlug, assertText } from "./validate.js";

/** The `sentry.org.teams` namespace. */
export interface TeamsResource {
  /**
   * Every team of the organization, slug order.
   * @example for await (const team of sentry.org.teams.list({ query: "pay" })) console.log(team.slug, team.memberCount);
   * @throws {ValidationError} for a bad `perPage` or `query` (before any request).
   */
  list(options?: TeamListOptions & ListOptions): Paginator<OrganizationTeam>;
  /**
   * One team by slug.
   * @example const team = await sentry.org.teams.get("payments");
   * @throws {NotFoundError} when there is no such team.
   */
  get(slug: string): Promise<Team>;
  /**
   * Creates a team; the calling user joins it.
   * @example const team = await sentry.org.teams.create({ slug: "payments", name: "Payments" });
   * @throws {ConflictError} when the slug is taken (use `ensure` to converge instead).
   * @throws {ValidationError} for a bad slug or name (before any request).
   */
  create(input: TeamInput): Promise<Team>;
  /**
   * Renames a team (new slug and/or name).
   * @example await sentry.org.teams.update("payments", { name: "Payments & Billing" });
   * @throws {ValidationError} for bad input, or 400 when the new slug is in use.
   */
  update(slug: string, patch: TeamPatch): Promise<Team>;
  /**
   * Schedules a team for deletion; Sentry frees the slug at once and deletes asynchronously.
   * @example await sentry.org.teams.delete("legacy-reports");
   * @throws {NotFoundError} when there is no such team; PermissionError for IdP-provisioned teams.
   */
  delete(slug: string): Promise<void>;
  /**
   * Creates the team unless its slug exists; an existing team is returned unchanged.
   * @example const { team, created } = await sentry.org.teams.ensure({ slug: "contractors-q1", name: "Q1 Contractors" });
   * @throws {ValidationError} for a bad slug or name (before any request).
   */
  ensure(input: TeamInput): Promise<EnsureTeamResult>;
  /**
   * The team's members (pending invites are not listed).
   * @example const emails = await sentry.org.teams.members("payments").map((m) => m.email).toArray();
   * @throws {NotFoundError} when there is no such team (when the first page is fetched).
   */
  members(slug: string, options?: ListOptions): Paginator<TeamMember>;
  /**
   * The team's projects.
   * @example for await (const project of sentry.org.teams.projects("payments")) console.log(project.slug);
   * @throws {NotFoundError} when there is no such team (when the first page is fetched).
   */
  projects(slug: string, options?: ListOptions): Paginator<TeamProject>;
}

const TEAMS = "/api/0/organizations/{organization_id_or_slug}/teams/";
const TEAM = "/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/";

function checkInput(input: TeamInput): { slug: string; name: string } {
  const slug = assertSlug("slug", input.slug);
  const name = input.name === undefined ? slug : assertName("name", input.name);
  return { slug, name };
}

/**
 * Builds `sentry.org.teams` for a client context.
 * @example const teams = createTeamsResource(ctx); await teams.get("payments");
 */
export function createTeamsResource(ctx: ClientContext): TeamsResource {
  const api = typedApi(ctx.transport);
  const teamPath = (slug: string) => ({ ...orgPath(ctx), team_id_or_slug: assertSlug("slug", slug) });

  const get = async (slug: string): Promise<Team> => {
    const { data } = await api.GET(TEAM, { params: { path: teamPath(slug) } });
    return data as Team;
  };
  const create = async (input: TeamInput): Promise<Team> => {
    const body = checkInput(input);
    const { data } = await api.POST(TEAMS, { params: { path: orgPath(ctx) }, body });
    return data as Team;
  };

  return {
    list(options = {}) {
      const query = options.query === undefined ? undefined : assertText("query", options.query);
      const path = orgPath(ctx);
      return linkPaginator(ctx, options, (page, signal) => {
        const extra = { ...page, ...(query === undefined ? {} : { query }), ...(options.detailed === false ? { detailed: "0" } : {}) };
        return api.GET(TEAMS, { params: { path, query: extra }, signal });
      });
    },
    get,
    create,
    async update(slug, patch) {
      const path = teamPath(slug);
      if (patch.slug === undefined && patch.name === undefined) {
        throw ValidationError.forInput("patch", "give a new slug and/or name");
      }
      // The spec requires `slug` in the body; resending the current one leaves it unchanged.
      const body = {
        slug: patch.slug === undefined ? path.team_id_or_slug : assertSlug("patch.slug", patch.slug),
        ...(patch.name === undefined ? {} : { name: assertName("patch.name", patch.name) }),
      };
      const { data } = await api.PUT(TEAM, { params: { path }, body });
      return data as Team;
    },
    async delete(slug) {
      await api.DELETE(TEAM, { params: { path: teamPath(slug) } });
    },
    async ensure(input) {
      const { slug } = checkInput(input);
      try {
        return { team: await create(input), created: true };
      } catch (error) {
        if (!isConflictError(error) || error.status !== 409) throw error;
        return { team: await get(slug), created: false };
      }
    },
    members(slug, options = {}) {
      const path = teamPath(slug);
      return linkPaginator(ctx, options, (query, signal) =>
        api.GET("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/members/", { params: { path, query }, signal }),
      );
    },
    projects(slug, options = {}) {
      const path = teamPath(slug);
      return linkPaginator(ctx, options, (query, signal) =>
        api.GET("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/projects/", { params: { path, query }, signal }),
      );
    },
  };
}
