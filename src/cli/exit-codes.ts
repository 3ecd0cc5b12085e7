/**
 * Exit codes of `sentry-rbac`, stable so scripts can branch on them:
 *
 * | code | meaning |
 * |------|---------|
 * | 0 | success (also `--help`, `--version`, and a dry run) |
 * | 1 | runtime error or partial failure: some changes failed, a check found errors, Sentry or the network failed |
 * | 2 | usage error: unknown command or option, bad argument, conflicting flags, input Sentry rejected as invalid, a destructive command without `--yes` when stdin is not a terminal |
 * | 3 | authentication or permission: no token configured, 401, 403, or an operation that needs a browser session |
 * | 4 | not found: the organization, team, member or project does not exist (404) |
 * | 5 | `plan`: changes to apply, or changes the token cannot make (terraform's `-detailed-exitcode` 2) |
 * | 6 | refused, nothing changed: a plan breaks a safety rail, or a saved plan is stale (the organization changed) |
 *
 * Every SDK error kind maps to one of these ({@link EXIT_CODE_BY_KIND}; docs/errors.md lists the table).
 */
import { CommanderError } from "commander";
import { isSentryConfigError, isSentryError, type SentryError, type SentryErrorKind } from "../http/errors/errors.js";
import { isCliError } from "./errors.js";

import { ExitCode } from "./exit-code.js";

export { ExitCode } from "./exit-code.js";

/**
 * The exit code of every kind of SDK error (docs/errors.md has the same table). A `Record` over the kind union, so
 * a new kind does not compile until it has a code. Kinds whose code depends on a field are refined in
 * {@link exitCodeFor}: `config` (3 for the token options), `access-plan` (by `code`), `pagination` (a bad option is 2).
 */
export const EXIT_CODE_BY_KIND: Readonly<Record<SentryErrorKind, ExitCode>> = Object.freeze({
  config: ExitCode.usage,
  network: ExitCode.failure,
  timeout: ExitCode.failure,
  "session-required": ExitCode.auth,
  api: ExitCode.failure,
  authentication: ExitCode.auth,
  permission: ExitCode.auth,
  "not-found": ExitCode.notFound,
  conflict: ExitCode.failure,
  validation: ExitCode.usage,
  "rate-limit": ExitCode.failure,
  server: ExitCode.failure,
  response: ExitCode.failure,
  "limiter-unavailable": ExitCode.failure,
  "audit-checkpoint-busy": ExitCode.usage,
  "audit-redis-unavailable": ExitCode.failure,
  "access-review": ExitCode.usage,
  "csv-syntax": ExitCode.usage,
  pagination: ExitCode.failure,
  "access-plan": ExitCode.refused,
  "token-rotation": ExitCode.failure,
  "audit-export": ExitCode.failure,
  "audit-sink": ExitCode.failure,
  "audit-lease-lost": ExitCode.failure,
});

// Commander reports these through exitOverride although nothing went wrong.
const COMMANDER_SUCCESS = new Set(["commander.helpDisplayed", "commander.version"]);

/** The exit code of an SDK error: its kind's, refined by the fields that say more. */
function exitCodeOfSdkError(error: SentryError): ExitCode {
  const code = (error as { code?: unknown }).code;
  switch (error.kind) {
    case "config":
      // Options read from the environment are named like "SENTRY_AUTH_TOKEN (token)".
      return isSentryConfigError(error) && /(^|\()(token|scimToken)\)?$/.test(error.option) ? ExitCode.auth : ExitCode.usage;
    case "access-plan":
      // A refused or stale plan changed nothing (6); a token that cannot plan is an auth problem; no plan is usage.
      return code === "token" ? ExitCode.auth : code === "invalid-plan" ? ExitCode.usage : code === "irreversible" ? ExitCode.failure : ExitCode.refused;
    case "pagination":
      return code === "invalid-option" ? ExitCode.usage : ExitCode.failure;
    default:
      return EXIT_CODE_BY_KIND[error.kind] ?? ExitCode.failure;
  }
}

/**
 * The exit code for an error that ended a command.
 * @example process.exitCode = exitCodeFor(error);
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (isCliError(error)) return error.exitCode;
  if (error instanceof CommanderError) {
    return COMMANDER_SUCCESS.has(error.code) || error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isSentryError(error)) return exitCodeOfSdkError(error);
  return ExitCode.failure;
}
