// `sentry-rbac contractor create|offboard`: the seed's contractor example with an end date and a manifest.
import { readFile, writeFile } from "node:fs/promises";
import { InvalidArgumentError, type Command } from "commander";
import { createContractorTeam, offboardContractors } from "../../recipes/contractor/index.js";
import type { ContractorManifest, ContractorStep, OffboardReport, OffboardStep } from "../../recipes/contractor/index.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { createCommandContext } from "../context.js";
import { PartialFailureError, UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { describeIsolationStep, readInputFile, STEP_COLUMNS, type StepRow } from "./isolate.js";
import { collect } from "./resource-support.js";

/**
 * One contractor-team step in words.
 * @example describeContractorStep({ action: "invite-member", email: "ana@vendor.test", team: "contractors-q1" })
 */
export function describeContractorStep(step: ContractorStep): string {
  switch (step.action) {
    case "invite-member":
      return `invite ${step.email} as member of ${step.team}`;
    case "add-member-team":
      return `add ${step.email} to ${step.team}`;
    default:
      // Team and project-link steps read as they do for team isolation.
      return describeIsolationStep(step);
  }
}

/**
 * One offboarding step in words.
 * @example describeOffboardStep({ action: "delete-team", team: "contractors-q1" }) // "delete team contractors-q1"
 */
export function describeOffboardStep(step: OffboardStep): string {
  switch (step.action) {
    case "scim-deactivate":
      return `deactivate ${step.email} through SCIM`;
    case "remove-member":
      return `remove ${step.email} from the organization`;
    case "remove-member-team":
      return `remove ${step.email} from ${step.team}`;
    case "remove-project-team":
      return `revoke ${step.team}'s access to ${step.project}`;
    case "delete-team":
      return `delete team ${step.team}`;
  }
}

function rowsOf<Step extends { action: string }>(
  report: {
    dryRun: boolean;
    planned: Step[];
    applied: Step[];
    skipped: Array<{ subject: string; reason: string }>;
    errors: Array<{ step: Step | undefined; message: string }>;
  },
  describe: (step: Step) => string,
): StepRow[] {
  const skipped = report.skipped.map((s) => ({ status: "skipped" as const, action: "-", subject: s.subject, detail: s.reason }));
  const status = report.dryRun ? ("planned" as const) : ("applied" as const);
  return [
    ...(report.dryRun ? report.planned : report.applied).map((step) => ({ status, action: step.action, subject: describe(step), detail: "" })),
    ...report.errors.map((e) => ({ status: "failed" as const, action: e.step?.action ?? "-", subject: e.step ? describe(e.step) : "-", detail: e.message })),
    ...skipped,
  ];
}

/**
 * Parses `--expires`: an ISO 8601 date, or `+<n>d` for n days from now.
 * @example parseExpiry("+90d", new Date("2026-01-01")) // 2026-04-01
 * @throws InvalidArgumentError for anything else.
 */
export function parseExpiry(value: string, now: Date = new Date()): Date {
  const relative = /^\+(\d{1,4})d$/.exec(value);
  const date = relative ? new Date(now.getTime() + Number(relative[1]) * 86_400_000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("expected an ISO 8601 date (2026-06-30) or +<days>d (+90d)");
  return date;
}

interface CreateFlags extends DestructiveFlags {
  slug: string;
  name: string;
  project: string[];
  member?: string[];
  expires: Date;
  manifestOut?: string;
  rollback: boolean;
}

/**
 * The manifest already at `--manifest-out`, to merge the new one into: a re-run must not rewrite what the first
 * run recorded. A file there that is not this team's manifest is refused rather than overwritten.
 */
async function previousManifest(path: string | undefined, org: string | undefined, slug: string): Promise<ContractorManifest | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`, "Pass a writable --manifest-out path.");
  }
  let manifest: ContractorManifest | undefined;
  try {
    manifest = JSON.parse(text) as ContractorManifest;
  } catch {
    manifest = undefined;
  }
  if (manifest?.version !== 1 || manifest.team?.slug !== slug || manifest.org !== org) {
    throw new UsageError(
      `${path} exists and is not a contractor manifest of ${slug} in ${org ?? "this organization"}; refusing to overwrite it`,
      "Pass another --manifest-out path, or move the file away.",
    );
  }
  return manifest;
}

async function create(io: CliIo, flags: CreateFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const sentry = ctx.client();
    const previous = await previousManifest(flags.manifestOut, sentry.org.slug, flags.slug);
    const options = {
      slug: flags.slug,
      name: flags.name,
      projects: flags.project,
      members: flags.member ?? [],
      expiresAt: flags.expires,
      rollback: flags.rollback,
      ...(previous === undefined ? {} : { previous }),
    };
    // The same rule as `isolate`: revoking a team's other project links is asked for (refused off a TTY).
    const plan = await createContractorTeam(sentry, { ...options, dryRun: true });
    const revocations = plan.planned.filter((step) => step.action === "remove-project-team").length;
    if (flags.dryRun !== true && revocations > 0) {
      if (ctx.format === "table") ctx.write(`Plan:\n${plan.planned.map((step) => `  - ${describeContractorStep(step)}`).join("\n")}\n`);
      await confirmDestructive(io, {
        message: `Revoke ${revocations} team-project link(s) of ${flags.slug} in ${sentry.org.slug ?? "the organization"}?`,
        ...flags,
      });
    }
    const report = flags.dryRun === true ? plan : await createContractorTeam(sentry, options);
    await ctx.print(rowsOf(report, describeContractorStep), { columns: STEP_COLUMNS, document: report });
    if (report.manifest !== undefined) await saveManifest(ctx.write, ctx.note, ctx.format, report.manifest, flags.manifestOut);
    if (report.dryRun) ctx.note(`Dry run: ${report.planned.length} change(s) planned, nothing changed.`);
    if (report.errors.length > 0) {
      const undone = report.rolledBack.length > 0 ? `; rolled back ${report.rolledBack.length} change(s)` : "";
      const left = report.leftBehind.length > 0 ? "Re-run with the same flags to finish the changes left behind." : "Fix the cause and re-run.";
      throw new PartialFailureError(`${report.errors.length} step(s) failed${undone}`, left);
    }
  } finally {
    await ctx.close();
  }
}

async function saveManifest(
  write: (chunk: string) => void,
  note: (line: string) => void,
  format: string,
  manifest: ContractorManifest,
  path: string | undefined,
): Promise<void> {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (path !== undefined) {
    await writeFile(path, text, "utf8");
    note(`Manifest written to ${path}: keep it, \`contractor offboard --manifest ${path}\` works from it.`);
  } else if (format === "table") {
    write(`\nManifest (keep it for \`contractor offboard\`, or pass --manifest-out <file>):\n${text}`);
  }
}

