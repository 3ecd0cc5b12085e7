// `sentry-rbac schema | dump | plan`: access as code, the reading half (nothing here writes to Sentry).
import { stat, writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { dumpWithOwnership } from "../../recipes/access/dump.js";
import { accessConfigSchema, formatAccessConfig, planAccess, renderPlanMarkdown, renderPlanText } from "../../recipes/access/index.js";
import type { AccessPlan } from "../../recipes/access/index.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { type CliError, ExitStatus, UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { cliErrorFor, orgClient, railRefusal, readAccessInput } from "./access-files.js";

interface DumpFlags {
  out?: string;
  format: "yaml" | "json";
  force?: boolean;
}

function existsError(file: string): UsageError {
  return new UsageError(`${file} exists: dump does not overwrite a file (it may hold hand edits)`, "Pass --force to replace it, or another --out.");
}

async function dump(io: CliIo, flags: DumpFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const out = flags.out;
    // Checked before reading Sentry, and again by the exclusive create ("wx") in case the file appears meanwhile.
    if (
      out !== undefined &&
      flags.force !== true &&
      (await stat(out).then(
        () => true,
        () => false,
      ))
    )
      throw existsError(out);
    const { config, idpOwned } = await dumpWithOwnership(orgClient(ctx, ctx.requireOrg()));
    const text = formatAccessConfig(config, flags.format, idpOwned);
    if (out === undefined) ctx.write(text);
    else {
      await writeFile(out, text, { encoding: "utf8", flag: flags.force === true ? "w" : "wx" }).catch((error: unknown) =>
        Promise.reject((error as { code?: unknown }).code === "EEXIST" ? existsError(out) : error),
      );
      ctx.note(`Wrote ${Object.keys(config.members).length} members and ${Object.keys(config.teams).length} teams of ${config.organization} to ${out}.`);
    }
  } finally {
    await ctx.close();
  }
}

interface PlanFlags {
  format: "text" | "markdown";
  out?: string;
}

/**
 * Plans every file (one organization each) with one client, so all share its limiter.
 * @example const plans = await planFiles(ctx, ["acme.yaml", "acme-eu.yaml"]);
 */
export async function planFiles(ctx: CommandContext, files: readonly string[]): Promise<AccessPlan[]> {
  const inputs = [];
  for (const file of files) inputs.push(await readAccessInput(ctx, file, { plans: false }));
  const plans: AccessPlan[] = [];
  for (const input of inputs) {
    if (!("config" in input)) continue;
    try {
      plans.push(await planAccess(orgClient(ctx, input.config.organization), input.config, { causes: true }));
    } catch (error) {
      throw cliErrorFor(error, input.file);
    }
  }
  return plans;
}

/**
 * The exit status of finished plans: refused (6, saying which rail, the numbers and the next step) when a rail
 * broke, changes (5) when there is anything to do or blocked, else none.
 * @example const status = planStatus(plans); if (status) throw status;
 */
export function planStatus(plans: readonly AccessPlan[]): CliError | undefined {
  const refusal = railRefusal(plans);
  if (refusal) return refusal;
  const pending = plans.reduce((n, p) => n + p.changes.length + p.blocked.length, 0);
  return pending > 0 ? new ExitStatus(ExitCode.changes, `${pending} change(s) planned`) : undefined;
}

async function plan(io: CliIo, files: string[], flags: PlanFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const plans = await planFiles(ctx, files);
    const document = plans.length === 1 ? plans[0] : plans;
    if (flags.out !== undefined) {
      await writeFile(flags.out, `${JSON.stringify(document, null, 2)}\n`, "utf8");
      ctx.note(`Plan saved to ${flags.out}: apply it with \`sentry-rbac apply ${flags.out}\` (refused if the organization changes first).`);
    }
    if (ctx.format === "json" || ctx.format === "ndjson") ctx.write(`${JSON.stringify(document, null, ctx.format === "json" ? 2 : 0)}\n`);
    else ctx.write(plans.map(flags.format === "markdown" ? renderPlanMarkdown : renderPlanText).join("\n"));
    const status = planStatus(plans);
    if (status) throw status;
  } finally {
    await ctx.close();
  }
}

const PLAN_HELP = `
Exit status: 0 no changes, 5 changes to apply (or blocked), 6 refused by a safety rail, 2 invalid file, 3 token.

Examples:
  $ sentry-rbac dump --out sentry-access.yaml
  $ sentry-rbac plan sentry-access.yaml
  $ sentry-rbac plan sentry-access.yaml --format markdown --out plan.json   # for a pull-request comment
  $ sentry-rbac plan acme.yaml acme-eu.yaml --json                           # several organizations
`;

/**
 * Registers `schema`, `dump` and `plan`; listed in COMMANDS.
 * @example registerAccessPlanCommands(program, io); // adds `sentry-rbac schema|dump|plan`
 */
export function registerAccessPlanCommands(program: Command, io: CliIo): void {
  program
    .command("schema")
    .description("print the JSON Schema of the access file")
    .action(() => io.stdout.write(`${JSON.stringify(accessConfigSchema, null, 2)}\n`));
  program
    .command("dump")
    .description("write the live organization as an access file (pending invites and IdP-owned objects included)")
    .option("--out <file>", "write to this file instead of stdout (refused if it exists, unless --force)")
    .option("--force", "replace an existing --out file")
    .addOption(new Option("--format <format>", "file format").choices(["yaml", "json"]).default("yaml"))
    .action((flags: DumpFlags, command: Command) => dump(io, flags, command));
  program
    .command("plan")
    .description("show what applying access files would change (reads only)")
    .argument("<file...>", "access files, one organization each (- for stdin)")
    .addOption(new Option("--format <format>", "text for a terminal, markdown for a pull-request comment").choices(["text", "markdown"]).default("text"))
    .option("--out <plan.json>", "save the plan for `apply` (JSON)")
    .addHelpText("after", PLAN_HELP)
    .action((files: string[], flags: PlanFlags, command: Command) => plan(io, files, flags, command));
}
