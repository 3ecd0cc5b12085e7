// How the state-changing workflows report a failed step and announce progress. Errors are reduced to
// already-redacted fields, so a report can be logged or stored as JSON without carrying a token or a raw response
// body. (The clock lives in clock.ts and teamExists in team-exists.ts.)
import { isSentryApiError, isSentryError } from "../../http/errors/errors.js";

/** A failed step: what was attempted and why it failed (message already redacted by the SDK's errors). */
export interface RecipeStepError<Step> {
  /** The step that failed; undefined for a failure outside any single step (e.g. reading the plan). */
  step: Step | undefined;
  /** `apply` for the forward run, `rollback` for an undo that failed. */
  phase: "apply" | "rollback";
  message: string;
  /** HTTP status when Sentry answered. */
  status: number | undefined;
  /** The SDK error kind (`server`, `network`, `permission`...), or `error` for anything else. */
  kind: string;
}

/** One progress notification: the phase, the step, and how far along the phase is. */
export interface RecipeProgress<Step> {
  phase: "plan" | "apply" | "rollback";
  step: Step | undefined;
  done: number;
  total: number;
}

/** Builds the report entry of a failed step. */
export function stepError<Step>(error: unknown, step: Step | undefined, phase: "apply" | "rollback"): RecipeStepError<Step> {
  const status = isSentryApiError(error) ? error.status : undefined;
  const kind = isSentryError(error) ? error.kind : "error";
  // Only SDK errors are known to be redacted; anything else is described by its class, never its text.
  const message = isSentryError(error) ? error.message : error instanceof Error ? `${error.name} (not from the SDK)` : "unknown failure";
  return { step, phase, message, status, kind };
}

export { resolveNow, type NowOption } from "./clock.js";
