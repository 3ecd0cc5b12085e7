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
 */
import { CommanderError } from "commander";
import { isSentryConfigError, isSentryError } from "../http/errors/index.js";
import { isCliError } from "./errors.js";

/** Names for the exit codes; see the table above. */
export const ExitCode = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  changes: 5,
  refused: 6,
} as const);

/** One of the documented exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// Commander reports these through exitOverride although nothing went wrong.
const COMMANDER_SUCCESS = new Set(["commander.helpDisplayed", "commander.version"]);

/**
 * The exit code for an error that ended a command.
 * @example process.exitCode = exitCodeFor(error);
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (isCliError(error)) return error.exitCode;
  if (error instanceof CommanderError) {
    return COMMANDER_SUCCESS.has(error.code) || error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isSentryConfigError(error)) {
    // Options read from the environment are named like "SENTRY_AUTH_TOKEN (token)".
    return /(^|\()(token|scimToken)\)?$/.test(error.option) ? ExitCode.auth : ExitCode.usage;
  }
  if (isSentryError(error)) {
    switch (error.kind) {
      case "authentication":
      case "permission":
      case "session-required":
        return ExitCode.auth;
      case "not-found":
        return ExitCode.notFound;
      case "validation":
        return ExitCode.usage;
      default:
        return ExitCode.failure;
    }
  }
  return ExitCode.failure;
}
