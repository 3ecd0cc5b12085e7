// `sentry-rbac drift | adopt | grant | expire`: access as code, day two — drift with its cause, adopting it into the
// file, time-bound grants and their expiry.
import { rename, writeFile } from "node:fs/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import { isValidationError } from "../../http/errors/errors.js";
import { adoptDrift } from "../../recipes/access/adopt.js";
import { readDrift, renderDriftMarkdown, renderDriftText } from "../../recipes/access/drift.js";
import { DEFAULT_MAX_GRANT_MS, grantInFile } from "../../recipes/access/grant.js";
import { applyAccessPlan, parseAccessConfig, planAccess, renderApplyText, renderPlanText } from "../../recipes/access/index.js";
import type { AccessChange, AccessChangeKind, AccessConfig } from "../../recipes/access/index.js";
import { isOrgRole, isTeamRole, type OrgRole, type TeamRole } from "../../vocabulary/roles.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { ExitStatus, PartialFailureError, UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { cliErrorFor, orgClient } from "./access-files.js";
import { readInputFile } from "./isolate.js";

const FILE_HINT = "Pass an access file (YAML or JSON; `sentry-rbac schema` prints its JSON Schema).";
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A grant's length: `90m`, `2h`, `1d`, `1w`.
 * @example parseGrantDuration("2h") // 7200000
 * @throws InvalidArgumentError for anything else.
 */
export function parseGrantDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (UNITS[match[2] ?? ""] ?? Number.NaN) : Number.NaN;
  if (!(ms > 0)) throw new InvalidArgumentError("expected a duration such as 90m, 2h, 1d or 1w");
  return ms;
}

async function readConfig(ctx: CommandContext, file: string): Promise<{ text: string; config: AccessConfig }> {
  const text = await readInputFile(ctx, file, FILE_HINT);
  try {
    return { text, config: parseAccessConfig(text) };
  } catch (error) {
    if (isValidationError(error)) throw new UsageError(`${file}: ${error.detail}`, "`sentry-rbac schema` prints the JSON Schema of the file.");
    throw error;
  }
}

/** Replaces the file whole (a temporary file renamed over it), so a crash leaves the old or the new file, never half. */
async function replaceFile(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, "utf8");
  await rename(temp, file);
}

interface DriftFlags {
  since?: string;
  format: "text" | "json" | "markdown";
}

async function drift(io: CliIo, file: string, flags: DriftFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const { config } = await readConfig(ctx, file);
    const { drift: found } = await readDrift(orgClient(ctx, config.organization), config, flags.since !== undefined ? { since: flags.since } : {}).catch(
      (error: unknown) => Promise.reject(cliErrorFor(error)),
    );
    if (flags.format === "json" || ctx.format === "json" || ctx.format === "ndjson") ctx.write(`${JSON.stringify(found, null, 2)}\n`);
    else ctx.write(flags.format === "markdown" ? renderDriftMarkdown(found) : renderDriftText(found));
    if (found.drift.length > 0) throw new ExitStatus(ExitCode.changes, `${found.drift.length} difference(s) between ${config.organization} and ${file}`);
  } finally {
    await ctx.close();
  }
}

interface AdoptFlags {
  only?: AccessChangeKind;
  yes?: boolean;
  since?: string;
}

async function adopt(io: CliIo, file: string, flags: AdoptFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const { text, config } = await readConfig(ctx, file);
    const { drift: found, live } = await readDrift(orgClient(ctx, config.organization), config, flags.since !== undefined ? { since: flags.since } : {}).catch(
      (error: unknown) => Promise.reject(cliErrorFor(error)),
    );
    const result = adoptDrift(text, found, live, flags.only !== undefined ? { only: flags.only } : {});
    if (result.adopted.length === 0) {
      ctx.note(`Nothing to adopt: no ${flags.only ?? ""}${flags.only ? " " : ""}drift in ${config.organization}.`);
      return;
    }
    ctx.write(`Adopt into ${file} (the live state becomes declared):\n${result.adopted.map((a) => `  ${a}`).join("\n")}\n`);
    if (result.skipped.length > 0) ctx.note(`Left as drift (the file cannot declare it, or another kind): ${result.skipped.length}`);
    await confirmDestructive(io, { message: `Rewrite ${file} with ${result.adopted.length} adopted difference(s)?`, yes: flags.yes });
    await replaceFile(file, result.text);
    ctx.note(`Wrote ${file}: \`sentry-rbac plan ${file}\` now shows no change for what was adopted.`);
  } finally {
    await ctx.close();
  }
}

