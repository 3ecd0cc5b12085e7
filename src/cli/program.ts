/**
 * The `sentry-rbac` command tree: global flags, help, error routing and exit codes. Commands live one per file
 * in ./commands and are listed once in ./commands/index.ts.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands/index.js";
import { secretsOf } from "./context.js";
import { toCliError } from "./config-errors.js";
import { isCliError, printable, printError, UsageError } from "./errors.js";
import { exitCodeFor } from "./exit-codes.js";
import type { CliIo } from "./io.js";

const AFTER_HELP = `
Environment:
  SENTRY_AUTH_TOKEN  auth token (required by commands that call Sentry; there is no --token flag)
  SENTRY_SCIM_TOKEN  SCIM bearer token for SCIM commands (default: SENTRY_AUTH_TOKEN)
  SENTRY_ORG         organization slug (overridden by --org)
  SENTRY_URL         Sentry base URL, e.g. a self-hosted instance (overridden by --url or --region)
  SENTRY_PROPERTIES  a sentry-cli .properties file (auth.token, defaults.org, defaults.url)

Config files (sentry-cli's; below flags and the environment):
  ~/.sentryclirc, then the nearest .sentryclirc from the working directory up:
    [auth] token=...   [defaults] org=... url=...   [profile NAME] token=... org=... url=... (--profile NAME)

Exit codes:
  0 ok   1 runtime error or partial failure   2 usage error
  3 authentication or permission error      4 not found
  5 plan: changes to apply                  6 refused (safety rail, stale plan): nothing changed
`;

/** `--retries <n>`: a whole number of retries. */
function parseRetries(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 100) throw new InvalidArgumentError("expected a whole number from 0 to 100");
  return Number(value);
}

/**
 * Builds the program with every command, writing through `io`. Commander is set to throw instead of exiting,
 * so a test (or `runCli`) decides what happens to the process.
 * @example await buildProgram(fakeIo).parseAsync(["scopes", "org.teams.create"], { from: "user" });
 */
export function buildProgram(io: CliIo): Command {
  const secrets = secretsOf(io.env, io);
  const program = new Command("sentry-rbac")
    .description("Administer access control in Sentry organizations: teams, members, roles, SCIM, tokens, audit logs.")
    .version(VERSION, "-V, --version")
    .option("--org <slug>", "organization slug (default: SENTRY_ORG); `audit tail` takes it more than once", collectOrg)
    .option("--url <url>", "Sentry base URL, e.g. a self-hosted instance (default: SENTRY_URL or https://sentry.io)")
    .addOption(new Option("--region <region>", "sentry.io data region").choices(["us", "de"]))
    .option("--profile <name>", "use the [profile NAME] section of .sentryclirc (token, org, url)")
    .option("-v, --verbose", "log each request to stderr: method, path, status, time, rate-limit headers (never a token)")
    .option(
      "--retries <n>",
      "retries per request after a transient failure, a refused connection included (default: 4, a refused connection not retried)",
      parseRetries,
    )
    .option("--json", "print JSON")
    .option("--ndjson", "print one JSON object per line")
    .option("--csv", "print CSV (RFC 4180, spreadsheet-formula cells guarded)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Commander echoes bad arguments in its messages; one might be a pasted token.
      writeErr: (text) => io.stderr.write(printable(text, secrets)),
    })
    .addHelpText("after", AFTER_HELP);
  // Registered after configuration: subcommands copy exitOverride and the output settings when created.
  for (const register of COMMANDS) register(program, io);
  return program;
}

// A second `--org` keeps both (only `audit tail` follows several organizations; the context refuses it elsewhere).
function collectOrg(value: string, previous: string | string[] | undefined): string | string[] {
  return previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
}

// Refused before parsing, so the value is never echoed back in an "unknown option" message.
const TOKEN_FLAG = /^--(auth-|scim-)?token(=|$)/;

/**
 * Runs the CLI with `argv` (without node and the script path) and resolves with the exit code. Never throws.
 * @example process.exitCode = await runCli(process.argv.slice(2), createProcessIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const secrets = secretsOf(io.env, io);
  try {
    const beforeDashes = argv.indexOf("--") === -1 ? argv : argv.slice(0, argv.indexOf("--"));
    if (beforeDashes.some((arg) => TOKEN_FLAG.test(arg))) {
      throw new UsageError(
        "there is no --token flag: a token on the command line leaks into shell history and process lists",
        "Set SENTRY_AUTH_TOKEN (and SENTRY_SCIM_TOKEN for SCIM) in the environment instead.",
      );
    }
    await buildProgram(io).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    // Commander has already printed its own message (through the redacting writeErr); an ExitStatus is an outcome
    // the command has already reported.
    const shown = toCliError(error);
    if (!(shown instanceof CommanderError) && !(isCliError(shown) && shown.silent)) printError(io.stderr, shown, secrets);
    return exitCodeFor(shown);
  }
}
