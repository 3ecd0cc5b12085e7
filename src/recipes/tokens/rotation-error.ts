// How a failed rotation step is reported: errors that can be logged without carrying a token value.
import { isSentryApiError, isSentryError, isSentryErrorOfKind, SentryError } from "../../http/errors/errors.js";
import { redactText } from "../../http/errors/redact.js";
import type { RotationReport, RotationStep } from "./types.js";

/** What one failed step is reported as: SDK errors keep their (already redacted) message, others only their class. */
export interface FailureSummary {
  message: string;
  kind: string;
  status: number | undefined;
}

/** Describes an error without letting `secrets` (or any token-looking text) through. */
export function summarise(error: unknown, secrets: readonly string[]): FailureSummary {
  const status = isSentryApiError(error) ? error.status : undefined;
  if (isSentryError(error)) return { message: redactText(error.message, secrets), kind: error.kind, status };
  const text = error instanceof Error ? `${error.name}: ${error.message}` : "non-Error value thrown";
  return { message: redactText(text, secrets), kind: "callback", status };
}

/**
 * A rotation step failed. `report` says what was done and undone; `step` which step failed. The underlying error is
 * kept as `cause` only when it is an SDK error (already redacted); a caller's own error is reduced to its redacted
 * message, because `publish` or `mint` might have put the token value into it.
 * @example
 * try { await rotateToken(sentry, options); }
 * catch (e) { if (isTokenRotationError(e)) console.error(e.step, e.report.rolledBack); }
 */
export class TokenRotationError extends SentryError {
  override readonly kind: "token-rotation";
  readonly step: RotationStep;
  readonly report: RotationReport;
  readonly failure: FailureSummary;
  override readonly hint: string;

  constructor(step: RotationStep, failure: FailureSummary, report: RotationReport, cause: unknown, hintOverride?: string) {
    const hint =
      hintOverride ??
      (report.revoked
        ? "The successor is published and the old token is revoked; fix the cause, then re-run to clean up."
        : report.rolledBack
          ? "Nothing changed: the successor was deleted again and the current token still works. Fix the cause and re-run."
          : "The current token still works. Re-run to finish: a leftover successor is found by name and replaced.");
    super("token-rotation", `token rotation failed at ${step}: ${failure.message}. ${hint}`, { cause: isSentryError(cause) ? cause : undefined, hint });
    this.name = "TokenRotationError";
    this.kind = "token-rotation";
    this.step = step;
    this.report = report;
    this.failure = failure;
    this.hint = hint;
  }
}

/**
 * True for a {@link TokenRotationError}, also across duplicate copies of the package.
 * @example catch (e) { if (isTokenRotationError(e)) console.error(e.step, e.hint); }
 */
export function isTokenRotationError(value: unknown): value is TokenRotationError {
  return isSentryErrorOfKind(value, "token-rotation");
}
