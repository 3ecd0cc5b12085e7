/**
 * The one executor: runs a plan's changes in order, notes what was already done, skips what depends on a failed
 * change, and — for a run that must be all or nothing — undoes only what may have acted, newest first.
 *
 * Failure modes (`onFailure`):
 * - `continue`: a failed change is reported and independent changes go on (a re-run converges, every change being
 *   idempotent). Changes that need a team whose creation failed, and the removal of other teams' links to a project
 *   whose new link failed (which could leave the project with no team), are skipped.
 * - `stop`: the run ends at the first failure; what it applied is reported as `leftBehind` for a re-run to finish.
 * - `rollback`: the run ends at the first failure and undoes what it applied (and the failed change, when it may have
 *   acted); creates are exclusive, so an object someone else made in between is never undone.
 */
import type { SentryClient } from "../../client.js";
import { type RecipeStepError, stepError } from "../shared/report.js";
import { pool } from "../shared/pool.js";
import { type Change, phaseOf, type ReconcilePlan } from "./changes.js";
import { AccessPlanError } from "./errors.js";
import { type ChangeResult, mayHaveActed, sendChange, undoChange } from "./send.js";

/** One progress event: a change started, or how it ended, in the apply or the rollback phase. */
export interface ChangeProgress {
  phase: "apply" | "rollback";
  change: Change;
  status: "started" | "applied" | "failed" | "skipped" | "undone";
  /** Changes finished in this phase so far (before this one, for `started`). */
  done: number;
  total: number;
}

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  /** `phased` (default): by phase (teams, links, invites and roles, memberships, then reductions), changes of one phase at once; `as-given`: one at a time in plan order. */
  order?: "phased" | "as-given";
  /** Changes of one phase sent at once when `phased` (default 4; the client's limiter still applies). */
  concurrency?: number;
  /** What a failed change does to the rest of the run (default `continue`). */
  onFailure?: "continue" | "stop" | "rollback";
  /** Check the plan and the state, send nothing: every change is reported as skipped ("dry run"). */
  dryRun?: boolean;
  /**
   * Reads the state again and returns its fingerprint; the plan is refused (`stale-plan`) when it differs from
   * `plan.fingerprint`. Omitted: no check (a plan run in the same breath as it was computed).
   */
  currentFingerprint?: () => Promise<string>;
  /** Stops starting changes; in a `rollback` run, what was applied is undone (the undo itself is not aborted). */
  signal?: AbortSignal;
  onProgress?: (progress: ChangeProgress) => void;
}

/** An applied change, with a note when it was already done. */
export type AppliedChange = Change;

/** What a run did, change by change. */
export interface ExecutionReport {
  /** Applied changes in the order they finished; one found already done carries a `note`. */
  applied: AppliedChange[];
  /** Failures, forward (`apply`) and of undos (`rollback`). */
  failed: Array<RecipeStepError<Change>>;
  /** Changes not attempted, with the reason (a dry run, a failed dependency, an abort, an earlier failure). */
  skipped: Array<{ change: Change; reason: string }>;
  /** Changes undone after a failure, newest first. */
  rolledBack: Change[];
  /** Changes of this run still in effect after a failure: re-run the workflow to finish them. */
  leftBehind: Change[];
  /** What sending each applied change returned (member ids of invites), keyed by the plan's change. */
  results: Map<Change, ChangeResult>;
  /** The signal aborted the run before every change was started. */
  aborted: boolean;
  /** Requests the run sent for writes (reads for the fingerprint check are the caller's). */
  writes: number;
}

/**
 * Refuses a plan that breaks a safety rail, before anything is read or sent.
 * @example refuseBrokenRails(plan);
 * @throws {AccessPlanError} (`rails`) naming each rail and its numbers.
 */
export function refuseBrokenRails(plan: Pick<ReconcilePlan, "violations">): void {
  if (plan.violations.length === 0) return;
  throw new AccessPlanError(
    "rails",
    `the plan breaks a safety rail: ${plan.violations.map((v) => `${v.rail}: ${v.message}`).join("; ")}`,
    "Fix the file (or the policy) and plan again; nothing was changed.",
  );
}

/** Which changes wait on which: a team's create, a project's new link. */
class Dependencies {
  private readonly failedTeams = new Set<string>();
  private readonly failedLinks = new Set<string>();

  /** Why a change must not run, given what failed or was skipped so far; undefined when it may. */
  blockerOf(change: Change): string | undefined {
    if (change.kind !== "team" && change.team !== undefined && this.failedTeams.has(change.team)) return `team ${change.team} could not be created`;
    // Revoking other teams while the new owner's link is missing could leave the project with no team at all.
    if (change.kind === "project-team" && change.action === "remove" && change.project !== undefined && this.failedLinks.has(change.project)) {
      return `the owning team's access to ${change.project} failed`;
    }
    return undefined;
  }

  /** Records a change that did not happen. */
  missed(change: Change): void {
    if (change.kind === "team" && change.action === "create" && change.team !== undefined) this.failedTeams.add(change.team);
    if (change.kind === "project-team" && change.action === "add" && change.project !== undefined) this.failedLinks.add(change.project);
  }
}

