/**
 * `applyAccessPlan`: executes a plan in its order — teams, project links, invites and roles, memberships, then
 * removals and demotions — each step idempotent (an existing team, invite or link is success; a missing one on
 * removal too), so after a fault or a kill at any step, `plan` + `apply` converge. A saved plan is applied only
 * when the live state it was computed from is unchanged (its fingerprint).
 */
import type { SentryClient } from "../../client.js";
import { isConflictError, isNotFoundError } from "../../http/errors.js";
import { typedApi } from "../../http/typed-api.js";
import { type RecipeStepError, stepError } from "../recipe-report.js";
import { AccessPlanError, isAccessPlanError } from "./errors.js";
import { fingerprintOf, pool, readLiveState } from "./live.js";
import { phaseOf } from "./plan.js";
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

const MEMBER = "/api/0/organizations/{organization_id_or_slug}/members/{member_id}/";

/** Sends one step; resolves with a note when the step was already done. */
async function send(sentry: SentryClient, change: AccessChange): Promise<string | undefined> {
  const { org } = sentry;
  const team = change.team ?? "";
  const id = change.memberId ?? "";
  switch (`${change.kind}:${change.action}`) {
    case "team:create": {
      const { created } = await org.teams.ensure({ slug: team, name: change.name ?? team });
      return created ? undefined : "the team existed already";
    }
    case "team:update":
      await org.teams.update(team, { name: change.name ?? team });
      return undefined;
    case "team:delete":
      return org.teams.delete(team).then(() => undefined, (e: unknown) => (isNotFoundError(e) ? "the team was gone already" : Promise.reject(e)));
    case "project-team:add":
      await org.projects.addTeam(change.project ?? "", team);
      return undefined;
    case "project-team:remove":
      return (await org.projects.removeTeam(change.project ?? "", team, { ifPresent: true })).removed ? undefined : "the link was gone already";
    case "member:invite":
      try {
        await org.members.invite({ email: change.email ?? "", orgRole: (change.to ?? "member") as "member", teamRoles: change.teamRoles ?? [] });
        return undefined;
      } catch (error) {
        // A retried or interrupted run: the person is invited (or joined) already.
        if (isConflictError(error)) return "already invited or a member";
        throw error;
      }
    case "member:reinvite":
      await typedApi(sentry.transport).PUT(MEMBER, {
        params: { path: { organization_id_or_slug: org.slug ?? "", member_id: id } },
        body: { reinvite: true, regenerate: true },
      });
      return undefined;
    case "member:update":
      await org.members.update(id, { orgRole: (change.to ?? "member") as "member", ...(change.teamRoles ? { teamRoles: change.teamRoles } : {}) });
      return undefined;
    case "member:remove":
      return org.members.remove(id).then(() => undefined, (e: unknown) => (isNotFoundError(e) ? "the member was gone already" : Promise.reject(e)));
    case "team-member:add": {
      const { status } = await org.members.addToTeam(id, team);
      if (status === "requested") throw new AccessPlanError("token", `Sentry filed an access request for ${change.subject} instead of adding the member`, "Use a token whose user may add others to the team.");
      return status === "already-member" ? "already on the team" : undefined;
    }
    case "team-member:update":
      await org.members.setTeamRole(id, team, (change.to ?? "contributor") as "contributor");
      return undefined;
    case "team-member:remove":
      return (await org.members.removeFromTeam(id, team, { ifPresent: true })).removed ? undefined : "not on the team any more";
    default:
      throw new AccessPlanError("invalid-plan", `unknown step ${change.kind} ${change.action}`, "Compute the plan with this version of sentry-rbac.");
  }
}

function isPlan(value: unknown): value is AccessPlan {
  const plan = value as Partial<AccessPlan> | null;
  return typeof plan === "object" && plan !== null && plan.kind === "sentry-rbac.access-plan" && plan.version === 1 &&
    typeof plan.organization === "string" && typeof plan.fingerprint === "string" && Array.isArray(plan.changes) && Array.isArray(plan.violations);
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
  if (!isPlan(plan)) throw new AccessPlanError("invalid-plan", "this is not a sentry-rbac access plan", "Pass the output of planAccess or of `sentry-rbac plan --out plan.json`.");
  if (plan.violations.length > 0) {
    throw new AccessPlanError("rails", `the plan breaks a safety rail: ${plan.violations.map((v) => `${v.rail}: ${v.message}`).join("; ")}`,
      "Fix the file (or the policy) and plan again; nothing was changed.");
  }
  const org = sentry.withOrg(plan.organization);
  const report: AccessApplyReport = { organization: plan.organization, dryRun: options.dryRun === true, applied: [], failed: [], skipped: [], requests: { reads: 0, writes: 0 } };
  if (options.checkFingerprint !== false) {
    const live = await readLiveState(org, { signal: options.signal });
    report.requests.reads += live.stats.requests;
    if (fingerprintOf(live) !== plan.fingerprint) {
      throw new AccessPlanError("stale-plan", `${plan.organization} changed since the plan was computed (${plan.createdAt})`, "Run plan again and review the new plan; nothing was changed.");
    }
  }
  const total = plan.changes.length;
  let done = 0;
  const progress = (change: AccessChange, status: "applied" | "failed" | "skipped") => options.onProgress?.({ change, status, done: ++done, total });
  if (report.dryRun) {
    for (const change of plan.changes) {
      report.skipped.push({ change, reason: "dry run" });
      progress(change, "skipped");
    }
    return report;
  }
  const failedTeams = new Set<string>();
  const phases = [...new Set(plan.changes.map(phaseOf))].sort((a, b) => a - b);
  for (const phase of phases) {
    const steps = plan.changes.filter((change) => phaseOf(change) === phase);
    await pool(steps, options.concurrency ?? 4, async (change) => {
      if (change.kind !== "team" && change.team !== undefined && failedTeams.has(change.team)) {
        report.skipped.push({ change, reason: `team ${change.team} could not be created` });
        progress(change, "skipped");
        return;
      }
      try {
        report.requests.writes++;
        const note = await send(org, change);
        report.applied.push(note === undefined ? change : { ...change, note });
        progress(change, "applied");
      } catch (error) {
        if (change.kind === "team" && change.action === "create" && change.team !== undefined) failedTeams.add(change.team);
        // Our own refusals (an access request filed instead of a membership) carry a safe message of their own.
        report.failed.push(isAccessPlanError(error) ? { step: change, phase: "apply", message: error.message, status: undefined, kind: "access-plan" } : stepError(error, change, "apply"));
        progress(change, "failed");
      }
    }, options.signal);
  }
  return report;
}
