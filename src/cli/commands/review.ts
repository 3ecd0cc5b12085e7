// `sentry-rbac review start|close|verify`: access review campaigns with evidence (the findings stay `access review`).
import { InvalidArgumentError, type Command } from "commander";
import { isAccessPlanError } from "../../recipes/access/errors.js";
import { renderPlanText } from "../../recipes/access/render.js";
import type { AccessPlan } from "../../recipes/access/types.js";
import { closeAccessReview } from "../../recipes/review/close.js";
import { parseReviewers } from "../../recipes/review/decisions.js";
import { isAccessReviewError } from "../../recipes/review/errors.js";
import type { ReviewOutcome } from "../../recipes/review/outcomes.js";
import type { ReviewRails } from "../../recipes/review/plan.js";
import { startAccessReview } from "../../recipes/review/start.js";
import { verifyAccessReview, type FileCheck } from "../../recipes/review/verify.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { createCommandContext } from "../context.js";
import { CliError, PartialFailureError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { readInputFile } from "./isolate.js";
import { parseTokenRecords } from "./tokens-recipes.js";

/** Refusals of the review recipes as CLI errors: bad campaign input is a usage error (2), a rail refusal 6. */
function cliErrorFor(error: unknown): unknown {
  if (isAccessReviewError(error)) return new CliError(error.message, { exitCode: ExitCode.usage, hint: error.hint });
  if (isAccessPlanError(error)) return new CliError(error.message, { exitCode: error.code === "token" ? ExitCode.auth : ExitCode.refused, hint: error.hint });
  return error;
}

const OUTCOME_COLUMNS: readonly Column<ReviewOutcome>[] = [
  { key: "email", header: "SUBJECT", value: (o) => (o.before.privileged ? `${o.email} (${o.before.orgRole})` : o.email) },
  {
    key: "decision",
    header: "DECISION",
    value: (o) =>
      o.decision === "set-role" ? `set-role ${o.newOrgRole ?? ""}` : o.decision === "remove-teams" ? `remove-teams ${o.removeTeams.join(";")}` : o.decision,
  },
  { key: "reviewer", header: "REVIEWER", value: (o) => o.reviewer },
  { key: "outcome", header: "OUTCOME", value: (o) => o.outcome },
  { key: "detail", header: "DETAIL", value: (o) => o.detail },
];

const FILE_COLUMNS: readonly Column<FileCheck>[] = [
  { key: "file", header: "FILE", value: (f) => f.file },
  { key: "intact", header: "STATE", value: (f) => (f.intact ? "intact" : f.actual === null ? "MISSING" : "DIFFERS") },
  { key: "expected", header: "SHA-256 (MANIFEST)", value: (f) => f.expected },
];

interface StartFlags {
  out: string;
  name?: string;
  reviewers?: string;
  tokens?: string;
  openMembership?: boolean;
}

async function start(io: CliIo, flags: StartFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    ctx.requireOrg();
    const reviewers =
      flags.reviewers === undefined
        ? undefined
        : parseReviewers(await readInputFile(ctx, flags.reviewers, "Pass a YAML map of team slug (or '*') to reviewer email."));
    const tokens =
      flags.tokens === undefined
        ? undefined
        : parseTokenRecords(await readInputFile(ctx, flags.tokens, "Pass the token list saved from Settings → Auth Tokens as JSON."), flags.tokens);
    const report = await startAccessReview(ctx.client(), {
      out: flags.out,
      ...(flags.name === undefined ? {} : { name: flags.name }),
      ...(reviewers ? { reviewers } : {}),
      ...(tokens ? { tokens } : {}),
      openMembership: flags.openMembership === true,
    }).catch((error: unknown) => Promise.reject(cliErrorFor(error)));
    if (ctx.format === "json") ctx.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      ctx.write(
        `Started "${report.campaign}" for ${report.organization} at ${report.takenAt}: ${report.subjects} subjects ` +
          `(${report.privileged} privileged, ${report.invites} invites), ${report.teams} teams, ${report.requests} requests.\n`,
      );
      ctx.write(`Hand out ${flags.out}/decisions.csv; each row needs a decision (keep, revoke, set-role, remove-teams) and a reviewer.\n`);
      ctx.write(`Then: sentry-rbac review close ${flags.out}\n`);
    }
  } finally {
    await ctx.close();
  }
}

interface CloseFlags extends DestructiveFlags {
  signKey?: string;
  maxRemovals?: ReviewRails["maxRemovals"];
  minOwners?: number;
}

async function close(io: CliIo, dir: string, flags: CloseFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const signKey =
      flags.signKey === undefined
        ? undefined
        : await readInputFile(ctx, flags.signKey, "Pass an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519).");
    const report = await closeAccessReview(ctx.client(), {
      dir,
      dryRun: flags.dryRun === true,
      ...(signKey === undefined ? {} : { signKey }),
      ...(flags.maxRemovals ? { maxRemovals: flags.maxRemovals } : {}),
      ...(flags.minOwners === undefined ? {} : { minOwners: flags.minOwners }),
      onPlan: (plan) => {
        if (ctx.format !== "table") return;
        ctx.write(renderPlanText(plan));
        for (const entry of plan.idpOwned) ctx.write(`  IdP: ${entry.reason}\n`);
      },
      // Without --yes the plan is confirmed first (off a terminal that is a usage error), and the organization is
      // then checked again, since the prompt may have waited.
      ...(flags.yes === true
        ? {}
        : {
            confirm: async (plan: AccessPlan) => {
              await confirmDestructive(io, { message: `Apply ${plan.changes.length} review decision(s) to ${plan.organization}?`, ...flags });
              return true;
            },
          }),
    }).catch((error: unknown) => Promise.reject(cliErrorFor(error)));
    if (report.dryRun) {
      if (ctx.format === "json") ctx.write(`${JSON.stringify(report.plan, null, 2)}\n`);
      ctx.note("Dry run: nothing was changed or written.");
      return;
    }
    await ctx.print(report.outcomes, { columns: OUTCOME_COLUMNS, document: report });
    if (ctx.format === "table") {
      ctx.write(
        `\n${Object.entries(report.counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ")}. Evidence in ${dir}: report.html, report.csv, after.json, manifest.json${report.signed ? ", manifest.sig" : ""}.\n`,
      );
    }
    if (!report.verified)
      throw new PartialFailureError(
        `${report.counts.failed} decision(s) failed or could not be verified`,
        "See the detail column of report.csv; fix the cause and apply the remaining ones by hand or in a new campaign.",
      );
  } finally {
    await ctx.close();
  }
}

