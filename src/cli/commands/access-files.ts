// What `plan` and `apply` share: reading access files and saved plans, and turning refusals into exit statuses.
import { isValidationError } from "../../http/errors/index.js";
import { isAccessPlanError, parseAccessConfig } from "../../recipes/access/index.js";
import type { AccessConfig, AccessPlan } from "../../recipes/access/index.js";
import type { CommandContext } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { readInputFile } from "./isolate.js";

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
    if (isValidationError(error)) throw new UsageError(`${file}: ${error.detail}`, "`sentry-rbac schema` prints the JSON Schema of the file.");
    throw error;
  }
}

/**
 * An AccessPlanError as the CLI reports it: refusals exit 6, token problems 3; anything else is rethrown.
 * @example catch (error) { throw cliErrorFor(error); }
 */
export function cliErrorFor(error: unknown): unknown {
  if (!isAccessPlanError(error)) return error;
  const exitCode = error.code === "token" ? ExitCode.auth : error.code === "invalid-plan" ? ExitCode.usage : ExitCode.refused;
  return new CliError(error.message, { exitCode, hint: error.hint });
}

/**
 * The client bound to each organization, sharing one transport (and so one limiter).
 * @example const sentry = orgClient(ctx, "acme");
 */
export function orgClient(ctx: CommandContext, org: string) {
  return ctx.client().withOrg(org);
}
