// `sentry-rbac apply FILE|PLAN.json`: access as code, the writing half — confirmation, dry run, saved plans.
import type { Command } from "commander";
import { applyAccessPlan, planAccess, renderApplyText, renderPlanText } from "../../recipes/access/index.js";
import type { AccessApplyReport, AccessPlan } from "../../recipes/access/index.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { PartialFailureError } from "../errors.js";
import type { CliIo } from "../io.js";
import { blockedFailure, cliErrorFor, orgClient, railRefusal, readAccessInput } from "./access-files.js";

interface Planned {
  plan: AccessPlan;
  /** Saved plans are checked against the live state; fresh ones were read a moment ago. */
  saved: boolean;
}

async function collectPlans(ctx: CommandContext, files: readonly string[]): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const file of files) {
    const input = await readAccessInput(ctx, file, { plans: true });
    if ("plans" in input) out.push(...input.plans.map((plan) => ({ plan, saved: true })));
    else {
      const plan = await planAccess(orgClient(ctx, input.config.organization), input.config, { causes: true }).catch((error: unknown) =>
        Promise.reject(cliErrorFor(error, file)),
      );
      out.push({ plan, saved: false });
    }
  }
  return out;
}

async function apply(io: CliIo, files: string[], flags: DestructiveFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const table = ctx.format === "table";
  try {
    const planned = await collectPlans(ctx, files).catch((error: unknown) => Promise.reject(cliErrorFor(error)));
    if (table) ctx.write(planned.map(({ plan }) => renderPlanText(plan)).join("\n"));
    const plans = planned.map(({ plan }) => plan);
    const refusal = railRefusal(plans, "Nothing was changed.");
    if (refusal) throw refusal;
    const blocked = blockedFailure(plans);
    const total = planned.reduce((n, { plan }) => n + plan.changes.length, 0);
    if (total === 0) {
      if (ctx.format === "json") ctx.write(`${JSON.stringify([], null, 2)}\n`);
      ctx.note("Nothing to apply.");
      if (blocked && flags.dryRun !== true) throw blocked;
      if (blocked) ctx.note(blocked.message);
      return;
    }
    const orgs = planned.map(({ plan }) => plan.organization).join(", ");
    const asked = flags.yes !== true && flags.dryRun !== true;
    await confirmDestructive(io, { message: `Apply ${total} change(s) to ${orgs}?`, ...flags });
    const bar = ctx.progress({ label: "Applying", total });
    const reports: AccessApplyReport[] = [];
    try {
      for (const { plan, saved } of planned) {
        reports.push(
          await applyAccessPlan(orgClient(ctx, plan.organization), plan, {
            dryRun: flags.dryRun === true,
            // A prompt may have waited: check a fresh plan again too, so nothing applies to a changed organization.
            checkFingerprint: saved || asked,
            onProgress: () => bar.increment(),
          }).catch((error: unknown) => Promise.reject(cliErrorFor(error))),
        );
      }
    } finally {
      bar.stop();
    }
    // The blocked changes belong to the outcome: the file asked for them and they were not made.
    const documents = reports.map((report, index) => ({ ...report, blocked: planned[index]?.plan.blocked ?? [] }));
    if (ctx.format === "json") ctx.write(`${JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2)}\n`);
    else ctx.write(reports.map(renderApplyText).join("\n"));
    const failed = reports.reduce((n, r) => n + r.failed.length, 0);
    if (failed > 0) {
      const also = blocked ? `; ${plans.reduce((n, p) => n + p.blocked.length, 0)} more blocked (see the plan)` : "";
      throw new PartialFailureError(
        `${failed} of ${total} step(s) failed${also}`,
        "Run plan and apply again: finished steps are not repeated, and every step is safe to retry.",
      );
    }
    if (blocked && flags.dryRun !== true) throw blocked;
    if (blocked) ctx.note(blocked.message);
  } finally {
    await ctx.close();
  }
}

const APPLY_HELP = `
Applies an access file (planned now) or a plan saved with \`plan --out\` (refused when the organization changed
since). Asks before changing anything unless --yes; off a terminal --yes is required.
Exit status: 0 applied (or nothing to do), 1 some steps failed (re-run to converge) or were blocked (the token
cannot make them; the others were made), 2 invalid file, 6 refused (rail or stale plan).

Examples:
  $ sentry-rbac apply sentry-access.yaml --dry-run
  $ sentry-rbac apply plan.json --yes
`;

/**
 * Registers `apply`; listed in COMMANDS.
 * @example registerAccessApplyCommand(program, io); // adds `sentry-rbac apply`
 */
export function registerAccessApplyCommand(program: Command, io: CliIo): void {
  addDestructiveOptions(
    program
      .command("apply")
      .description("make organizations match access files, or apply saved plans")
      .argument("<file...>", "access files or saved plans (- for stdin)"),
  )
    .addHelpText("after", APPLY_HELP)
    .action((files: string[], flags: DestructiveFlags, command: Command) => apply(io, files, flags, command));
}