function batchesOf(changes: readonly Change[], order: ExecuteOptions["order"]): Change[][] {
  if (order === "as-given") return [[...changes]];
  const phases = [...new Set(changes.map(phaseOf))].sort((a, b) => a - b);
  return phases.map((phase) => changes.filter((change) => phaseOf(change) === phase));
}

/**
 * Runs a plan: refuses broken rails and (with `currentFingerprint`) a stale plan before any write, then sends each
 * change in order.
 * @example
 * const report = await executePlan(sentry, plan, { currentFingerprint: async () => fingerprintOf(await readLiveState(sentry)) });
 * if (report.failed.length > 0) process.exitCode = 1;
 * @throws {AccessPlanError} before any write: `rails` for a refused plan, `stale-plan` when the state changed.
 */
export async function executePlan(sentry: SentryClient, plan: ReconcilePlan, options: ExecuteOptions = {}): Promise<ExecutionReport> {
  refuseBrokenRails(plan);
  if (options.currentFingerprint !== undefined && (await options.currentFingerprint()) !== plan.fingerprint) {
    throw new AccessPlanError(
      "stale-plan",
      "the organization changed since the plan was computed",
      "Run plan again and review the new plan; nothing was changed.",
    );
  }
  const report: ExecutionReport = { applied: [], failed: [], skipped: [], rolledBack: [], leftBehind: [], results: new Map(), aborted: false, writes: 0 };
  const emit = options.onProgress ?? (() => undefined);
  const total = plan.changes.length;
  let done = 0;
  const finish = (change: Change, status: ChangeProgress["status"]) => emit({ phase: "apply", change, status, done: ++done, total });
  if (options.dryRun === true) {
    for (const change of plan.changes) {
      report.skipped.push({ change, reason: "dry run" });
      finish(change, "skipped");
    }
    return report;
  }
  const mode = options.onFailure ?? "continue";
  const exclusive = mode === "rollback" || mode === "stop";
  const dependencies = new Dependencies();
  let failure: { change: Change; error: unknown } | undefined;
  const started = new Set<Change>();
  const order = options.order ?? "phased";
  for (const batch of batchesOf(plan.changes, order)) {
    await pool(batch, order === "as-given" ? 1 : (options.concurrency ?? 4), async (change) => {
      if (failure !== undefined && mode !== "continue") return;
      if (options.signal?.aborted) {
        report.aborted = true;
        return;
      }
      started.add(change);
      emit({ phase: "apply", change, status: "started", done, total });
      const blocker = dependencies.blockerOf(change);
      if (blocker !== undefined) {
        dependencies.missed(change);
        report.skipped.push({ change, reason: blocker });
        finish(change, "skipped");
        return;
      }
      try {
        report.writes++;
        const result = await sendChange(sentry, change, { exclusive });
        report.results.set(change, result);
        report.applied.push(result.note === undefined ? change : { ...change, note: result.note });
        finish(change, "applied");
      } catch (error) {
        dependencies.missed(change);
        report.failed.push(stepError(error, change, "apply"));
        finish(change, "failed");
        failure ??= { change, error };
      }
    });
  }
  for (const change of plan.changes) {
    if (!started.has(change)) report.skipped.push({ change, reason: report.aborted ? "aborted" : "not started: an earlier change failed" });
  }
  if (mode === "continue" || (failure === undefined && !report.aborted)) return report;
  // The applied changes in the order they were made; one found already done was not made by this run.
  const made = plan.changes.filter((change) => report.results.has(change) && report.results.get(change)?.note === undefined);
  if (mode === "stop") {
    report.leftBehind = made;
    return report;
  }
  await rollBack(sentry, report, made, failure, emit);
  return report;
}

async function rollBack(
  sentry: SentryClient,
  report: ExecutionReport,
  made: Change[],
  failure: { change: Change; error: unknown } | undefined,
  emit: (p: ChangeProgress) => void,
): Promise<void> {
  // The failed change may have taken effect (the answer can be lost after Sentry acted): then it is undone too.
  // A refusal (409, "already invited") proves the object is not ours, and it stays.
  const failed = failure !== undefined && mayHaveActed(failure.error) ? failure.change : undefined;
  const toUndo = [...(failed ? [failed] : []), ...[...made].reverse()];
  for (const [index, change] of toUndo.entries()) {
    emit({ phase: "rollback", change, status: "started", done: index, total: toUndo.length });
    try {
      await undoChange(sentry, change, report.results.get(change));
      if (change !== failed) report.rolledBack.push(change);
      emit({ phase: "rollback", change, status: "undone", done: index + 1, total: toUndo.length });
    } catch (error) {
      report.failed.push(stepError(error, change, "rollback"));
      if (change !== failed) report.leftBehind.push(change);
      emit({ phase: "rollback", change, status: "failed", done: index + 1, total: toUndo.length });
    }
  }
}
