/**
 * What a command runs with: the global flags merged over the environment, the chosen output format, redacted
 * writers and the options for an SDK client. Flags win over env (SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_URL,
 * SENTRY_SCIM_TOKEN). Tokens come only from the environment: there is deliberately no --token flag, because a
 * command line ends up in shell history and in every user's `ps` output.
 */
import type { Command } from "commander";
import { createSentryClient, type SentryClient } from "../client.js";
import type { SentryClientOptions } from "../config.js";
import { CliError, maskSecrets, UsageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { outputFormat, writeList, type FormatFlags, type ListOutput, type OutputFormat } from "./output.js";
import { createProgress, type Progress, type ProgressOptions } from "./progress.js";

/** Flags every command accepts (declared once on the program). */
export interface GlobalFlags extends FormatFlags {
  org?: string | undefined;
  url?: string | undefined;
  region?: "us" | "de" | undefined;
}

/** Environment variables that hold secrets; their values are masked in everything the CLI prints. */
export const SECRET_ENV = ["SENTRY_AUTH_TOKEN", "SENTRY_SCIM_TOKEN", "SPLUNK_HEC_TOKEN"] as const;

/**
 * The secret values present in an environment, for redaction.
 * @example maskSecrets(message, secretsOf(io.env))
 */
export function secretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return SECRET_ENV.map((name) => env[name]).filter((value): value is string => typeof value === "string" && value.length > 0);
}

/** The per-invocation view a command action works with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly flags: GlobalFlags;
  readonly format: OutputFormat;
  /** `--org`, else SENTRY_ORG. */
  readonly org: string | undefined;
  /** Writes to stdout with secrets masked. */
  write(chunk: string): void;
  /** Writes a line to stderr with secrets masked (notes and warnings; stdout stays parseable). */
  note(line: string): void;
  /** Writes rows in the chosen format; returns how many. */
  print<T>(rows: Iterable<T> | AsyncIterable<T>, output: ListOutput<T>): Promise<number>;
  /** A progress bar on stderr when it is a terminal, else a no-op. */
  progress(options: ProgressOptions): Progress;
  /** The organization, or a usage error saying how to set it. */
  requireOrg(): string;
  /** Options for `createSentryClient`, or an auth error (exit 3) when no token is configured. */
  clientOptions(): SentryClientOptions;
  /** The SDK client for these options, created on first use; release it with `close()` in `finally`. */
  client(): SentryClient;
  /** Closes the client if one was created. */
  close(): Promise<void>;
}

/**
 * Builds the context of a running command from its merged options.
 * @example const ctx = createCommandContext(io, command); ctx.write("done\n");
 * @throws UsageError for conflicting flags (two output formats, --url with --region).
 */
export function createCommandContext(io: CliIo, command: Command): CommandContext {
  const flags = command.optsWithGlobals<GlobalFlags>();
  const format = outputFormat(flags);
  if (flags.url !== undefined && flags.region !== undefined) {
    throw new UsageError("--url and --region cannot be combined", "Use --url for self-hosted Sentry, --region us|de for sentry.io regions.");
  }
  const secrets = secretsOf(io.env);
  const write = (chunk: string) => io.stdout.write(maskSecrets(chunk, secrets));
  const org = flags.org ?? nonEmpty(io.env.SENTRY_ORG);
  let client: SentryClient | undefined;
  return {
    io,
    flags,
    format,
    org,
    write,
    note: (line) => io.stderr.write(`${maskSecrets(line, secrets)}\n`),
    print: (rows, output) => writeList(write, format, rows, output),
    progress: (options) => createProgress(io.stderr, options),
    requireOrg() {
      if (org === undefined) throw new UsageError("no organization given", "Pass --org <slug> or set SENTRY_ORG.");
      return org;
    },
    clientOptions() {
      return clientOptionsFrom(io, flags, org);
    },
    client() {
      client ??= createSentryClient(clientOptionsFrom(io, flags, org));
      return client;
    },
    async close() {
      await client?.close();
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function clientOptionsFrom(io: CliIo, flags: GlobalFlags, org: string | undefined): SentryClientOptions {
  if (nonEmpty(io.env.SENTRY_AUTH_TOKEN) === undefined) {
    throw new CliError("no auth token configured", {
      exitCode: 3,
      hint: "Set SENTRY_AUTH_TOKEN in the environment (there is no --token flag: command lines leak into shell history).",
    });
  }
  // Providers, not strings: the options object never holds a token, so nothing that prints it can leak one.
  const options: SentryClientOptions = { token: () => io.env.SENTRY_AUTH_TOKEN ?? "" };
  if (nonEmpty(io.env.SENTRY_SCIM_TOKEN) !== undefined) options.scimToken = () => io.env.SENTRY_SCIM_TOKEN ?? "";
  if (org !== undefined) options.org = org;
  if (flags.region !== undefined) options.region = flags.region;
  else if (flags.url !== undefined) options.baseUrl = flags.url;
  else if (nonEmpty(io.env.SENTRY_URL) !== undefined) options.baseUrl = io.env.SENTRY_URL;
  if (io.fetch !== undefined) options.fetch = io.fetch;
  return options;
}
