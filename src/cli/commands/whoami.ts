// `sentry-rbac whoami`: who the configured token acts as — user, token kind, scopes, and the org role in --org.
import type { Command } from "commander";
import { isNotFoundError } from "../../http/errors/index.js";
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
  const value = token.trim();
  if (value.startsWith("sntryu_")) return "user auth token";
  if (value.startsWith("sntrys_")) return "org auth token";
  if (value.startsWith("sntrya_")) return "user-app token";
  if (value.startsWith("sntryi_")) return "integration token";
  if (/^[a-f0-9]{64}$/.test(value)) return hasUser ? "user auth token (legacy format)" : "token (legacy format)";
  return hasUser ? "user token" : "token without a user (org auth or integration)";
}

/**
 * Registers `whoami`; listed in COMMANDS.
 * @example registerWhoamiCommand(program, io); // sentry-rbac whoami --json
 */
export function registerWhoamiCommand(program: Command, io: CliIo): void {
  program.command("whoami").description("show the token's user, kind and scopes, and the user's role in --org / SENTRY_ORG")
    .action((_flags: unknown, command: Command) => withContext(io, command, async (ctx) => {
      const sentry = ctx.client();
      const index = await sentry.whoami();
      const email = index.user?.email ?? null;
      let orgRole: string | null = null;
      if (ctx.org !== undefined && email !== null) {
        // Org tokens have no user; a user outside the org (or a token that cannot list members) has no role to show.
        const member = await sentry.org.members.findByEmail(email).catch((error: unknown) => (isNotFoundError(error) ? undefined : Promise.reject(error)));
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
    }));
}
