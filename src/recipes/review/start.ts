/**
 * `startAccessReview`: opens a campaign folder with the snapshot, the decisions sheet for reviewers, and the
 * manifest that seals both.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { SentryClient } from "../../client.js";
import type { TokenRecord } from "../tokens/types.js";
import { decisionsCsv, type ReviewerMap } from "./decisions.js";
import { AccessReviewError } from "./errors.js";
import { manifestText, newManifest, REVIEW_FILES, writeSealed, type ReviewManifest } from "./manifest.js";
import { isPrivileged, takeReviewSnapshot, type ReviewSnapshot } from "./snapshot.js";

/** Options of {@link startAccessReview}. */
export interface StartAccessReviewOptions {
  /** The campaign folder; created if missing, refused if it already holds a campaign. */
  out: string;
  /** The campaign's name (default: `<org> access review <date>`). */
  name?: string;
  /** Team slug (or `*`) → reviewer email, to pre-fill the `reviewer` column (see `parseReviewers`). */
  reviewers?: ReviewerMap;
  /** Token records exported from Sentry's settings page; without them the snapshot says the API cannot list tokens. */
  tokens?: readonly TokenRecord[];
  /** The organization has open membership: every member reaches every project. */
  openMembership?: boolean;
  /** The clock (tests). */
  now?: () => Date;
  signal?: AbortSignal;
  /** Team member lists read at once (default 16; the client's limiter still applies). */
  concurrency?: number;
}

/** What {@link startAccessReview} wrote. */
export interface StartAccessReviewReport {
  dir: string;
  campaign: string;
  organization: string;
  takenAt: string;
  subjects: number;
  invites: number;
  privileged: number;
  teams: number;
  /** Requests the snapshot read took. */
  requests: number;
  manifest: ReviewManifest;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Starts an access review: reads the organization once and writes `snapshot.json`, `decisions.csv` (one row per
 * member or invite, `reviewer` pre-filled, `decision` empty) and `manifest.json` (SHA-256 of each) into `out`.
 * @example
 * const reviewers = parseReviewers(readFileSync("reviewers.yaml", "utf8"));
 * const started = await startAccessReview(sentry, { out: "review-2026-q1", name: "2026 Q1", reviewers });
 * console.log(`${started.subjects} subjects to review in ${started.dir}/decisions.csv`);
 * @throws {AccessReviewError} (`invalid-campaign`) when `out` already holds a campaign.
 * @throws {PermissionError} when the token may not list members or teams.
 */
export async function startAccessReview(sentry: SentryClient, options: StartAccessReviewOptions): Promise<StartAccessReviewReport> {
  const { out } = options;
  if (await exists(join(out, REVIEW_FILES.manifest))) {
    throw new AccessReviewError(
      "invalid-campaign",
      `${out} already holds a review campaign`,
      "Start each campaign in a new folder; an old one is evidence and is never overwritten.",
    );
  }
  const now = options.now ?? (() => new Date());
  const snapshot: ReviewSnapshot = await takeReviewSnapshot(sentry, {
    campaign: options.name,
    tokens: options.tokens,
    openMembership: options.openMembership,
    now,
    signal: options.signal,
    concurrency: options.concurrency,
  });
  const files = {
    [REVIEW_FILES.snapshot]: await writeSealed(out, REVIEW_FILES.snapshot, `${JSON.stringify(snapshot, null, 2)}\n`),
    [REVIEW_FILES.decisions]: await writeSealed(out, REVIEW_FILES.decisions, decisionsCsv(snapshot, options.reviewers ?? {})),
  };
  const manifest = newManifest({
    campaign: snapshot.campaign,
    organization: snapshot.organization,
    startedAt: snapshot.takenAt,
    startedBy: snapshot.takenBy,
    files,
  });
  await writeSealed(out, REVIEW_FILES.manifest, manifestText(manifest));
  return {
    dir: out,
    campaign: snapshot.campaign,
    organization: snapshot.organization,
    takenAt: snapshot.takenAt,
    subjects: snapshot.subjects.length,
    invites: snapshot.subjects.filter((s) => s.pending).length,
    privileged: snapshot.subjects.filter((s) => isPrivileged(s) && !s.pending).length,
    teams: snapshot.teams.length,
    requests: snapshot.stats.requests,
    manifest,
  };
}
