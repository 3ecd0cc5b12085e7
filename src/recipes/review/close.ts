/**
 * `closeAccessReview`: checks the campaign folder and every decision before any request, plans the decisions as
 * engine changes (rails included), applies them with the engine's executor, reads the organization again into
 * `after.json`, judges each row from that re-read, and writes the report and the updated (optionally signed) manifest.
 */
import type { SentryClient } from "../../client.js";
import { applyAccessPlan, type AccessApplyReport } from "../access/apply.js";
import { AccessPlanError } from "../access/errors.js";
import { readLiveState } from "../access/live.js";
import { callerOf, tokenKindOf } from "../access/preflight.js";
import type { AccessChange, AccessPlan } from "../access/types.js";
import { readDecisions, type ReviewDecision } from "./decisions.js";
import { AccessReviewError } from "./errors.js";
import { manifestText, readCampaignFile, readManifest, REVIEW_FILES, sealOf, signManifest, writeSealed, type ReviewManifest } from "./manifest.js";
import { countOutcomes, judgeOutcomes, type ReviewOutcome, type ReviewOutcomeKind } from "./outcomes.js";
import { planReviewDecisions, type ReviewRails } from "./plan.js";
import { reportCsv, reportHtml } from "./report.js";
import { isPrivileged, takeReviewSnapshot, type ReviewActor, type ReviewSnapshot } from "./snapshot.js";

/** Options of {@link closeAccessReview}. */
export interface CloseAccessReviewOptions extends ReviewRails {
  /** The campaign folder `startAccessReview` wrote and reviewers filled in. */
  dir: string;
  /** Plan and stop: nothing is sent, nothing is written. */
  dryRun?: boolean;
  /** Called with the plan before anything is sent (also on a dry run and when a rail refuses it). */
  onPlan?: (plan: AccessPlan) => void;
  /** Asked before the first write when there is something to send; resolve false to stop with nothing changed. */
  confirm?: (plan: AccessPlan) => boolean | Promise<boolean>;
  /**
   * Re-read the organization right before the writes and refuse when it changed since the plan. Default: true when
   * `confirm` was asked (an answer may take a while), false otherwise.
   */
  checkFingerprint?: boolean;
  /** Ed25519 private key (PEM text) to sign `manifest.json` with, into `manifest.sig`. */
  signKey?: string;
  /** Writes sent at once (default 4; the client's limiter still applies). */
  concurrency?: number;
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: { change: AccessChange; status: "applied" | "failed" | "skipped"; done: number; total: number }) => void;
}

/** What {@link closeAccessReview} did. */
export interface CloseAccessReviewReport {
  dir: string;
  campaign: string;
  organization: string;
  dryRun: boolean;
  /** Declined at the confirmation: nothing was sent or written. */
  declined: boolean;
  plan: AccessPlan;
  apply: AccessApplyReport | undefined;
  outcomes: ReviewOutcome[];
  counts: Record<ReviewOutcomeKind, number>;
  /** Every decision verified by the re-read or left to the identity provider (the CLI's exit 0). */
  verified: boolean;
  manifest: ReviewManifest | undefined;
  signed: boolean;
  /** Requests of the close: reads (before and after) and writes. */
  requests: { reads: number; writes: number };
}

const HINT_TAMPERED = "Restore snapshot.json from the campaign's archive: decisions are only valid against the snapshot reviewers saw.";

async function readCampaign(dir: string): Promise<{ manifest: ReviewManifest; snapshot: ReviewSnapshot; decisionsText: string }> {
  const { manifest } = await readManifest(dir);
  if (manifest.closedAt !== undefined) {
    throw new AccessReviewError(
      "invalid-campaign",
      `the campaign in ${dir} was closed at ${manifest.closedAt}`,
      "Start a new campaign; a closed one is evidence and is never rewritten.",
    );
  }
  const snapshotBytes = await readCampaignFile(dir, REVIEW_FILES.snapshot);
  const sealed = manifest.files[REVIEW_FILES.snapshot];
  if (!sealed || sealed.sha256 !== sealOf(snapshotBytes).sha256) {
    throw new AccessReviewError("tampered", `${REVIEW_FILES.snapshot} differs from the hash in ${REVIEW_FILES.manifest}`, HINT_TAMPERED);
  }
  const snapshot = JSON.parse(snapshotBytes.toString("utf8")) as ReviewSnapshot;
  if (snapshot.kind !== "sentry-rbac.access-review-snapshot" || snapshot.organization !== manifest.organization) {
    throw new AccessReviewError("invalid-campaign", `${REVIEW_FILES.snapshot} is not the snapshot of ${manifest.organization}`, HINT_TAMPERED);
  }
  const decisionsText = (await readCampaignFile(dir, REVIEW_FILES.decisions)).toString("utf8");
  return { manifest, snapshot, decisionsText };
}

