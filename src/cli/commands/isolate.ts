// `sentry-rbac isolate <file>`: the seed's team-isolation example as a convergent plan, from a team → projects map.
import type { Command } from "commander";
import { isolateTeams, type IsolationReport, type IsolationStep } from "../../recipes/isolation/isolate-teams.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { PartialFailureError, UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";

/** A step as one table row: what, and what became of it. */
export interface StepRow {
  status: "planned" | "applied" | "failed" | "skipped";
  action: string;
  subject: string;
  detail: string;
}

/**
 * One isolation step in words, for tables and the demo.
 * @example describeIsolationStep({ action: "add-project-team", team: "payments", project: "payment-api" })
 */
export function describeIsolationStep(step: IsolationStep): string {
  switch (step.action) {
    case "create-team":
      return `create team ${step.team}`;
    case "add-project-team":
      return `give ${step.team} access to ${step.project}`;
    case "remove-project-team":
      return `revoke ${step.team}'s access to ${step.project}`;
  }
}

/** The columns every step-report command prints. */
export const STEP_COLUMNS: readonly Column<StepRow>[] = [
  { key: "status", header: "STATUS", value: (row) => row.status },
  { key: "action", header: "ACTION", value: (row) => row.action },
  { key: "subject", header: "SUBJECT", value: (row) => row.subject },
  { key: "detail", header: "DETAIL", value: (row) => row.detail },
];

function isolationRows(report: IsolationReport): StepRow[] {
  const row = (status: StepRow["status"], step: IsolationStep, detail = ""): StepRow => ({
    status,
    action: step.action,
    subject: describeIsolationStep(step),
    detail,
  });
  return [
    ...(report.dryRun ? report.planned.map((step) => row("planned", step)) : report.applied.map((step) => row("applied", step))),
    ...report.errors.map((error) => ({
      status: "failed" as const,
      action: error.step?.action ?? "plan",
      subject: error.step ? describeIsolationStep(error.step) : "read the current state",
      detail: error.message,
    })),
    ...report.skipped.map((skip) => ({ status: "skipped" as const, action: skip.step?.action ?? "-", subject: skip.subject, detail: skip.reason })),
  ];
}

const FILE_HINT = 'The file maps team slugs to project slugs, e.g. {"payments": ["payment-api", "billing-worker"], "identity": ["auth-service"]}.';

/**
 * Parses an isolation map from JSON or YAML text (YAML when the file name ends in .yaml/.yml).
 * @example await parseTeamMap('{"payments": ["payment-api"]}', "teams.json") // { payments: ["payment-api"] }
 * @throws UsageError when the text is not a map of team slugs to lists of project slugs.
 */
export async function parseTeamMap(text: string, file: string): Promise<Record<string, string[]>> {
  let data: unknown;
  try {
    if (/\.ya?ml$/i.test(file)) {
      // Loaded on demand: only YAML input needs the parser.
      const { parse } = await import("yaml");
      data = parse(text);
    } else {
      data = JSON.parse(text);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "unreadable";
    throw new UsageError(`${file} is not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${reason}`, FILE_HINT);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new UsageError(`${file} must hold a map of teams`, FILE_HINT);
  const map: Record<string, string[]> = {};
  for (const [team, projects] of Object.entries(data)) {
    // Assigning it would set the map's prototype instead of adding a team: the entry would vanish silently.
    if (team === "__proto__") throw new UsageError(`${file}: "__proto__" is not a team slug`, FILE_HINT);
    const list: unknown = projects ?? [];
    if (!Array.isArray(list) || !list.every((p): p is string => typeof p === "string")) {
      throw new UsageError(`team ${team}: expected a list of project slugs`, FILE_HINT);
    }
    map[team] = list;
  }
  return map;
}

/**
 * Reads a file argument (or stdin for `-`), turning a missing file into a usage error.
 * @example const text = await readInputFile(ctx, "teams.yaml", "Pass a JSON or YAML file.");
 * @throws UsageError when the file cannot be read.
 */
export async function readInputFile(ctx: CommandContext, file: string, hint: string): Promise<string> {
  try {
    return file === "-" ? await ctx.io.stdin.readAll() : await ctx.io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}${code ? ` (${code})` : ""}`, hint);
  }
}

interface IsolateFlags extends DestructiveFlags {
  exclusive?: boolean;
}

async function isolate(io: CliIo, file: string, flags: IsolateFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const teams = await parseTeamMap(await readInputFile(ctx, file, FILE_HINT), file);
  const sentry = ctx.client();
  try {
    const exclusive = flags.exclusive === true;
    const plan = await isolateTeams(sentry, teams, { exclusive, dryRun: true });
    if (flags.dryRun === true || plan.planned.length === 0) {
      await ctx.print(isolationRows(plan), { columns: STEP_COLUMNS, document: plan });
      if (plan.planned.length === 0 && plan.errors.length === 0) ctx.note("Nothing to change: the teams already hold their projects.");
      else if (flags.dryRun === true) ctx.note(`Dry run: ${plan.planned.length} change(s) planned, nothing changed.`);
      if (plan.errors.length > 0) throw new PartialFailureError(`${plan.errors.length} project(s) could not be planned`);
      return;
    }
    const revocations = plan.planned.filter((step) => step.action === "remove-project-team").length;
    if (revocations > 0) {
      if (ctx.format === "table") ctx.write(`Plan:\n${plan.planned.map((step) => `  - ${describeIsolationStep(step)}`).join("\n")}\n`);
      await confirmDestructive(io, { message: `Revoke ${revocations} team-project link(s) in ${sentry.org.slug ?? "the organization"}?`, ...flags });
    }
    const bar = ctx.progress({ label: "Isolating teams", total: plan.planned.length });
    let report: IsolationReport;
    try {
      report = await isolateTeams(sentry, teams, {
        exclusive,
        onProgress: (p) => {
          if (p.phase === "apply") bar.increment();
        },
      });
    } finally {
      bar.stop();
    }
    await ctx.print(isolationRows(report), { columns: STEP_COLUMNS, document: report });
    if (report.errors.length > 0) {
      throw new PartialFailureError(
        `${report.errors.length} of ${report.planned.length} change(s) failed`,
        "Fix the cause and re-run: only what is still missing is planned.",
      );
    }
  } finally {
    await ctx.close();
  }
}

const EXAMPLES = `
File (JSON or YAML): team slug -> project slugs
  payments: [payment-api, billing-worker]
  identity: [auth-service]

Examples:
  $ sentry-rbac isolate teams.yaml --dry-run
  $ sentry-rbac isolate teams.json --exclusive --yes
`;

/**
 * Registers `isolate <file>` on the program; listed in COMMANDS.
 * @example registerIsolateCommand(program, io); // adds `sentry-rbac isolate <file>`
 */
export function registerIsolateCommand(program: Command, io: CliIo): void {
  addDestructiveOptions(
    program
      .command("isolate")
      .description("give each team exactly its projects (creating missing teams); --exclusive revokes other teams")
      .argument("<file>", "JSON or YAML map of team slug -> project slugs, or - for JSON on stdin")
      .option("--exclusive", "also revoke every other team's access to the listed projects"),
  )
    .addHelpText("after", EXAMPLES)
    .action((file: string, flags: IsolateFlags, command: Command) => isolate(io, file, flags, command));
}
