// What `plan` and `apply` share: reading access files and saved plans, and turning refusals into exit statuses.
import { describeChange, isAccessFileError, isAccessPlanError, parseAccessConfig } from "../../recipes/access/index.js";
import type { AccessConfig, AccessPlan } from "../../recipes/access/index.js";
import type { CommandContext } from "../context.js";
import { CliError, PartialFailureError, UsageError } from "../errors.js";
import { ExitCode, exitCodeFor } from "../exit-codes.js";
import { readInputFile } from "./isolate.js";

const SCHEMA_HINT = "`sentry-rbac schema` prints the JSON Schema of the file.";
const FILE_HINT = "Pass an access file (YAML or JSON; `sentry-rbac schema` prints its JSON Schema) or a plan saved with `plan --out`.";

/** An input of `plan`/`apply`: an access file, or saved plans. */
export type AccessInput = { file: string; config: AccessConfig } | { file: string; plans: AccessPlan[] };

function savedPlans(text: string): AccessPlan[] | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    const list = Array.isArray(value) ? value : [value];
    const isPlan = (v: unknown) => typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "sentry-rbac.access-plan";
    return list.length > 0 && list.every(isPlan) ? (list as AccessPlan[]) : undefined;
  } catch {
    return undefined; // not JSON: parseAccessConfig reports the position
  }
}

/**
 * Reads one file: saved plans when it holds them (and they are allowed), else an access file.
 * @example const input = await readAccessInput(ctx, "sentry-access.yaml", { plans: false });
 * @throws UsageError (exit 2) when the file cannot be read or is invalid, naming line and column.
 */
export async function readAccessInput(ctx: CommandContext, file: string, options: { plans: boolean }): Promise<AccessInput> {
  const text = await readInputFile(ctx, file, FILE_HINT);
  const plans = options.plans ? savedPlans(text) : undefined;
  if (plans) return { file, plans };
  try {
    return { file, config: parseAccessConfig(text) };
  } catch (error) {
    throw cliErrorFor(error, file);
  }
}

/**
 * An access-as-code error as the CLI reports it: a fault of `file` (invalid, or a reference to nothing) exits 2
 * naming the file, refusals exit 6, token problems 3; anything else is returned as it is.
 * @example catch (error) { throw cliErrorFor(error, "sentry-access.yaml"); }
 */
export function cliErrorFor(error: unknown, file?: string): unknown {
  if (isAccessFileError(error)) {
    const hint = error.detail.startsWith("invalid")
      ? SCHEMA_HINT
      : "Correct the file: a project must exist in Sentry; a team or member must exist in the file or in Sentry.";
    return new UsageError(`${file ?? "access file"}: ${error.detail}`, hint);
  }
  if (!isAccessPlanError(error)) return error;
  return new CliError(error.message, { exitCode: exitCodeFor(error), hint: error.hint });
}

/**
 * The client bound to each organization, sharing one transport (and so one limiter).
 * @example const sentry = orgClient(ctx, "acme");
 */
export function orgClient(ctx: CommandContext, org: string) {
  return ctx.client().withOrg(org);
}

/**
 * The refusal of plans that break a safety rail (exit 6), saying for each organization which rail, the numbers, and
 * the next step (the policy key to change, or how to split the change); undefined when none is refused.
 * @example const refusal = railRefusal(plans, "nothing was changed"); if (refusal) throw refusal;
 */
export function railRefusal(plans: readonly AccessPlan[], outcome?: string): CliError | undefined {
  const refused = plans.filter((p) => p.violations.length > 0);
  if (refused.length === 0) return undefined;
  const lines = refused.map((plan) => {
    const [only, ...more] = plan.violations;
    const rails = more.length === 0 && only ? `${only.rail}: ${only.message}` : plan.violations.map((v) => `\n  ${v.rail}: ${v.message}`).join("");
    return `refused by the safety rails (${plan.organization}): ${rails}`;
  });
  const hints = [...new Set(refused.flatMap((plan) => plan.violations.flatMap((v) => (v.hint ? [v.hint] : []))))];
  const message = `${lines.join("\n")}${outcome ? `\n${outcome}` : ""}`;
  return new CliError(message, { exitCode: ExitCode.refused, hint: hints.join(" ") || undefined });
}

/**
 * The failure (exit 1) of an apply whose plans had blocked changes: the others were made; these need a token that
 * can make them (or a file that does not ask for them). Undefined when nothing was blocked.
 * @example const blocked = blockedFailure(plans); if (blocked) throw blocked;
 */
export function blockedFailure(plans: readonly AccessPlan[]): PartialFailureError | undefined {
  const blocked = plans.flatMap((plan) => plan.blocked);
  if (blocked.length === 0) return undefined;
  const lines = blocked.map((b) => `  ! ${describeChange({ ...b, reason: "" }).slice(2)}: ${b.reason}`);
  const count = blocked.length === 1 ? "1 change was" : `${blocked.length} changes were`;
  return new PartialFailureError(
    `${count} blocked and not applied (the token cannot make ${blocked.length === 1 ? "it" : "them"}):\n${lines.join("\n")}`,
    "Apply with a token whose user and scopes allow these changes (`sentry-rbac whoami` shows its role and scopes), or change the file so it does not ask for them.",
  );
}
