// `sentry-rbac teams ...`: list, read, create, rename, delete and converge teams; list a team's members and projects.
import type { Command } from "commander";
import type { OrganizationTeam, Team, TeamMember, TeamProject } from "../../resources/types.js";
import { assertName, assertSlug } from "../../resources/validate.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { apiPath, limited, printDryRun, printOne, withContext, withLimit } from "./resource-support.js";

type AnyTeam = Team | OrganizationTeam;

// One team as get/create/update/ensure answer it: Sentry sends no projects there, so no PROJECTS column.
const ONE_TEAM_COLUMNS: readonly Column<AnyTeam>[] = [
  { key: "slug", header: "SLUG", value: (t) => t.slug },
  { key: "name", header: "NAME", value: (t) => t.name },
  { key: "memberCount", header: "MEMBERS", value: (t) => t.memberCount },
];

/** Columns of the team list, which carries each team's projects. */
export const TEAM_COLUMNS: readonly Column<AnyTeam>[] = [
  ...ONE_TEAM_COLUMNS,
  { key: "projects", header: "PROJECTS", value: (t) => ("projects" in t && Array.isArray(t.projects) ? t.projects.map((p) => p.slug).join(" ") : "") },
];

const TEAM_MEMBER_COLUMNS: readonly Column<TeamMember>[] = [
  { key: "id", header: "ID", value: (m) => m.id },
  { key: "email", header: "EMAIL", value: (m) => m.email },
  { key: "name", header: "NAME", value: (m) => m.name },
  { key: "orgRole", header: "ORG ROLE", value: (m) => m.orgRole ?? m.role },
  { key: "teamRole", header: "TEAM ROLE", value: (m) => ("teamRole" in m ? (m.teamRole ?? "") : "") },
  { key: "pending", header: "PENDING", value: (m) => m.pending },
];

const TEAM_PROJECT_COLUMNS: readonly Column<TeamProject>[] = [
  { key: "slug", header: "SLUG", value: (p) => p.slug },
  { key: "name", header: "NAME", value: (p) => p.name },
  { key: "platform", header: "PLATFORM", value: (p) => p.platform ?? "" },
];

interface ListFlags {
  query?: string;
  limit?: number;
}

interface NameFlags {
  name?: string;
  dryRun?: boolean;
}

interface UpdateFlags extends NameFlags {
  newSlug?: string;
}

function register(teams: Command, io: CliIo): void {
  withLimit(teams.command("list").description("list the organization's teams with their projects"))
    .option("--query <query>", "Sentry's team search, e.g. slug:payments")
    .action((flags: ListFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const list = ctx.client().org.teams.list(flags.query === undefined ? {} : { query: flags.query });
        await ctx.print(limited(list, flags.limit), { columns: TEAM_COLUMNS });
      }),
    );
  teams
    .command("get <slug>")
    .description("show one team")
    .action((slug: string, _flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        await printOne<AnyTeam>(ctx, await ctx.client().org.teams.get(slug), ONE_TEAM_COLUMNS);
      }),
    );
  teams
    .command("create <slug>")
    .description("create a team (the name defaults to the slug)")
    .option("--name <name>", "display name")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((slug: string, flags: NameFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const input = { slug, ...(flags.name === undefined ? {} : { name: flags.name }) };
        if (flags.dryRun === true) {
          const body = { slug: assertSlug("slug", slug), name: flags.name === undefined ? slug : assertName("name", flags.name) };
          printDryRun(ctx, [{ method: "POST", path: apiPath`/api/0/organizations/${ctx.requireOrg()}/teams/`, body }]);
          return;
        }
        await printOne<AnyTeam>(ctx, await ctx.client().org.teams.create(input), ONE_TEAM_COLUMNS);
      }),
    );
  teams
    .command("update <slug>")
    .description("rename a team and/or change its slug")
    .option("--name <name>", "new display name")
    .option("--new-slug <slug>", "new slug")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((slug: string, flags: UpdateFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.name === undefined && flags.newSlug === undefined) throw new UsageError("nothing to update", "Pass --name and/or --new-slug.");
        const patch = { ...(flags.newSlug === undefined ? {} : { slug: flags.newSlug }), ...(flags.name === undefined ? {} : { name: flags.name }) };
        if (flags.dryRun === true) {
          const body = { slug: assertSlug("new-slug", flags.newSlug ?? slug), ...(flags.name === undefined ? {} : { name: assertName("name", flags.name) }) };
          printDryRun(ctx, [{ method: "PUT", path: apiPath`/api/0/teams/${ctx.requireOrg()}/${assertSlug("slug", slug)}/`, body }]);
          return;
        }
        await printOne<AnyTeam>(ctx, await ctx.client().org.teams.update(slug, patch), ONE_TEAM_COLUMNS);
      }),
    );
  addDestructiveOptions(teams.command("delete <slug>").description("delete a team (its members and projects stay in the organization)")).action(
    (slug: string, flags: DestructiveFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const path = apiPath`/api/0/teams/${ctx.requireOrg()}/${assertSlug("slug", slug)}/`;
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "DELETE", path }]);
        await confirmDestructive(io, { message: `Delete team ${slug} in ${ctx.requireOrg()}?`, ...flags });
        await ctx.client().org.teams.delete(slug);
        ctx.note(`Deleted team ${slug}.`);
      }),
  );
  teams
    .command("ensure <slug>")
    .description("create the team unless it exists (idempotent)")
    .option("--name <name>", "display name when created")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((slug: string, flags: NameFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.dryRun === true) {
          const body = { slug: assertSlug("slug", slug), name: flags.name === undefined ? slug : assertName("name", flags.name) };
          printDryRun(ctx, [{ method: "POST", path: apiPath`/api/0/organizations/${ctx.requireOrg()}/teams/`, body, note: "a 409 (team exists) is success" }]);
          return;
        }
        const result = await ctx.client().org.teams.ensure({ slug, ...(flags.name === undefined ? {} : { name: flags.name }) });
        await printOne<AnyTeam>(ctx, result.team, ONE_TEAM_COLUMNS, (team) => ({ created: result.created, team }));
        ctx.note(result.created ? `Created team ${slug}.` : `Team ${slug} already exists; nothing changed.`);
      }),
    );
  withLimit(teams.command("members <slug>").description("list a team's members with their team roles")).action(
    (slug: string, flags: ListFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        await ctx.print(limited(ctx.client().org.teams.members(slug), flags.limit), { columns: TEAM_MEMBER_COLUMNS });
      }),
  );
  withLimit(teams.command("projects <slug>").description("list the projects a team can access")).action((slug: string, flags: ListFlags, command: Command) =>
    withContext(io, command, async (ctx) => {
      await ctx.print(limited(ctx.client().org.teams.projects(slug), flags.limit), { columns: TEAM_PROJECT_COLUMNS });
    }),
  );
}

/**
 * Registers `teams list|get|create|update|delete|ensure|members|projects`; listed in COMMANDS.
 * @example registerTeamsCommand(program, io); // sentry-rbac teams list --json
 */
export function registerTeamsCommand(program: Command, io: CliIo): void {
  const teams = program.command("teams").description("teams: list, create, rename, delete, and their members and projects");
  teams.addHelpText("after", '\nExamples:\n  $ sentry-rbac teams list --csv\n  $ sentry-rbac teams ensure payments --name "Payments Team" --dry-run\n');
  register(teams, io);
}