interface OffboardFlags extends DestructiveFlags {
  manifest: string;
  force?: boolean;
  deleteTeam?: boolean;
}

function parseManifest(text: string, file: string): ContractorManifest {
  try {
    return JSON.parse(text) as ContractorManifest;
  } catch {
    throw new UsageError(`${file} is not JSON`, "Pass the manifest `contractor create` wrote (--manifest-out).");
  }
}

async function offboard(io: CliIo, flags: OffboardFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const hint = "Pass the manifest `contractor create` wrote (--manifest-out).";
  const manifest = parseManifest(await readInputFile(ctx, flags.manifest, hint), flags.manifest);
  const options = { force: flags.force === true, ...(flags.deleteTeam === undefined ? {} : { deleteTeam: flags.deleteTeam }) };
  try {
    const sentry = ctx.client();
    const plan = await offboardContractors(sentry, manifest, { ...options, dryRun: true });
    if (flags.dryRun === true || plan.planned.length === 0) {
      await ctx.print(rowsOf(plan, describeOffboardStep), { columns: STEP_COLUMNS, document: plan });
      ctx.note(
        plan.planned.length === 0
          ? "Nothing to do: the contractors are already offboarded."
          : `Dry run: ${plan.planned.length} change(s) planned, nothing changed.`,
      );
      return;
    }
    if (ctx.format === "table") ctx.write(`Plan:\n${plan.planned.map((step) => `  - ${describeOffboardStep(step)}`).join("\n")}\n`);
    await confirmDestructive(io, { message: `Offboard ${manifest.team.slug} (${plan.planned.length} change(s))?`, ...flags });
    const bar = ctx.progress({ label: "Offboarding", total: plan.planned.length });
    let report: OffboardReport;
    try {
      report = await offboardContractors(sentry, manifest, {
        ...options,
        onProgress: (p) => {
          if (p.phase === "apply") bar.increment();
        },
      });
    } finally {
      bar.stop();
    }
    await ctx.print(rowsOf(report, describeOffboardStep), { columns: STEP_COLUMNS, document: report });
    if (report.errors.length > 0)
      throw new PartialFailureError(
        `${report.errors.length} of ${report.planned.length} step(s) failed`,
        "Re-run the same command: finished steps are skipped.",
      );
  } finally {
    await ctx.close();
  }
}

