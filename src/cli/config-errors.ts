/**
 * A SentryConfigError names an SDK option (`org`, `baseUrl`, "call withOrg(slug)"); a CLI user needs the flag, the
 * environment variable or the config file entry behind it. (errors.ts's cliWords rewrites SDK calls in messages.)
 */
import { isSentryConfigError } from "../http/errors/index.js";
import { CliError, UsageError } from "./errors.js";

// SDK option → what sets it on the command line.
const OPTION_SOURCES: Readonly<Record<string, { what: string; hint: string }>> = {
  org: { what: "no organization given", hint: "Pass --org <slug>, set SENTRY_ORG, or put `org` under [defaults] in .sentryclirc." },
  baseUrl: { what: "the Sentry URL", hint: "Fix --url, SENTRY_URL or `url` under [defaults] in .sentryclirc (e.g. https://sentry.example.com)." },
  region: { what: "the region", hint: "Pass --region us|de, or --url for self-hosted Sentry, not both." },
  token: { what: "the auth token", hint: "Fix SENTRY_AUTH_TOKEN (or `token` under [auth] in .sentryclirc)." },
  scimToken: { what: "the SCIM token", hint: "Fix SENTRY_SCIM_TOKEN." },
};

/**
 * The CLI's version of an SDK error where the SDK's words would mislead (an option the CLI sets from a flag);
 * any other error is returned unchanged.
 * @example throw toCliError(error);
 */
export function toCliError(error: unknown): unknown {
  if (!isSentryConfigError(error)) return error;
  const option = /\(([a-zA-Z]+)\)$/.exec(error.option)?.[1] ?? error.option;
  const source = OPTION_SOURCES[option];
  if (source === undefined) return error;
  // "Invalid option `baseUrl`: must use https://" → "the Sentry URL must use https://".
  const reason = error.message.replace(/^Invalid option `[^`]*`: /, "");
  if (option === "org") return new UsageError(source.what, source.hint);
  const message = `${source.what} ${reason.replace(/; pass the token as `token`$/, "")}`;
  return option === "token" || option === "scimToken" ? new CliError(message, { exitCode: 3, hint: source.hint }) : new UsageError(message, source.hint);
}
