// The one error class of review campaigns: a folder, a decision or a key that cannot be used. Nothing was changed
// in Sentry when it is thrown.

import { isSentryErrorOfKind, SentryError } from "../../http/errors/errors.js";

/** Why a review campaign refused to go on. */
export type AccessReviewErrorCode = "invalid-campaign" | "invalid-decision" | "tampered" | "invalid-key";

/**
 * Refusal of a campaign step before any request: a folder that is no campaign (`invalid-campaign`), a row of
 * `decisions.csv` that cannot be acted on (`invalid-decision`, with its `line`), a snapshot whose hash differs from
 * the manifest (`tampered`), or a signing or public key that is not Ed25519 (`invalid-key`).
 * @example
 * try { await closeAccessReview(sentry, { dir: "review-2026-q1" }); }
 * catch (e) { if (isAccessReviewError(e) && e.line !== undefined) console.error(`fix decisions.csv line ${e.line}`); else throw e; }
 */
export class AccessReviewError extends SentryError {
  override readonly kind: "access-review";
  readonly code: AccessReviewErrorCode;
  override readonly hint: string;
  /** The line of `decisions.csv` at fault, for `invalid-decision`. */
  readonly line: number | undefined;

  constructor(code: AccessReviewErrorCode, message: string, hint: string, line?: number) {
    super("access-review", message, { hint });
    this.name = "AccessReviewError";
    this.kind = "access-review";
    this.code = code;
    this.hint = hint;
    this.line = line;
  }
}

/**
 * True for an {@link AccessReviewError}, also across duplicate copies of the package.
 * @example if (isAccessReviewError(error)) process.exitCode = 2;
 */
export function isAccessReviewError(value: unknown): value is AccessReviewError {
  return isSentryErrorOfKind(value, "access-review");
}
