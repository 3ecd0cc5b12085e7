/**
 * `recipes/review/`: access reviews — the findings of `accessReview`, and campaigns that prove themselves:
 * `startAccessReview` (snapshot, decisions sheet, manifest), `closeAccessReview` (decisions applied on the reconcile
 * engine, re-read, report, signed manifest), `verifyAccessReview` (hashes and signature recomputed).
 */
export { accessReview } from "./access-review.js";
export { closeAccessReview } from "./close.js";
export { CsvSyntaxError, isCsvSyntaxError, parseCsv } from "./csv.js";
export { DECISION_COLUMNS, parseReviewers } from "./decisions.js";
export { AccessReviewError, isAccessReviewError } from "./errors.js";
export { REVIEW_FILES } from "./manifest.js";
export { REPORT_COLUMNS } from "./report.js";
export { startAccessReview } from "./start.js";
export { verifyAccessReview } from "./verify.js";

export type { AccessFinding, AccessFindingKind, AccessReviewOptions, AccessReviewReport } from "./access-review.js";
export type { CloseAccessReviewOptions, CloseAccessReviewReport } from "./close.js";
export type { CsvRecord } from "./csv.js";
export type { ReviewDecision, ReviewDecisionKind, ReviewerMap } from "./decisions.js";
export type { AccessReviewErrorCode } from "./errors.js";
export type { FileSeal, ReviewManifest } from "./manifest.js";
export type { ReviewOutcome, ReviewOutcomeKind } from "./outcomes.js";
export type { ReviewRails } from "./plan.js";
export type { ReviewActor, ReviewMembership, ReviewProjectAccess, ReviewSnapshot, ReviewSubject, ReviewTeam, ReviewTokens } from "./snapshot.js";
export type { StartAccessReviewOptions, StartAccessReviewReport } from "./start.js";
export type { FileCheck, VerifyAccessReviewOptions, VerifyAccessReviewReport } from "./verify.js";
