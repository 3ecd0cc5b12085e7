// `sentry-rbac tokens ...`: read, rename and revoke personal (user) API tokens and org auth tokens by id. Listing
// and creating tokens is for a signed-in browser session only, so `tokens list` explains that (exit 3).
// `tokens lint|rotate` come from ./tokens-recipes.ts.
import type { Command } from "commander";
import type { SentryClient } from "../../client.js";
import type { ApiToken } from "../../resources/api-tokens.js";
import type { OrgAuthToken } from "../../resources/org-auth-tokens.js";
import { isSessionRequiredError } from "../../http/errors/index.js";
import { assertNumericId } from "../../resources/validate.js";
import { assertTokenName } from "../../resources/validate-scim.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { apiPath, printDryRun, printOne, withContext } from "./resource-support.js";
import { registerTokenRecipeCommands } from "./tokens-recipes.js";

type AnyToken = ApiToken | OrgAuthToken;

/** What the CLI shows of a token: metadata only. Fields are picked, so a value (`token`, `refreshToken`) never is. */
export interface TokenView {
  id: string;
  name: string | null;
  scopes: string[];
  dateCreated: string;
  expiresAt: string | null;
  lastCharacters: string | null;
}

/**
 * The printable fields of a token record.
 * @example tokenView(await sentry.apiTokens.get("42")) // { id: "42", name: "ci-prod", scopes: [...], ... }
 */
export function tokenView(token: AnyToken): TokenView {
  return {
    id: token.id,
    name: token.name,
    scopes: [...token.scopes],
    dateCreated: token.dateCreated,
    expiresAt: "expiresAt" in token ? token.expiresAt : null,
    lastCharacters: token.tokenLastCharacters ?? null,
  };
}

const TOKEN_COLUMNS: readonly Column<TokenView>[] = [
  { key: "id", header: "ID", value: (t) => t.id },
  { key: "name", header: "NAME", value: (t) => t.name ?? "" },
  { key: "scopes", header: "SCOPES", value: (t) => t.scopes.join(" ") },
  { key: "dateCreated", header: "CREATED", value: (t) => t.dateCreated },
  { key: "expiresAt", header: "EXPIRES", value: (t) => t.expiresAt ?? "never" },
  { key: "lastCharacters", header: "ENDS IN", value: (t) => t.lastCharacters ?? "" },
];

interface Kind {
  label: string;
  path: (org: string | undefined, id: string) => string;
}

const USER: Kind = { label: "personal token", path: (_org, id) => apiPath`/api/0/api-tokens/${assertNumericId("id", id)}/` };
const ORG: Kind = {
  label: "org auth token",
  path: (org, id) => apiPath`/api/0/organizations/${org ?? ""}/org-auth-tokens/${assertNumericId("id", id)}/`,
};

// The two SDK resources share these three calls.
interface TokenCalls {
  get(id: string): Promise<AnyToken>;
  rename(id: string, name: string): Promise<unknown>;
  delete(id: string): Promise<void>;
}

function registerKind(group: Command, io: CliIo, kind: Kind, api: (ctx: { client(): SentryClient }) => TokenCalls): void {
  const org = (ctx: { requireOrg(): string }) => (kind === ORG ? ctx.requireOrg() : undefined);
  group
    .command("get <id>")
    .description(`show one ${kind.label} (metadata; the value is never shown)`)
    .action((id: string, _flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        await printOne(ctx, tokenView(await api(ctx).get(id)), TOKEN_COLUMNS);
      }),
    );
  group
    .command("rename <id> <name>")
    .description(`rename a ${kind.label} (only the name can change)`)
    .option("--dry-run", "show what would be sent, send nothing")
    .action((id: string, name: string, flags: { dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "PUT", path: kind.path(org(ctx), id), body: { name: assertTokenName("name", name) } }]);
        await api(ctx).rename(id, name);
        ctx.note(`Renamed ${kind.label} ${id} to ${name}.`);
      }),
    );
  addDestructiveOptions(group.command("delete <id>").description(`revoke a ${kind.label}; anything using it stops working`)).action(
    (id: string, flags: DestructiveFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "DELETE", path: kind.path(org(ctx), id) }]);
        await confirmDestructive(io, { message: `Revoke ${kind.label} ${id}? Anything using it stops working.`, ...flags });
        await api(ctx).delete(id);
        ctx.note(`Revoked ${kind.label} ${id}.`);
      }),
  );
}

/**
 * Registers `tokens list|get|rename|delete`, `tokens org get|rename|delete` and `tokens lint|rotate`; in COMMANDS.
 * @example registerTokensCommand(program, io); // sentry-rbac tokens get 42 --json
 */
export function registerTokensCommand(program: Command, io: CliIo): void {
  const tokens = program.command("tokens").description("personal and org auth tokens: read, rename, revoke, lint, rotate");
  tokens.addHelpText(
    "after",
    "\nExamples:\n  $ sentry-rbac tokens get 42\n  $ sentry-rbac tokens org delete 7 --dry-run\n  $ sentry-rbac tokens lint --file tokens.json\n",
  );
  tokens
    .command("list")
    .description("list personal tokens (Sentry allows this only for a browser session: exits 3 with where to look)")
    .action((_flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        try {
          await ctx.print(ctx.client().apiTokens.list().map(tokenView), { columns: TOKEN_COLUMNS });
        } catch (error) {
          // The SDK raises this before sending; the CLI words it for the command and adds the lint route.
          if (!isSessionRequiredError(error)) throw error;
          throw new CliError("listing personal tokens needs a signed-in browser session; Sentry ignores bearer tokens there", {
            exitCode: 3,
            hint: `${error.hint} To lint tokens, save that list as JSON and run \`tokens lint --file <file>\`.`,
          });
        }
      }),
    );
  registerKind(tokens, io, USER, (ctx) => ctx.client().apiTokens);
  const org = tokens.command("org").description("org auth tokens by id: get, rename, delete");
  registerKind(org, io, ORG, (ctx) => ctx.client().org.authTokens);
  // lint and rotate (recipes); rotate runs its hooks with io.runHook, which tests replace.
  registerTokenRecipeCommands(tokens, io);
}
