/**
 * Errors the CLI raises itself, and how any error is shown: one line of what went wrong, then the hint.
 * Everything printed passes through redaction, so a token never reaches the terminal or a log file.
 */
import { isPermissionError, isSentryApiError } from "../http/errors.js";
import { REDACTED } from "../http/redact.js";
import type { ExitCode } from "./exit-codes.js";

const BRAND = Symbol.for("sentry-rbac.cli-error");

/** An error that ends a command with a chosen exit code and an optional hint. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  /** True when the command already reported the outcome: nothing more is printed. */
  readonly silent: boolean;
  declare readonly [BRAND]: true;

  /**
   * @example throw new CliError("2 of 5 members could not be removed", { exitCode: 1 });
   */
  constructor(message: string, options: { exitCode: ExitCode; hint?: string | undefined; silent?: boolean }) {
    super(message);
    this.name = new.target.name;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
    this.silent = options.silent === true;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
}

/**
 * The command line was wrong (exit 2).
 * @example throw new UsageError("--json and --csv cannot be combined");
 */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 2, hint });
  }
}

/**
 * Some of the work failed, or a check found errors (exit 1); the command already printed what did happen.
 * @example throw new PartialFailureError("1 of 3 teams could not be isolated");
 */
export class PartialFailureError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 1, hint });
  }
}

/**
 * Ends a command with a documented status it has already reported (e.g. `plan` found changes: exit 5).
 * @example throw new ExitStatus(ExitCode.changes, "3 changes planned");
 */
export class ExitStatus extends CliError {
  constructor(exitCode: ExitCode, message: string) {
    super(message, { exitCode, silent: true });
  }
}

// Sentry token prefixes (user, org auth, user-app, integration) and the legacy 64-hex form. The CLI masks
// these and the configured secrets only: the SDK's redactText also masks any word after "token", which would
// garble the CLI's own prose ("token scopes", "no --token flag").
const TOKEN_LIKE = /\bsntry[usai]_[A-Za-z0-9_+/=.-]{4,}|\b[a-f0-9]{64}\b/g;

/**
 * Masks the given secrets and anything shaped like a Sentry token in text about to be printed.
 * @example maskSecrets(`using ${token}`, [token]) // "using [REDACTED]"
 */
export function maskSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would mask innocent text; real tokens are long.
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  return out.replace(TOKEN_LIKE, REDACTED);
}

/** True for CliError and its subclasses. */
export function isCliError(error: unknown): error is CliError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

function headline(error: unknown): string {
  if (isSentryApiError(error)) {
    // The SDK's message repeats the hint in parentheses; the CLI prints it on its own line instead.
    const where = error.method ? `${error.status} ${error.method} ${error.path}: ` : "";
    return `${where}${error.detail}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The lines shown for an error: `error: …`, then `hint: …` and the scopes a 403 needed, all redacted.
 * @example formatError(err, [process.env.SENTRY_AUTH_TOKEN ?? ""]).join("\n")
 */
export function formatError(error: unknown, secrets: Iterable<string> = []): string[] {
  const known = [...secrets];
  const lines = [`error: ${headline(error)}`];
  const hint = isCliError(error) || isSentryApiError(error) ? error.hint : undefined;
  if (hint) lines.push(`hint: ${hint}`);
  if (isPermissionError(error) && error.requiredScopes.length > 0) {
    lines.push(`required scopes (any one): ${error.requiredScopes.join(", ")}`);
  }
  if (isSentryApiError(error) && error.requestId) lines.push(`request id: ${error.requestId}`);
  return lines.map((line) => maskSecrets(line, known));
}

/**
 * Writes an error and its hint to a stream.
 * @example printError(io.stderr, error, secrets);
 */
export function printError(stream: { write(chunk: string): void }, error: unknown, secrets: Iterable<string> = []): void {
  stream.write(`${formatError(error, secrets).join("\n")}\n`);
}