const CREATE_EXAMPLE = `
Example:
  $ sentry-rbac contractor create --slug contractors-q1 --name "Q1 Contractors" \\
      --project mobile-redesign --member ana@vendor.example --member bo@vendor.example \\
      --expires +90d --manifest-out contractors-q1.json
`;

/**
 * Registers `contractor create` and `contractor offboard` on the program; listed in COMMANDS.
 * @example registerContractorCommand(program, io); // adds `sentry-rbac contractor create|offboard`
 */
export function registerContractorCommand(program: Command, io: CliIo): void {
  const contractor = program.command("contractor").description("time-boxed contractor teams with access to only their projects");
  addDestructiveOptions(
    contractor
      .command("create")
      .description("create (or converge) a contractor team: only the listed projects, people invited as org member")
      .requiredOption("--slug <slug>", "team slug, e.g. contractors-q1")
      .requiredOption("--name <name>", 'team name, e.g. "Q1 Contractors"')
      .requiredOption("--project <slug>", "a project the team may see (repeat, or comma-separate)", collect)
      .option("--member <email>", "a contractor's email (repeat, or comma-separate)", collect)
      .requiredOption("--expires <date>", "end of the contract: ISO date or +<days>d", (value: string) => parseExpiry(value))
      .option("--manifest-out <file>", "write the manifest offboarding needs to this file (an earlier run's manifest there is merged, not rewritten)")
      .option("--no-rollback", "on failure keep this run's changes (re-run to finish) instead of undoing them"),
  )
    .addHelpText("after", CREATE_EXAMPLE)
    .action((flags: CreateFlags, command: Command) => create(io, flags, command));
  addDestructiveOptions(
    contractor
      .command("offboard")
      .description("remove the contractors and the team's access once the contract has ended")
      .requiredOption("--manifest <file>", "the manifest `contractor create` wrote (- for stdin)")
      .option("--force", "offboard before the manifest's expiry date")
      .option("--delete-team", "delete the team even if this manifest did not create it")
      .option("--keep-team", "keep the team (only revoke its members and projects)"),
  )
    .addHelpText("after", "\nExample:\n  $ sentry-rbac contractor offboard --manifest contractors-q1.json --dry-run\n")
    .action((flags: OffboardFlags & { keepTeam?: boolean }, command: Command) => {
      if (flags.keepTeam === true && flags.deleteTeam === true) throw new UsageError("--delete-team and --keep-team cannot be combined");
      return offboard(io, { ...flags, ...(flags.keepTeam === true ? { deleteTeam: false } : {}) }, command);
    });
}