async function verify(io: CliIo, dir: string, flags: { publicKey?: string }, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const publicKey = flags.publicKey === undefined ? undefined : await readInputFile(ctx, flags.publicKey, "Pass the Ed25519 public key in PEM.");
  const verdict = await verifyAccessReview({ dir, ...(publicKey === undefined ? {} : { publicKey }) }).catch((error: unknown) =>
    Promise.reject(cliErrorFor(error)),
  );
  await ctx.print(verdict.files, { columns: FILE_COLUMNS, document: verdict });
  if (ctx.format === "table") ctx.write(`signature: ${verdict.signature}\n`);
  if (!verdict.intact) {
    throw new CliError(
      `${verdict.firstDiffering ?? "a file"} ${verdict.firstDiffering === "manifest.sig" ? `is ${verdict.signature}` : "differs from manifest.json"}`,
      {
        exitCode: ExitCode.failure,
        hint: "The campaign folder was changed after it was sealed: restore it from its archive.",
      },
    );
  }
}

function parseMaxRemovals(value: string): ReviewRails["maxRemovals"] {
  const percent = /^(\d{1,3})%$/.exec(value);
  if (percent && Number(percent[1]) <= 100) return { percent: Number(percent[1]) };
  if (/^\d+$/.test(value)) return { count: Number(value) };
  throw new InvalidArgumentError("expected a count (e.g. 50) or a percentage (e.g. 25%)");
}

function parseMinOwners(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("expected a whole number (1 or more)");
  return Number(value);
}

const CLOSE_HELP = `
Checks every row of DIR/decisions.csv before any request (exit 2 naming the line), plans the decisions with the
rails of \`apply\` (never the last owner, a removal limit), asks unless --yes, applies, reads the organization again
into after.json and judges each row from that re-read. Writes report.csv, report.html, plan.json and an updated
manifest.json (and manifest.sig with --sign-key).
Exit status: 0 every decision verified or left to the identity provider, 1 some failed, 2 bad input, 6 refused by a rail.

Examples:
  $ sentry-rbac review close review-2026-q1 --dry-run
  $ sentry-rbac review close review-2026-q1 --yes --sign-key review-key.pem
`;

/**
 * Registers `review start|close|verify`; listed in COMMANDS.
 * @example registerReviewCommand(program, io); // adds `sentry-rbac review ...`
 */
export function registerReviewCommand(program: Command, io: CliIo): void {
  const review = program.command("review").description("access review campaigns: snapshot, decisions, revocation, signed evidence");
  review
    .command("start")
    .description("snapshot the organization into DIR with a decisions sheet for reviewers and a manifest of hashes")
    .requiredOption("--out <dir>", "the campaign folder (new)")
    .option("--name <text>", "the campaign's name (default: '<org> access review <date>')")
    .option("--reviewers <file>", "YAML map of team slug (or '*') to reviewer email, to pre-fill the reviewer column")
    .option("--tokens <file>", "token records saved from Settings → Auth Tokens (JSON, as `tokens lint --file`)")
    .option("--open-membership", "the organization has Open Membership on (every member reaches every project)")
    .addHelpText("after", "\nExample:\n  $ sentry-rbac review start --out review-2026-q1 --name '2026 Q1' --reviewers reviewers.yaml\n")
    .action((flags: StartFlags, command: Command) => start(io, flags, command));
  addDestructiveOptions(
    review
      .command("close")
      .description("apply the decisions, re-read the organization and write the report and evidence")
      .argument("<dir>", "the campaign folder")
      .option("--sign-key <file>", "Ed25519 private key (PEM) to sign manifest.json into manifest.sig")
      .option("--max-removals <n|p%>", "refuse more member removals than this (default 25%)", parseMaxRemovals)
      .option("--min-owners <n>", "refuse leaving fewer owners than this (default 1)", parseMinOwners)
      .addHelpText("after", CLOSE_HELP),
  ).action((dir: string, flags: CloseFlags, command: Command) => close(io, dir, flags, command));
  review
    .command("verify")
    .description("recompute every hash of a campaign folder (and its signature); exit 1 naming the first file that differs")
    .argument("<dir>", "the campaign folder")
    .option("--public-key <file>", "Ed25519 public key (PEM): manifest.sig must be present and valid")
    .addHelpText("after", "\nExample:\n  $ sentry-rbac review verify review-2026-q1 --public-key review-key.pub.pem\n")
    .action((dir: string, flags: { publicKey?: string }, command: Command) => verify(io, dir, flags, command));
}
