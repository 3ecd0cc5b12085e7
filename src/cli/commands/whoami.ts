// `sentry-rbac whoami`: who the configured token acts as — user, token kind, scopes, and the org role in --org.
import type { Command } from "commander";
import { isNotFoundError } from "../../http/errors/errors.js";
import { CliError } from "../errors.js";
import { ExitCode } from "../exit-codes.js";
import { sentryTokenFormat } from "../../vocabulary/tokens.js";
import type { CliIo } from "../io.js";
import { printOne, withContext } from "./resource-support.js";

/** What `whoami` prints. */
export interface WhoamiRow {
  user: string | null;
  email: string | null;
  tokenKind: string;
  scopes: string[];
  org: string | null;
  orgRole: string | null;
}

/**
 * The kind of a token, read from its prefix (Sentry's formats): never from the value beyond that.
 * @example tokenKind("sntrys_…") // "org auth token"
 */
export function tokenKind(token: string, hasUser: boolean): string {
  switch (sentryTokenFormat(token.trim())) {
    case "user":
      return "user auth token";
    case "org":
      return "org auth token";
    case "user-app":
      return "user-app token";
    case "integration":
      return "integration token";
    case "legacy":
      return hasUser ? "user auth token (legacy format)" : "token (legacy format)";
    default:
      return hasUser ? "user token" : "token without a user (org auth or integration)";
  }
}

/**
 * Registers `whoami`; listed in COMMANDS.
 * @example registerWhoamiCommand(program, io); // sentry-rbac whoami --json
 */
export function registerWhoamiCommand(program: Command, io: CliIo): void {
  program
    .command("whoami")
    .description("show the token's user, kind and scopes, and the user's role in --org / SENTRY_ORG")
    .action((_flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        const sentry = ctx.client();
        const index = await sentry.whoami();
        const email = index.user?.email ?? null;
        let orgRole: string | null = null;
        if (ctx.org !== undefined && email !== null) {
          // Org tokens have no user. Sentry looks the organization up before it checks the caller's access
          // (OrganizationEndpoint.convert_args), so a 404 means there is no such organization: say so, exit 4.
          const org = ctx.org;
          const member = await sentry.org.members.findByEmail(email).catch((error: unknown) =>
            Promise.reject(
              isNotFoundError(error)
                ? new CliError(`organization '${org}' not found`, {
                    exitCode: ExitCode.notFound,
                    hint: "Check --org / SENTRY_ORG: the slug is the one in Sentry's URLs (…/organizations/SLUG/).",
                  })
                : error,
            ),
          );
          orgRole = member?.orgRole ?? null;
        }
        const row: WhoamiRow = {
          user: index.user?.name ?? index.user?.username ?? null,
          email,
          tokenKind: tokenKind(ctx.authToken() ?? "", index.user !== null),
          scopes: [...(index.auth?.scopes ?? [])].sort(),
          org: ctx.org ?? null,
          orgRole,
        };
        await printOne(ctx, row, [
          { key: "user", header: "USER", value: (r) => r.user ?? "(none)" },
          { key: "email", header: "EMAIL", value: (r) => r.email ?? "" },
          { key: "tokenKind", header: "TOKEN", value: (r) => r.tokenKind },
          { key: "org", header: "ORG", value: (r) => r.org ?? "" },
          { key: "orgRole", header: "ORG ROLE", value: (r) => r.orgRole ?? "" },
          { key: "scopes", header: "SCOPES", value: (r) => r.scopes.join(" ") },
        ]);
      }),
    );
}
