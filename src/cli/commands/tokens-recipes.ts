// `sentry-rbac tokens lint|rotate`: token hygiene findings, and rotation through the user's own mint and publish
// commands (Sentry creates tokens only for a browser session). `tokens` is the resource command group (tokens
// list/get/...); this file adds only these two subcommands to it.
import { spawn } from "node:child_process";
import { InvalidArgumentError, Option, type Command } from "commander";
import { createSentryClient, type SentryClient } from "../../client.js";
import { isSessionRequiredError } from "../../http/errors/index.js";
import { lintTokens, type TokenFinding } from "../../recipes/tokens/lint.js";
import { isTokenRotationError, rotateToken, type MintedToken, type RotationReport, type RotationStepRecord } from "../../recipes/tokens/rotate.js";
import type { TokenRecord } from "../../recipes/tokens/types.js";
import { createCommandContext, SECRET_ENV, secretsOf, type CommandContext } from "../context.js";
import { CliError, cliWords, maskSecrets, PartialFailureError, UsageError } from "../errors.js";
import type { CliIo, HookRunner } from "../io.js";
import type { Column } from "../output.js";
import { looksLikeSentryToken } from "../../vocabulary/tokens.js";
import { readInputFile } from "./isolate.js";

// The rotate hooks: the token value travels only on the child's stdin/stdout as JSON, never in argv (visible in
// `ps`) nor in the environment (inherited by grandchildren, dumped by crash reporters), and whatever the child
// writes to stderr is masked before it reaches ours. The admin's own Sentry credentials are not passed on either.

/** Runs a hook command (the tokens commands take one). */
export type { HookRunner } from "../io.js";

/**
 * The real runner: `sh -c command` (cmd.exe on Windows), stdin = `input`, stdout captured, stderr masked.
 * @example const { exitCode, stdout } = await runShellHook("vault-mint", '{"name":"ci-prod"}', { env, stderr, secrets });
 */
export const runShellHook: HookRunner = (command, input, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, env: { ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => options.stderr(maskSecrets(chunk, options.secrets())));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout }));
    // A child that exits without reading stdin makes the write fail with EPIPE; its exit code tells the story.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });

const FINDING_COLUMNS: readonly Column<TokenFinding>[] = [
  { key: "severity", header: "SEVERITY", value: (f) => f.severity },
  { key: "code", header: "CODE", value: (f) => f.code },
  { key: "tokenName", header: "TOKEN", value: (f) => `${f.tokenName} (${f.tokenId})` },
  { key: "message", header: "PROBLEM", value: (f) => f.message },
  { key: "fix", header: "FIX", value: (f) => cliWords(f.fix) },
];

const STEP_COLUMNS: readonly Column<RotationStepRecord>[] = [
  { key: "step", header: "STEP", value: (s) => s.step },
  { key: "status", header: "STATUS", value: (s) => s.status },
  { key: "detail", header: "DETAIL", value: (s) => s.detail },
];

const FILE_HINT = "Pass a JSON array of token records (id, name, scopes, dateCreated, expiresAt, kind), as Sentry's token pages list them, or - for stdin.";

/**
 * Token records from JSON text: an array, or an object with a `tokens` array. Values are never expected and
 * any `token` field is dropped on reading, so nothing downstream can print one.
 * @example parseTokenRecords('[{"id":"1","name":"ci-prod","scopes":["org:read"]}]', "tokens.json")
 * @throws UsageError when the text is not a list of records with an id and a name.
 */
