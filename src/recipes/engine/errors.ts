// The engine's refusal: a plan refused as a whole (rails), a saved plan whose state changed (stale-plan), a token
// that cannot read or change access (token), something that is no plan (invalid-plan), or a change that cannot be
// undone (irreversible). Named after access as code, where users first meet it; every workflow on the engine throws it.
import { isSentryErrorOfKind, SentryError } from "../../http/errors/errors.js";

/** Why the engine refused to go on. */
export type AccessPlanErrorCode = "rails" | "stale-plan" | "token" | "invalid-plan" | "irreversible";

/**
 * Refusal of a plan or an apply: a safety rail broken (`rails`), a saved plan whose live state changed
 * (`stale-plan`), a token that cannot read or change access (`token`), a file that is no plan (`invalid-plan`), or
 * an undo asked of a change that cannot be undone (`irreversible`). Nothing was changed when a plan is refused.
 * @example
 * try { await applyAccessPlan(sentry, plan); }
 * catch (e) { if (isAccessPlanError(e) && e.code === "stale-plan") console.error("run plan again"); else throw e; }
 */
export class AccessPlanError extends SentryError {
  override readonly kind: "access-plan";
  readonly code: AccessPlanErrorCode;
  override readonly hint: string;

  constructor(code: AccessPlanErrorCode, message: string, hint: string) {
    super("access-plan", message, { hint });
    this.name = "AccessPlanError";
    this.kind = "access-plan";
    this.code = code;
    this.hint = hint;
  }
}

/**
 * True for an {@link AccessPlanError}, also across duplicate copies of the package.
 * @example if (isAccessPlanError(error)) process.exitCode = 6;
 */
export function isAccessPlanError(value: unknown): value is AccessPlanError {
  return isSentryErrorOfKind(value, "access-plan");
}
