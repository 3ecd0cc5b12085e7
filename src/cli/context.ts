/**
 * What a command runs with: the global flags merged over the environment and sentry-cli's config files, the chosen
 * output format, redacted writers and the options for an SDK client. Precedence: flags, then env (SENTRY_AUTH_TOKEN,
 * SENTRY_ORG, SENTRY_URL, SENTRY_SCIM_TOKEN), then the `--profile` section, then `[auth]`/`[defaults]` of the
 * .sentryclirc files and SENTRY_PROPERTIES (config-file.ts). Tokens never come from a flag: a command line ends up
 * in shell history and in every user's `ps` output.
 */
import type { Command } from "commander";
import { createSentryClient, type SentryClient } from "../client.js";
import type { SentryClientOptions } from "../config.js";
import { loadCliConfig, type CliConfig, type FileSettings } from "./config-file.js";
import { CliError, printable, UsageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { outputFormat, writeList, type FormatFlags, type ListOutput, type OutputFormat } from "./output.js";
import { createProgress, type Progress, type ProgressOptions } from "./progress.js";

/** Flags every command accepts (declared once on the program). */
export interface GlobalFlags extends FormatFlags {
  /** Several values only when `--org` was repeated (accepted by `audit tail`, refused by the others). */
  org?: string | string[] | undefined;
  url?: string | undefined;
  region?: "us" | "de" | undefined;
  profile?: string | undefined;
  verbose?: boolean | undefined;
  /** `--retries <n>`: retries per request, a refused connection included. */
  retries?: number | undefined;
}

/** Environment variables that hold secrets; their values are masked in everything the CLI prints. */
export const SECRET_ENV = ["SENTRY_AUTH_TOKEN", "SENTRY_SCIM_TOKEN", "SPLUNK_HEC_TOKEN"] as const;

const configs = new WeakMap<CliIo, CliConfig>();

/**
 * The config files of this io, read once.
 * @example const { defaults } = cliConfig(io);
 */
export function cliConfig(io: CliIo): CliConfig {
  let config = configs.get(io);
  if (config === undefined) {
    config = loadCliConfig(io);
    configs.set(io, config);
  }
  return config;
}

/**
 * The secret values known to the CLI, for redaction: the environment's tokens and, given the io, every token in
 * its config files (whichever profile is in use).
 * @example maskSecrets(message, secretsOf(io.env, io))
 */
export function secretsOf(env: Readonly<Record<string, string | undefined>>, io?: CliIo): string[] {
  const fromEnv = SECRET_ENV.map((name) => env[name]).filter((value): value is string => typeof value === "string" && value.length > 0);
  return io === undefined ? fromEnv : [...fromEnv, ...cliConfig(io).secrets];
}

/** Where each setting came from after precedence was applied. */
interface Settings {
  token: string | undefined;
  scimToken: string | undefined;
  org: string | undefined;
  url: string | undefined;
}

function resolveSettings(io: CliIo, flags: GlobalFlags, note: (line: string) => void): Settings {
  const config = cliConfig(io);
  let profile: FileSettings = {};
  if (flags.profile !== undefined) {
    const found = config.profiles[flags.profile];
    if (found === undefined) {
      const known = Object.keys(config.profiles);
      throw new UsageError(
        `no profile '${flags.profile}' in ${config.files.length > 0 ? config.files.join(", ") : "any .sentryclirc"}`,
        known.length > 0 ? `Known profiles: ${known.join(", ")}.` : "Add a [profile NAME] section with token, org and url to ~/.sentryclirc.",
      );
    }
    profile = found;
    for (const [key, env] of [
      ["token", "SENTRY_AUTH_TOKEN"],
      ["org", "SENTRY_ORG"],
      ["url", "SENTRY_URL"],
    ] as const) {
      if (profile[key] !== undefined && nonEmpty(io.env[env]) !== undefined)
        note(`note: ${env} in the environment overrides profile '${flags.profile}''s ${key}`);
    }
  }
  const pick = (env: string | undefined, key: keyof FileSettings) => nonEmpty(env) ?? profile[key] ?? config.defaults[key];
  return {
    token: pick(io.env.SENTRY_AUTH_TOKEN, "token"),
    scimToken: nonEmpty(io.env.SENTRY_SCIM_TOKEN) ?? profile.scimToken,
    org: (Array.isArray(flags.org) ? undefined : flags.org) ?? pick(io.env.SENTRY_ORG, "org"),
    url: flags.url ?? pick(io.env.SENTRY_URL, "url"),
  };
}

/** The per-invocation view a command action works with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly flags: GlobalFlags;
  readonly format: OutputFormat;
  /** `--org`, else SENTRY_ORG. */
  readonly org: string | undefined;
  /** Every `--org` given, in order (several only for a command created with `severalOrgs`); else `[org]` or `[]`. */
  readonly orgs: readonly string[];
  /** Writes to stdout with control characters replaced and secrets masked. */
  write(this: void, chunk: string): void;
  /** Writes a line to stderr, made printable like `write` (notes and warnings; stdout stays parseable). */
  note(this: void, line: string): void;
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
  /** The auth token in use (env or config file), for reading its kind; never print it. */
  authToken(): string | undefined;
}