interface GrantFlags {
  member: string;
  team?: string;
  teamRole?: TeamRole;
  orgRole?: OrgRole;
  for: number;
  reason?: string;
  max: number;
  now?: boolean;
}

async function grant(io: CliIo, file: string, flags: GrantFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const { text, config } = await readConfig(ctx, file);
    if (flags.teamRole !== undefined && flags.team === undefined) throw new UsageError("--team-role goes with --team");
    let liveTeams: string[] = [];
    if (flags.team !== undefined && !(flags.team in config.teams)) {
      // A team the file does not declare must exist in Sentry.
      const org = orgClient(ctx, config.organization);
      liveTeams = (await org.org.teams.list({ perPage: 100 }).toArray()).map((t) => t.slug);
    }
    let result;
    try {
      result = grantInFile(text, {
        member: flags.member,
        durationMs: flags.for,
        reason: flags.reason ?? "",
        maxMs: flags.max,
        liveTeams,
        breakGlass: flags.now === true,
        ...(flags.team !== undefined ? { team: flags.team } : {}),
        ...(flags.teamRole !== undefined ? { teamRole: flags.teamRole } : {}),
        ...(flags.orgRole !== undefined ? { orgRole: flags.orgRole } : {}),
      });
    } catch (error) {
      if (isValidationError(error)) throw new UsageError(`${file}: ${error.detail}`, "Nothing was written.");
      throw error;
    }
    const what =
      flags.team !== undefined
        ? `${result.member} on ${flags.team}${flags.teamRole ? ` as ${flags.teamRole}` : ""}`
        : `${result.member} as ${flags.orgRole ?? ""}`;
    if (flags.now === true) {
      // Break-glass: apply only this grant's changes now, then record it in the file for review.
      const next = parseAccessConfig(result.text);
      const email = result.member.toLowerCase();
      const only = (c: AccessChange) =>
        (c.email ?? "").toLowerCase() === email && (flags.team === undefined ? c.kind === "member" && c.action === "update" : c.team === flags.team);
      const org = orgClient(ctx, config.organization);
      const plan = await planAccess(org, next, { only, inviteHistory: false }).catch((error: unknown) => Promise.reject(cliErrorFor(error)));
      if (plan.violations.length > 0 || plan.blocked.length > 0) {
        ctx.write(renderPlanText(plan));
        throw new ExitStatus(plan.violations.length > 0 ? ExitCode.refused : ExitCode.failure, "the break-glass grant cannot be applied: nothing was written");
      }
      const report = await applyAccessPlan(org, plan).catch((error: unknown) => Promise.reject(cliErrorFor(error)));
      ctx.write(renderApplyText(report));
      if (report.failed.length > 0) throw new PartialFailureError("the break-glass grant failed: nothing was written", "Run the same command again.");
    }
    await replaceFile(file, result.text);
    ctx.note(
      `Granted ${what} until ${result.until} in ${file}${flags.now === true ? " and applied it now (break-glass: the next plan and drift name it for review)" : "; open a pull request, then apply"}.`,
    );
  } finally {
    await ctx.close();
  }
}

async function expire(io: CliIo, file: string, flags: DestructiveFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const { config } = await readConfig(ctx, file);
    const org = orgClient(ctx, config.organization);
    const plan = await planAccess(org, config, { only: (c) => c.expired !== undefined, inviteHistory: false }).catch((error: unknown) =>
      Promise.reject(cliErrorFor(error)),
    );
    if (plan.violations.length > 0) {
      ctx.write(renderPlanText(plan));
      throw new ExitStatus(ExitCode.refused, "refused by the safety rails: nothing was removed");
    }
    if (plan.changes.length === 0) {
      ctx.note("Nothing has expired.");
      if (ctx.format === "json") ctx.write("[]\n");
      return;
    }
    if (ctx.format === "table") ctx.write(renderPlanText(plan));
    await confirmDestructive(io, { message: `Remove ${plan.changes.length} expired grant(s) in ${config.organization}?`, ...flags });
    const report = await applyAccessPlan(org, plan, { dryRun: flags.dryRun === true }).catch((error: unknown) => Promise.reject(cliErrorFor(error)));
    if (ctx.format === "json") ctx.write(`${JSON.stringify(report, null, 2)}\n`);
    else ctx.write(renderApplyText(report));
    if (report.failed.length > 0)
      throw new PartialFailureError(`${report.failed.length} expired grant(s) could not be removed`, "Run expire again: it converges.");
  } finally {
    await ctx.close();
  }
}