export function parseTokenRecords(text: string, file: string): TokenRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`, FILE_HINT);
  }
  const list = Array.isArray(data) ? data : (data as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(list)) throw new UsageError(`${file} must hold an array of token records`, FILE_HINT);
  return list.map((raw: unknown, index) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if ((typeof r.id !== "string" && typeof r.id !== "number") || typeof r.name !== "string") {
      throw new UsageError(`${file}: record ${index} needs an id and a name`, FILE_HINT);
    }
    const record: TokenRecord = { id: String(r.id), name: r.name };
    if (Array.isArray(r.scopes)) record.scopes = r.scopes.filter((s): s is string => typeof s === "string");
    if (typeof r.dateCreated === "string") record.dateCreated = r.dateCreated;
    if (typeof r.expiresAt === "string" || r.expiresAt === null) record.expiresAt = r.expiresAt;
    if (r.kind === "user" || r.kind === "org") record.kind = r.kind;
    return record;
  });
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1) throw new InvalidArgumentError("expected a whole number of days (1 or more)");
  return days;
}

// With records in hand lintTokens sends no request, so linting a file needs no configured token. This client
// could not authenticate if something did try: its token provider fails before any request leaves.
function offlineClient(): SentryClient {
  const refuse = () => Promise.reject(new CliError("internal: tokens lint --file must not call Sentry", { exitCode: 1 }));
  return createSentryClient({ token: refuse, baseUrl: "https://sentry.invalid", rateLimit: false, retry: false });
}

async function lint(io: CliIo, flags: { file?: string; maxAgeDays: number }, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const tokens = flags.file === undefined ? undefined : parseTokenRecords(await readInputFile(ctx, flags.file, FILE_HINT), flags.file);
  try {
    let report: Awaited<ReturnType<typeof lintTokens>>;
    try {
      report =
        tokens === undefined
          ? await lintTokens(ctx.client(), { maxAgeDays: flags.maxAgeDays })
          : await lintTokens(offlineClient(), { tokens, maxAgeDays: flags.maxAgeDays });
    } catch (error) {
      if (!isSessionRequiredError(error)) throw error;
      throw new CliError("listing tokens needs a signed-in browser session; Sentry ignores bearer tokens there", {
        exitCode: 3,
        hint: `${error.hint} Save the list as JSON and pass --file <file> (or --file - to read stdin).`,
      });
    }
    if (ctx.format === "table") ctx.write(`${report.summary.tokens} token(s), ${report.summary.clean} clean, ${report.summary.findings} finding(s)\n\n`);
    await ctx.print(report.findings, { columns: FINDING_COLUMNS, document: report });
    if (report.findings.length > 0) throw new PartialFailureError(`${report.findings.length} finding(s) in ${report.summary.tokens} token(s)`);
  } finally {
    await ctx.close();
  }
}

interface RotateFlags {
  kind: "user" | "org";
  id: string;
  name?: string;
  mintCommand?: string;
  publishCommand?: string;
  dryRun?: boolean;
}

function parseMinted(stdout: string): MintedToken {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    // The output may be (or contain) the token itself, so it is never echoed back.
    throw new CliError("the mint command did not print JSON", { exitCode: 1, hint: 'Print one JSON object: {"id": "<token id>", "token": "<value>"}.' });
  }
  const { id, token } = (data ?? {}) as { id?: unknown; token?: unknown };
  if ((typeof id !== "string" && typeof id !== "number") || typeof token !== "string" || token === "") {
    throw new CliError("the mint command's JSON lacks id or token", { exitCode: 1, hint: 'Print one JSON object: {"id": "<token id>", "token": "<value>"}.' });
  }
  return { id, token };
}

/**
 * The environment a hook command runs with: the CLI's own, minus every Sentry credential — SENTRY_AUTH_TOKEN and
 * SENTRY_SCIM_TOKEN, any variable holding one of their values (trimmed), and any value shaped like a Sentry token.
 * A mint or publish command talks to a secret store, not to Sentry as the admin; what it needs for that store
 * (VAULT_ADDR, AWS_*, PATH...) is kept.
 * @example spawn(command, { env: hookEnvironment(process.env) })
 */
export function hookEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const secrets = secretsOf(env)
    .map((value) => value.trim())
    .filter((value) => value.length >= 8);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || (SECRET_ENV as readonly string[]).includes(name)) continue;
    if (looksLikeSentryToken(value) || secrets.some((secret) => value.includes(secret))) continue;
    out[name] = value;
  }
  return out;
}

function hooks(ctx: CommandContext, flags: RotateFlags, runner: HookRunner) {
  const minted: string[] = [];
  const options = {
    env: hookEnvironment(ctx.io.env),
    stderr: (text: string) => ctx.io.stderr.write(text),
    secrets: () => [...secretsOf(ctx.io.env, ctx.io), ...minted],
  };
  const mintCommand = flags.mintCommand;
  const publishCommand = flags.publishCommand as string;
  return {
    mint:
      mintCommand === undefined
        ? undefined
        : async (request: { kind: string; name: string; scopes: readonly string[] }) => {
            const result = await runner(mintCommand, JSON.stringify(request), options);
            if (result.exitCode !== 0) throw new CliError(`the mint command exited with code ${result.exitCode}`, { exitCode: 1 });
            const token = parseMinted(result.stdout);
            minted.push(token.token);
            return token;
          },
    publish: async (secret: { id: string; name: string; token: string }) => {
      const result = await runner(publishCommand, JSON.stringify(secret), options);
      if (result.exitCode !== 0) throw new CliError(`the publish command exited with code ${result.exitCode}`, { exitCode: 1 });
    },
  };
}

async function printRotation(ctx: CommandContext, report: RotationReport): Promise<void> {
  await ctx.print(report.steps, { columns: STEP_COLUMNS, document: report });
}

async function rotate(io: CliIo, flags: RotateFlags, command: Command, runner: HookRunner): Promise<void> {
  const ctx = createCommandContext(io, command);
  if (flags.dryRun !== true && (flags.mintCommand === undefined || flags.publishCommand === undefined)) {
    throw new UsageError(
      "--mint-command and --publish-command are required (or pass --dry-run for the plan)",
      'Sentry creates tokens only for a browser session: the mint command does that and prints {"id","token"}; the publish command stores it.',
    );
  }
  try {
    const { mint, publish } = hooks(ctx, flags, runner);
    const report = await rotateToken(ctx.client(), {
      kind: flags.kind,
      current: { id: flags.id },
      dryRun: flags.dryRun === true,
      publish,
      ...(mint === undefined ? {} : { mint }),
      ...(flags.name === undefined ? {} : { name: flags.name }),
    });
    await printRotation(ctx, report);
    if (report.dryRun) ctx.note("Dry run: nothing was minted, published or revoked.");
    else if (report.successor) ctx.note(`Rotated: successor ${report.successor.name} (${report.successor.id}) published; old token revoked.`);
  } catch (error) {
    if (!isTokenRotationError(error)) throw error;
    await printRotation(ctx, error.report);
    throw new CliError(`token rotation failed at ${error.step}: ${error.failure.message}`, { exitCode: 1, hint: error.hint });
  } finally {
    await ctx.close();
  }
}

const ROTATE_HELP = `
Hooks (run through the shell; the token value is passed only as JSON on stdin/stdout, never in argv or env):
  --mint-command     stdin {"kind","name","scopes"}; must print {"id","token"} for the new token
  --publish-command  stdin {"id","name","token"}; exit 0 once the secret store holds it

