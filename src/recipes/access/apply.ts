/**
 * `applyAccessPlan`: runs a plan on the engine's executor (recipes/engine/execute.ts) in its order — teams, project
 * links, invites and roles, memberships, then removals and demotions — each change idempotent (an existing team,
 * invite or link is success; a missing one on removal too), so after a fault or a kill at any step, `plan` + `apply`
 * converge. A saved plan is applied only when the live state it was computed from is unchanged (its fingerprint).
 */
import type { SentryClient } from "../../client.js";
import { AccessPlanError, isAccessPlanError } from "../engine/errors.js";
import { executePlan } from "../engine/execute.js";
import type { RecipeStepError } from "../shared/report.js";
import { fingerprintOf, readLiveState } from "./live.js";
import type { AccessChange, AccessPlan } from "./types.js";

/** Options of {@link applyAccessPlan}. */
export interface ApplyAccessOptions {
  /** Read (to check the fingerprint) but send no write. */
  dryRun?: boolean;
  /**
   * Re-read the organization and refuse when its fingerprint differs from the plan's (default true). Pass false
   * only for a plan computed a moment ago in the same process.
   */
  checkFingerprint?: boolean;
  /** Steps of one phase sent at once (default 4; the client's limiter still applies). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { change: AccessChange; status: "applied" | "failed" | "skipped"; done: number; total: number }) => void;
}

/** What an apply did, step by step. */
export interface AccessApplyReport {
  organization: string;
  dryRun: boolean;
  applied: AccessChange[];
  failed: Array<RecipeStepError<AccessChange>>;
  skipped: Array<{ change: AccessChange; reason: string }>;
  /** Requests sent by the apply: reads (fingerprint check) and writes. */
  requests: { reads: number; writes: number };
}

function isPlan(value: unknown): value is AccessPlan {
  const plan = value as Partial<AccessPlan> | null;
  return (
    typeof plan === "object" &&
    plan !== null &&
    plan.kind === "sentry-rbac.access-plan" &&
    plan.version === 1 &&
    typeof plan.organization === "string" &&
    typeof plan.fingerprint === "string" &&
    Array.isArray(plan.changes) &&
    Array.isArray(plan.violations)
  );
}

/**
 * Applies a plan from {@link planAccess} (or one saved with `plan --out` and read back with JSON.parse).
 * @example
 * const plan = JSON.parse(readFileSync("plan.json", "utf8"));
 * const report = await applyAccessPlan(sentry, plan);
 * if (report.failed.length > 0) process.exitCode = 1;
 * @throws {AccessPlanError} before any write: `rails` for a refused plan, `stale-plan` when the organization changed
 *   since the plan was computed, `invalid-plan` for something that is no plan.
 */
export async function applyAccessPlan(sentry: SentryClient, plan: AccessPlan, options: ApplyAccessOptions = {}): Promise<AccessApplyReport> {
  if (!isPlan(plan))
    throw new AccessPlanError(
      "invalid-plan",
      "this is not a sentry-rbac access plan",
      "Pass the output of planAccess or of `sentry-rbac plan --out plan.json`.",
    );
  const org = sentry.withOrg(plan.organization);
  const requests = { reads: 0, writes: 0 };
  const currentFingerprint =
    options.checkFingerprint === false
      ? undefined
      : async () => {
          const live = await readLiveState(org, { signal: options.signal });
          requests.reads += live.stats.requests;
          return fingerprintOf(live);
        };
  let executed;
  try {
    executed = await executePlan(org, plan, {
      dryRun: options.dryRun,
      concurrency: options.concurrency,
      signal: options.signal,
      currentFingerprint,
      onProgress: ({ phase, change, status, done, total }) => {
        if (phase === "apply" && (status === "applied" || status === "failed" || status === "skipped")) options.onProgress?.({ change, status, done, total });
      },
    });
  } catch (error) {
    // The engine's stale-plan refusal, told in access's words (which organization, when the plan was made).
    if (isAccessPlanError(error) && error.code === "stale-plan") {
      throw new AccessPlanError("stale-plan", `${plan.organization} changed since the plan was computed (${plan.createdAt})`, error.hint);
    }
    throw error;
  }
  // An aborted apply ends as the signal says; what it did is in the organization, and a new plan shows the rest.
  if (executed.aborted) options.signal?.throwIfAborted();
  requests.writes = executed.writes;
  return {
    organization: plan.organization,
    dryRun: options.dryRun === true,
    applied: executed.applied,
    failed: executed.failed,
    skipped: executed.skipped,
    requests,
  };
}
