/**
 * Errors the CLI raises itself, and how any error is shown: one line of what went wrong, then the hint.
 * Everything printed passes through redaction, so a token never reaches the terminal or a log file.
 */
import { isPermissionError, isSentryApiError, isSentryError } from "../http/errors/errors.js";
import { isIdpManagedRefusal } from "../http/errors/hints.js";
import { REDACTED } from "../http/errors/redact.js";
import { maskSentryTokens } from "../vocabulary/tokens.js";
import type { ExitCode } from "./exit-code.js";

const BRAND = Symbol.for("sentry-rbac.cli-error");

/** An error that ends a command with a chosen exit code and an optional hint. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  /** True when the command already reported the outcome: nothing more is printed. */
  readonly silent: boolean;
  /** @internal The cross-copy brand the `is*` guards read. */
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

// The CLI masks Sentry tokens by their format (src/vocabulary/tokens.ts) and the configured secrets by value: the
// SDK's redactText also masks any word after "Bearer", which would garble the CLI's own prose.

/**
 * Masks the given secrets and anything shaped like a Sentry token in text about to be printed. A secret is also
 * masked without the whitespace around it (the SDK trims an env value before sending it, so a server echoes the
 * trimmed form).
 * @example maskSecrets(`using ${token}`, [token]) // "using [REDACTED]"
 */
export function maskSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const raw of secrets) {
    for (const secret of new Set([raw, raw.trim()])) {
      // Very short values would mask innocent text; real tokens are long.
      if (secret.length >= 8) out = out.split(secret).join(REDACTED);
    }
  }
  return maskSentryTokens(out, REDACTED);
}

// C0 controls but newline and tab, a carriage return not ending a line (CSV's CRLF stays), DEL, the C1 controls
// (U+009B is a one-character CSI on some terminals) and the bidi overrides that make text read other than it is.
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

/**
 * Replaces terminal control characters with U+FFFD, so text from a server (an error detail, a team name) cannot
 * drive the terminal: no OSC 52 clipboard write, no screen clear, no rewritten line.
 * @example stripControl("ok\u001b]52;c;ZXZpbA==\u0007") // "ok\uFFFD]52;c;ZXZpbA==\uFFFD"
 */
export function stripControl(text: string): string {
  return text.replace(CONTROL, "\uFFFD");
}

/**
 * What the CLI may print: control characters replaced first (so none can split a token to dodge the mask), then
 * secrets masked.
 * @example io.stderr.write(printable(message, secretsOf(io.env)));
 */
export function printable(text: string, secrets: Iterable<string> = []): string {
  return maskSecrets(stripControl(text), secrets);
}

/** True for CliError and its subclasses. */
export function isCliError(error: unknown): error is CliError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

// The SDK speaks in options and method calls (`pass force: true`, `sentry.org.members.remove(36)`); a CLI user
// needs the flag, the environment variable or the command to run.
const CALLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsentry\.org\.members\.remove\((\w+)\)/g, "sentry-rbac members remove $1"],
  [/\bsentry\.org\.members\.addToTeam\((\w+), team\)/g, "sentry-rbac members add-to-team $1 TEAM"],
  [/\bsentry\.org\.members\.update\(id, \{ orgRole: "(\w+)" \}\)/g, "sentry-rbac members update ID --org-role $1"],
  [/\bsentry\.org\.projects\.addTeam\(project, "([^"]+)"\)/g, "sentry-rbac projects add-team PROJECT $1"],
  [/\bsentry\.org\.projects\.addTeam\("([^"]+)", team\)/g, "sentry-rbac projects add-team $1 TEAM"],
  [/\bsentry\.org\.authTokens\.delete\("([^"]+)"\)/g, "sentry-rbac tokens org delete $1"],
  [/\bsentry\.apiTokens\.delete\("([^"]+)"\)/g, "Settings > Account > Personal Tokens (token $1)"],
  [/\(sentry\.apiTokens\.rename \/ sentry\.org\.authTokens\.rename\)/g, "(sentry-rbac tokens org rename ID NAME, or Settings > Account > Personal Tokens)"],
  [/\brotateToken\(sentry, \{[^}]*current: \{ id: "([^"]+)" \}[^)]*\}\)/g, "sentry-rbac tokens rotate (token $1; see `sentry-rbac tokens rotate --help`)"],
  [/\bpass force: true\b/g, "pass --force"],
  [/\bpass it as scimToken or SENTRY_SCIM_TOKEN\b/g, "set SENTRY_SCIM_TOKEN"],
  [/\bPass scimToken \(or set SENTRY_SCIM_TOKEN\)/g, "Set SENTRY_SCIM_TOKEN"],
];

/**
 * Rewrites SDK calls and options in a message into the CLI's commands and flags.
 * @example cliWords("remove it (sentry.org.members.remove(36))") // "remove it (sentry-rbac members remove 36)"
 */
export function cliWords(text: string): string {
  return CALLS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

function pathnameOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function headline(error: unknown): string {
  if (isSentryApiError(error)) {
    // The SDK's message repeats the hint in parentheses; the CLI prints it on its own line instead.
    const where = error.method ? `${error.status} ${error.method} ${pathnameOf(error.url) ?? error.path}: ` : "";
    return `${where}${error.summary ?? error.detail}`;
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
  const head = headline(error);
  const lines = [`error: ${cliWords(head)}`];
  // Every SDK error carries a hint; one its message already ends with (a rotation's, a session-only call's) is not repeated.
  const hint = isCliError(error) || isSentryError(error) ? error.hint : undefined;
  if (hint && !head.includes(hint)) lines.push(`hint: ${cliWords(hint)}`);
  // A SCIM-managed object is refused whatever the scopes: listing them would send the reader after the token.
  if (isPermissionError(error) && error.requiredScopes.length > 0 && !isIdpManagedRefusal(error.status, error.detail)) {
    lines.push(`required scopes (any one): ${error.requiredScopes.join(", ")}`);
  }
  if (isSentryApiError(error) && error.requestId) lines.push(`request id: ${error.requestId}`);
  return lines.map((line) => printable(line, known));
}

/**
 * Writes an error and its hint to a stream.
 * @example printError(io.stderr, error, secrets);
 */
export function printError(stream: { write(chunk: string): void }, error: unknown, secrets: Iterable<string> = []): void {
  stream.write(`${formatError(error, secrets).join("\n")}\n`);
}
