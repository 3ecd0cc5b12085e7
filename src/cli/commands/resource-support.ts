// What the resource commands (teams, members, projects, scim, tokens, audit) share: the action wrapper that
// closes the client, `--limit`, single-object output, and the dry-run printout of a request that was not sent.
import { InvalidArgumentError, type Command } from "commander";
import { createCommandContext, type CommandContext } from "../context.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";

/** A request a dry run describes instead of sending. */
export interface PlannedRequest {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  /** The API path with its parameters filled in. */
  path: string;
  body?: unknown;
  /** Anything the request depends on that a dry run cannot know (it reads nothing). */
  note?: string;
}

/**
 * Parses `--limit`: a whole number of rows, 1 or more.
 * @example parseLimit("25") // 25
 * @throws InvalidArgumentError for anything else (commander turns it into exit 2).
 */
export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1) throw new InvalidArgumentError("expected a whole number of rows (1 or more)");
  return limit;
}

/**
 * Adds `--limit <n>` to a list command.
 * @example withLimit(teams.command("list")).action(...)
 */
export function withLimit(command: Command): Command {
  return command.option("--limit <n>", "stop after n rows", parseLimit);
}

/**
 * The first `limit` rows of an async iterable; stopping early ends the walk, so no page past them is fetched.
 * @example for await (const team of limited(sentry.org.teams.list(), 10)) ...
 */
export async function* limited<T>(rows: AsyncIterable<T>, limit: number | undefined): AsyncGenerator<T> {
  if (limit === undefined) {
    yield* rows;
    return;
  }
  let count = 0;
  if (limit <= 0) return;
  for await (const row of rows) {
    yield row;
    count += 1;
    if (count >= limit) return;
  }
}

/**
 * Runs a command action with its context and always closes the SDK client afterwards.
 * @example .action((flags, command) => withContext(io, command, (ctx) => ctx.print(rows, output)))
 */
export async function withContext(io: CliIo, command: Command, action: (ctx: CommandContext) => Promise<void>): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    await action(ctx);
  } finally {
    await ctx.close();
  }
}

/**
 * Prints one object: a one-row table, or with `--json` the object itself rather than an array.
 * @example await printOne(ctx, team, TEAM_COLUMNS, toTeamJson);
 */
export async function printOne<T>(ctx: CommandContext, row: T, columns: readonly Column<T>[], toJson: (row: T) => unknown = (r) => r): Promise<void> {
  await ctx.print([row], { columns, document: toJson(row), toJson });
}

/**
 * Prints the request a dry run would have sent and notes that nothing was sent. With `--json` the output is
 * `{ "dryRun": true, "requests": [...] }`; otherwise one line per request with its JSON body.
 * @example printDryRun(ctx, [{ method: "DELETE", path: "/api/0/teams/acme/payments/" }]);
 */
export function printDryRun(ctx: CommandContext, requests: readonly PlannedRequest[]): void {
  if (ctx.format === "json") {
    ctx.write(`${JSON.stringify({ dryRun: true, requests }, null, 2)}\n`);
  } else if (ctx.format === "ndjson") {
    for (const request of requests) ctx.write(`${JSON.stringify({ dryRun: true, ...request })}\n`);
  } else {
    for (const request of requests) {
      const body = request.body === undefined ? "" : ` ${JSON.stringify(request.body)}`;
      ctx.write(`would send: ${request.method} ${request.path}${body}\n`);
      if (request.note !== undefined) ctx.write(`  (${request.note})\n`);
    }
  }
  ctx.note("Dry run: nothing was sent.");
}

/**
 * Encodes a path parameter the way the SDK's client does.
 * @example apiPath`/api/0/teams/${org}/${team}/`
 */
export function apiPath(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  return strings.reduce((out, part, index) => out + part + (index < values.length ? encodeURIComponent(String(values[index])) : ""), "");
}

/**
 * Commander option parser for repeatable, comma-separable values: `--project a --project b,c` → ["a", "b", "c"].
 * @example command.option("--project <slug>", "a project (repeat, or comma-separate)", collect)
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== ""),
  ];
}