Example:
  $ sentry-rbac tokens rotate --kind user --id 1234 --name ci-cd-pipeline-prod \\
      --mint-command ./mint-sentry-token.sh --publish-command "./store-secret.sh ci/sentry" --dry-run
`;

/**
 * Adds `lint` and `rotate` to the `tokens` command group (created by the resource commands).
 * `runner` runs the rotate hooks; tests pass a fake, the default is the shell.
 * @example registerTokenRecipeCommands(program.commands.find((c) => c.name() === "tokens")!, io);
 */
export function registerTokenRecipeCommands(tokensCommand: Command, io: CliIo, runner: HookRunner = io.runHook ?? runShellHook): void {
  tokensCommand
    .command("lint")
    .description("check tokens against hygiene rules: naming, scope breadth, admin spread, age, expiry (exit 1 on findings)")
    .option("--file <file>", "token records as JSON (- for stdin); without it the API is tried, which needs a browser session")
    .option("--max-age-days <days>", "tokens older than this are due for rotation", parseDays, 90)
    .addHelpText("after", "\nExample:\n  $ sentry-rbac tokens lint --file tokens.json --max-age-days 90\n")
    .action((flags: { file?: string; maxAgeDays: number }, command: Command) => lint(io, flags, command));
  tokensCommand
    .command("rotate")
    .description("rotate a personal (user) or org auth token without ever leaving zero working tokens")
    .addOption(new Option("--kind <kind>", "token kind").choices(["user", "org"]).makeOptionMandatory())
    .requiredOption("--id <id>", "id of the token to rotate")
    .option("--name <purpose-env>", "base name of the successor, e.g. ci-cd-pipeline-prod (default: the current name)")
    .option("--mint-command <cmd>", "creates the successor (see below)")
    .option("--publish-command <cmd>", "stores the successor (see below)")
    .option("--dry-run", "show the steps, change nothing")
    .addHelpText("after", ROTATE_HELP)
    .action((flags: RotateFlags, command: Command) => rotate(io, flags, command, runner));
}
