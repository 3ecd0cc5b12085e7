// `sentry-rbac projects ...`: list projects and which teams can access them; grant and revoke a team's access.
import type { Command } from "commander";
import type { Project, ProjectTeam, ProjectWithTeams } from "../../resources/types.js";
import { assertSlug } from "../../resources/validate.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { apiPath, limited, printDryRun, printOne, withContext, withLimit } from "./resource-support.js";

const PROJECT_COLUMNS: readonly Column<Project>[] = [
  { key: "slug", header: "SLUG", value: (p) => p.slug },
  { key: "name", header: "NAME", value: (p) => p.name },
  { key: "platform", header: "PLATFORM", value: (p) => p.platform ?? "" },
];

const PROJECT_TEAM_COLUMNS: readonly Column<ProjectTeam>[] = [
  { key: "slug", header: "SLUG", value: (t) => t.slug },
  { key: "name", header: "NAME", value: (t) => t.name },
  { key: "memberCount", header: "MEMBERS", value: (t) => t.memberCount },
];

const LINKED_COLUMNS: readonly Column<ProjectWithTeams>[] = [
  { key: "slug", header: "PROJECT", value: (p) => p.slug },
  { key: "teams", header: "TEAMS", value: (p) => (p.teams ?? []).map((t) => t.slug).join(" ") },
];

function linkPath(org: string, project: string, team: string): string {
  return apiPath`/api/0/projects/${org}/${assertSlug("project", project)}/teams/${assertSlug("team", team)}/`;
}

/**
 * Registers `projects list|teams|add-team|remove-team`; listed in COMMANDS.
 * @example registerProjectsCommand(program, io); // sentry-rbac projects add-team payment-api payments
 */
export function registerProjectsCommand(program: Command, io: CliIo): void {
  const projects = program.command("projects").description("projects and the teams that can access them");
  projects.addHelpText(
    "after",
    "\nExamples:\n  $ sentry-rbac projects teams payment-api\n  $ sentry-rbac projects remove-team web-frontend identity --dry-run\n",
  );
  withLimit(projects.command("list").description("list the organization's projects"))
    .option("--query <query>", "Sentry's project search, e.g. slug:payment-api")
    .action((flags: { query?: string; limit?: number }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const list = ctx.client().org.projects.list(flags.query === undefined ? {} : { query: flags.query });
        await ctx.print(limited(list, flags.limit), { columns: PROJECT_COLUMNS });
      }),
    );
  withLimit(projects.command("teams <project>").description("list the teams with access to a project")).action(
    (project: string, flags: { limit?: number }, command: Command) =>
      withContext(io, command, async (ctx) => {
        await ctx.print(limited(ctx.client().org.projects.teams(project), flags.limit), { columns: PROJECT_TEAM_COLUMNS });
      }),
  );
  projects
    .command("add-team <project> <team>")
    .description("give a team access to a project")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((project: string, team: string, flags: { dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "POST", path: linkPath(ctx.requireOrg(), project, team) }]);
        await printOne(ctx, await ctx.client().org.projects.addTeam(project, team), LINKED_COLUMNS);
      }),
    );
  addDestructiveOptions(projects.command("remove-team <project> <team>").description("revoke a team's access to a project"))
    .option("--if-present", "succeed when the team has no access already (an unknown team is still an error)")
    .action((project: string, team: string, flags: DestructiveFlags & { ifPresent?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const path = linkPath(ctx.requireOrg(), project, team);
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "DELETE", path }]);
        const sentry = ctx.client();
        // Sentry answers 200 to revoking a link that is not there, and 404 alike for a misspelt team: read first, so
        // "Revoked" means something was revoked and a typo is reported as not found.
        const linked = await sentry.org.projects.teams(project).toArray();
        if (!linked.some((t) => t.slug === team)) {
          await sentry.org.teams.get(team);
          ctx.note(`already absent: ${team} has no access to ${project}; nothing changed.`);
          return;
        }
        await confirmDestructive(io, { message: `Revoke team ${team}'s access to ${project}?`, ...flags });
        const result = await sentry.org.projects.removeTeam(project, team, { ifPresent: flags.ifPresent === true });
        if (result.result !== undefined) await printOne(ctx, result.result, LINKED_COLUMNS);
        ctx.note(result.removed ? `Revoked ${team}'s access to ${project}.` : `already absent: ${team} has no access to ${project}; nothing changed.`);
      }),
    );
}