function role<T extends string>(check: (v: unknown) => v is T, what: string) {
  return (value: string): T => {
    if (!check(value)) throw new InvalidArgumentError(`unknown ${what} "${value}"`);
    return value;
  };
}

/**
 * Registers `drift`, `adopt`, `grant` and `expire`; listed in COMMANDS.
 * @example registerAccessDriftCommands(program, io);
 */
export function registerAccessDriftCommands(program: Command, io: CliIo): void {
  program
    .command("drift")
    .description("show only where Sentry differs from the access file, each difference with the audit row that made it (reads only)")
    .argument("<file>", "access file")
    .option("--since <when>", "start of the audit window (ISO date); default: the last apply, at most 30 days back")
    .addOption(new Option("--format <format>", "output").choices(["text", "json", "markdown"]).default("text"))
    .addHelpText(
      "after",
      "\nExit status: 0 no drift, 5 drift, 2 invalid file, 3 token.\n\nExamples:\n  $ sentry-rbac drift sentry-access.yaml\n  $ sentry-rbac drift sentry-access.yaml --format markdown > drift.md\n",
    )
    .action((file: string, flags: DriftFlags, command: Command) => drift(io, file, flags, command));
  program
    .command("adopt")
    .description("rewrite the access file so the live state becomes declared for the drift shown (comments kept)")
    .argument("<file>", "access file")
    .addOption(new Option("--only <kind>", "adopt only this kind").choices(["team", "member", "team-member", "project-team"]))
    .option("--since <when>", "start of the audit window for causes")
    .option("-y, --yes", "do not ask before rewriting the file")
    .action((file: string, flags: AdoptFlags, command: Command) => adopt(io, file, flags, command));
  program
    .command("grant")
    .description("add a time-bound grant (a team membership or an org role) to the access file; --now applies it at once (break-glass)")
    .argument("<file>", "access file")
    .requiredOption("--member <email>", "the member, as declared in the file")
    .option("--team <slug>", "put the member on this team")
    .option("--team-role <role>", "their team role on it (admin or contributor)", role(isTeamRole, "team role"))
    .option("--org-role <role>", "raise their org role to this", role(isOrgRole, "org role"))
    .requiredOption("--for <duration>", "how long: 90m, 2h, 1d", parseGrantDuration)
    .option("--reason <text>", "why (a ticket or incident); required")
    .option("--max <duration>", "longest grant allowed", parseGrantDuration, DEFAULT_MAX_GRANT_MS)
    .option("--now", "apply the grant at once (break-glass) and record it for review")
    .addHelpText(
      "after",
      "\nExit status: 0 written, 2 refused (nothing written).\n\nExamples:\n  $ sentry-rbac grant sentry-access.yaml --member kai@acme.test --team payments --team-role admin --for 2h --reason INC-4211\n  $ sentry-rbac grant sentry-access.yaml --member kai@acme.test --org-role manager --for 1d --reason 'audit prep'\n",
    )
    .action((file: string, flags: GrantFlags, command: Command) => grant(io, file, flags, command));
  addDestructiveOptions(
    program
      .command("expire")
      .description("remove only the grants whose `until` has passed (other drift is left alone); safe to run from cron")
      .argument("<file>", "access file"),
  )
    .addHelpText(
      "after",
      "\nExit status: 0 nothing expired or all removed, 1 a removal failed (run again), 6 refused by a rail.\n\nExample:\n  $ sentry-rbac expire sentry-access.yaml --yes\n",
    )
    .action((file: string, flags: DestructiveFlags, command: Command) => expire(io, file, flags, command));
}