/**
 * Builds the context of a running command from its merged options.
 * @example const ctx = createCommandContext(io, command); ctx.write("done\n");
 * @throws UsageError for conflicting flags (two output formats, --url with --region).
 */
export function createCommandContext(io: CliIo, command: Command, options: { severalOrgs?: boolean } = {}): CommandContext {
  const flags = command.optsWithGlobals<GlobalFlags>();
  const orgFlags = Array.isArray(flags.org) ? flags.org : [];
  if (orgFlags.length > 1 && options.severalOrgs !== true) {
    throw new UsageError(
      `--org was given ${orgFlags.length} times (${orgFlags.join(", ")})`,
      "Pass one --org; only `audit tail` follows several organizations.",
    );
  }
  const format = outputFormat(flags);
  if (flags.url !== undefined && flags.region !== undefined) {
    throw new UsageError("--url and --region cannot be combined", "Use --url for self-hosted Sentry, --region us|de for sentry.io regions.");
  }
  const secrets = secretsOf(io.env, io);
  const write = (chunk: string) => io.stdout.write(printable(chunk, secrets));
  const note = (line: string) => io.stderr.write(`${printable(line, secrets)}\n`);
  const settings = resolveSettings(io, flags, note);
  const { org } = settings;
  let client: SentryClient | undefined;
  return {
    io,
    flags,
    format,
    org,
    orgs: orgFlags.length > 1 ? orgFlags : org === undefined ? [] : [org],
    write,
    note,
    print: (rows, output) => writeList(write, format, rows, output),
    progress: (options) => createProgress(io.stderr, options),
    requireOrg() {
      if (org === undefined) throw new UsageError("no organization given", "Pass --org <slug> or set SENTRY_ORG.");
      return org;
    },
    clientOptions() {
      return clientOptionsFrom(io, flags, settings, note);
    },
    client() {
      client ??= createSentryClient(clientOptionsFrom(io, flags, settings, note));
      return client;
    },
    authToken: () => settings.token,
    async close() {
      await client?.close();
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function clientOptionsFrom(io: CliIo, flags: GlobalFlags, settings: Settings, note: (line: string) => void): SentryClientOptions {
  const { token, scimToken } = settings;
  if (token === undefined) {
    throw new CliError("no auth token configured", {
      exitCode: 3,
      hint: "Set SENTRY_AUTH_TOKEN, or `token` under [auth] in ~/.sentryclirc (there is no --token flag: command lines leak into shell history).",
    });
  }
  // Providers, not strings: the options object never holds a token, so nothing that prints it can leak one.
  const options: SentryClientOptions = { token: () => token };
  if (scimToken !== undefined) options.scimToken = () => scimToken;
  if (settings.org !== undefined) options.org = settings.org;
  if (flags.region !== undefined) options.region = flags.region;
  else if (settings.url !== undefined) options.baseUrl = settings.url;
  // A refused connection means nothing listens at the URL: say so at once rather than after seconds of backoff.
  // `--retries` asks for retries of every transient failure, a refused connection included.
  options.retry = flags.retries === undefined ? { retryRefused: false } : { retries: flags.retries };
  const fetch = io.fetch;
  if (flags.verbose === true) options.fetch = verboseFetch(fetch, note);
  else if (fetch !== undefined) options.fetch = fetch;
  return options;
}

const RATE_HEADERS = [
  ["x-sentry-rate-limit-remaining", "remaining"],
  ["x-sentry-rate-limit-limit", "limit"],
  ["x-sentry-rate-limit-reset", "reset"],
  ["x-sentry-rate-limit-concurrentremaining", "concurrent-remaining"],
  ["x-sentry-rate-limit-concurrentlimit", "concurrent-limit"],
  ["retry-after", "retry-after"],
] as const;

/**
 * `--verbose`: one stderr line per attempt the SDK sends (retries included): method, path, status, time and the
 * rate-limit headers. The request's headers (the token) are never read.
 */
function verboseFetch(inner: typeof globalThis.fetch | undefined, note: (line: string) => void): typeof globalThis.fetch {
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const started = performance.now();
    const elapsed = () => `${Math.round(performance.now() - started)} ms`;
    try {
      const response = await (inner ?? globalThis.fetch)(input, init);
      const limits = RATE_HEADERS.flatMap(([header, label]) => {
        const value = response.headers.get(header);
        return value === null ? [] : [`${label}=${value}`];
      });
      note(`> ${method} ${url.pathname}${url.search} ${response.status} ${elapsed()}${limits.length > 0 ? ` [rate-limit ${limits.join(" ")}]` : ""}`);
      return response;
    } catch (error) {
      note(`> ${method} ${url.pathname}${url.search} failed after ${elapsed()}: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  };
}
