// The one error class of access as code: a plan refused as a whole, a stale saved plan, a token that cannot plan.

const BRAND = Symbol.for("sentry-rbac.access-plan-error");

/** Why access as code refused to go on. */
export type AccessPlanErrorCode = "rails" | "stale-plan" | "token" | "invalid-plan";

/**
 * Refusal of a plan or an apply: a safety rail broken (`rails`), a saved plan whose live state changed
 * (`stale-plan`), a token that cannot read or change access (`token`), or a file that is no plan (`invalid-plan`).
 * Nothing was changed when it is thrown.
 * @example
 * try { await applyAccessPlan(sentry, plan); }
 * catch (e) { if (isAccessPlanError(e) && e.code === "stale-plan") console.error("run plan again"); else throw e; }
 */
export class AccessPlanError extends Error {
  readonly kind: "access-plan";
  readonly code: AccessPlanErrorCode;
  readonly hint: string;
  /** @internal The cross-copy brand the `is*` guards read. */
  declare readonly [BRAND]: true;

  constructor(code: AccessPlanErrorCode, message: string, hint: string) {
    super(message);
    this.name = "AccessPlanError";
    this.kind = "access-plan";
    this.code = code;
    this.hint = hint;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
}

/**
 * True for an {@link AccessPlanError}, also across duplicate copies of the package.
 * @example if (isAccessPlanError(error)) process.exitCode = 6;
 */
export function isAccessPlanError(value: unknown): value is AccessPlanError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
