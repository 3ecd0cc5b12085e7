// What the state-changing recipes of part 2 (contractor teams, team isolation) share: how a failed step is
// reported, how progress is announced, and the clock. Errors are reduced to already-redacted fields, so a
// report can be logged or stored as JSON without carrying a token or a raw response body.
import type { SentryClient } from "../../client.js";
import { isNotFoundError, isSentryApiError, isSentryError } from "../../http/errors/index.js";

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

/** `now` as recipes accept it: a Date, an ISO string, or a clock function; default the system clock. */
export type NowOption = Date | string | (() => Date);

/** Resolves a {@link NowOption} to a Date. */
export function resolveNow(now: NowOption | undefined): Date {
  if (now === undefined) return new Date();
  const value = typeof now === "function" ? now() : now instanceof Date ? now : new Date(now);
  return value;
}

/**
 * Whether a team exists: a read that treats 404 as "no", any other failure as an error.
 * @example if (!(await teamExists(sentry, "contractors-q1"))) steps.push({ action: "create-team", team: "contractors-q1" });
 */
export async function teamExists(sentry: SentryClient, slug: string): Promise<boolean> {
  try {
    await sentry.org.teams.get(slug);
    return true;
  } catch (error) {
    if (isNotFoundError(error)) return false;
    throw error;
  }
}