async function whoIsCalling(
  sentry: SentryClient,
): Promise<{ actor: ReviewActor; token: { kind: ReviewActor["tokenKind"]; scopes: string[]; userId: string | null } }> {
  const [kind, index] = await Promise.all([sentry.transport.config.readToken("api").then(tokenKindOf), sentry.whoami()]);
  const userId = index.user?.id === undefined ? null : String(index.user.id);
  const scopes = [...(index.auth?.scopes ?? [])].sort();
  return { actor: { tokenKind: kind, userId, email: index.user?.email ?? null, name: index.user?.name ?? null, scopes }, token: { kind, scopes, userId } };
}

/**
 * Closes an access review: applies the decisions of `decisions.csv` and proves them with a fresh read.
 * @example
 * const closed = await closeAccessReview(sentry, { dir: "review-2026-q1", signKey: readFileSync("review-key.pem", "utf8") });
 * console.log(closed.counts); // { kept: 41, revoked: 3, "role-changed": 1, "teams-removed": 2, "pending-idp": 1, failed: 0 }
 * if (!closed.verified) process.exitCode = 1;
 * @throws {AccessReviewError} before any request: `invalid-decision` (with `line`) for a row that cannot be acted
 *   on, `tampered` when snapshot.json differs from the manifest, `invalid-campaign`, `invalid-key`.
 * @throws {AccessPlanError} (`rails`) before any write when the decisions break a rail (the last owner, the removal limit).
 */
export async function closeAccessReview(sentry: SentryClient, options: CloseAccessReviewOptions): Promise<CloseAccessReviewReport> {
  const { dir } = options;
  const now = options.now ?? (() => new Date());
  const { manifest, snapshot, decisionsText } = await readCampaign(dir);
  const decisions: ReviewDecision[] = readDecisions(decisionsText, snapshot);
  // A bad key is refused now, not after the writes.
  if (options.signKey !== undefined) signManifest(Buffer.from("probe"), options.signKey);
  const org = sentry.withOrg(snapshot.organization);
  const [caller, live] = await Promise.all([whoIsCalling(org), readLiveState(org, { signal: options.signal })]);
  const planned = planReviewDecisions(decisions, snapshot, live, callerOf(caller.token, live), options, now());
  const { plan } = planned;
  options.onPlan?.(plan);
  const base = {
    dir,
    campaign: manifest.campaign,
    organization: manifest.organization,
    dryRun: options.dryRun === true,
    declined: false,
    plan,
    apply: undefined,
    outcomes: [],
    counts: countOutcomes([]),
    verified: false,
    manifest: undefined,
    signed: false,
    requests: { reads: live.stats.requests + 1, writes: 0 },
  };
  if (plan.violations.length > 0) {
    throw new AccessPlanError(
      "rails",
      `the decisions break a safety rail: ${plan.violations.map((v) => `${v.rail}: ${v.message}`).join("; ")}`,
      "Change the decisions (or the rail options) and close again; nothing was changed.",
    );
  }
  if (options.dryRun === true) return base;
  const asked = plan.changes.length > 0 && options.confirm !== undefined;
  if (asked && options.confirm && !(await options.confirm(plan))) return { ...base, declined: true };
  const applied = await applyAccessPlan(org, plan, {
    checkFingerprint: options.checkFingerprint ?? asked,
    concurrency: options.concurrency ?? 4,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const after = await takeReviewSnapshot(org, { campaign: snapshot.campaign, openMembership: snapshot.openMembership, now, signal: options.signal });
  const outcomes = judgeOutcomes(decisions, snapshot, after, planned, applied, isPrivileged);
  const closedAt = now().toISOString();
  const files = { ...manifest.files };
  files[REVIEW_FILES.decisions] = sealOf(decisionsText);
  files[REVIEW_FILES.plan] = await writeSealed(dir, REVIEW_FILES.plan, `${JSON.stringify({ plan, apply: applied }, null, 2)}\n`);
  files[REVIEW_FILES.after] = await writeSealed(dir, REVIEW_FILES.after, `${JSON.stringify(after, null, 2)}\n`);
  files[REVIEW_FILES.reportCsv] = await writeSealed(dir, REVIEW_FILES.reportCsv, reportCsv(outcomes));
  const closing: ReviewManifest = { ...manifest, closedAt, closedBy: caller.actor, files };
  // The page lists the hashes of every file before it (it cannot hold its own); the manifest then adds its hash.
  files[REVIEW_FILES.reportHtml] = await writeSealed(
    dir,
    REVIEW_FILES.reportHtml,
    reportHtml({ manifest: closing, snapshot, after, outcomes, closedAt, closedBy: caller.actor }),
  );
  const text = manifestText(closing);
  await writeSealed(dir, REVIEW_FILES.manifest, text);
  if (options.signKey !== undefined) await writeSealed(dir, REVIEW_FILES.signature, signManifest(Buffer.from(text, "utf8"), options.signKey));
  const counts = countOutcomes(outcomes);
  return {
    ...base,
    apply: applied,
    outcomes,
    counts,
    verified: counts.failed === 0,
    manifest: closing,
    signed: options.signKey !== undefined,
    requests: { reads: base.requests.reads + applied.requests.reads + after.stats.requests, writes: applied.requests.writes },
  };
}
