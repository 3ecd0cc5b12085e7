// `sentry-rbac audit list`: the organization's audit log, newest first, filtered by event, actor and time.
// `audit export` (the streamed, resumable file export) comes from ./audit-export.ts, `audit tail` (the follower)
// from ./audit-tail.ts.
import { InvalidArgumentError, type Command } from "commander";
import type { AuditLogEntry, AuditLogListOptions } from "../../resources/audit-logs.js";
import type { CommandContext } from "../context.js";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { registerAuditExportCommand } from "./audit-export.js";
import { parseWhen } from "./audit-args.js";
import { registerAuditTailCommand } from "./audit-tail.js";
import { isEmail, resolveMember } from "./people.js";
import { limited, withContext, withLimit } from "./resource-support.js";
import { editDistance } from "../../vocabulary/suggest.js";

const AUDIT_COLUMNS: readonly Column<AuditLogEntry>[] = [
  { key: "dateCreated", header: "DATE", value: (e) => e.dateCreated },
  { key: "event", header: "EVENT", value: (e) => e.event },
  { key: "actor", header: "ACTOR", value: (e) => e.actor.email ?? e.actor.name },
  { key: "note", header: "NOTE", value: (e) => e.note },
  { key: "ipAddress", header: "IP", value: (e) => e.ipAddress ?? "" },
];

function parseActor(value: string): string {
  if (!/^\d+$/.test(value) && !isEmail(value)) throw new InvalidArgumentError("expected the actor's numeric user id or a member's email");
  return value;
}

/**
 * The known names closest to an unknown one, best first (at most three, within a third of its length).
 * @example didYouMean("member.invte", ["member.invite", "member.add"]) // ["member.invite"]
 */
export function didYouMean(name: string, known: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return known
    .map((candidate) => ({ candidate, d: editDistance(name, candidate) }))
    .filter((entry) => entry.d <= limit)
    .sort((x, y) => x.d - y.d || x.candidate.localeCompare(y.candidate))
    .slice(0, 3)
    .map((entry) => entry.candidate);
}

// Sentry answers an unknown event name with no rows, not an error; its `options` list holds every name it knows.
async function warnUnknownEvent(ctx: CommandContext, event: string): Promise<void> {
  const { data } = await ctx.client().raw.GET("/api/0/organizations/{organization_id_or_slug}/audit-logs/", {
    params: { path: { organization_id_or_slug: ctx.requireOrg() }, query: { event, per_page: 1 } },
  });
  const known = (data as { options?: unknown } | undefined)?.options;
  if (!Array.isArray(known) || known.length === 0 || known.includes(event)) return;
  const names = known.filter((value): value is string => typeof value === "string");
  const close = didYouMean(event, names);
  ctx.note(
    `warning: Sentry knows no audit event '${event}'${close.length > 0 ? `; did you mean ${close.join(", ")}?` : ` (see \`sentry-rbac audit list --help\`)`}`,
  );
}

async function actorId(ctx: CommandContext, actor: string): Promise<string> {
  if (!isEmail(actor)) return actor;
  const member = await resolveMember(ctx, actor);
  const id = member.user?.id;
  if (id === undefined || id === null) throw new CliError(`${actor} has not joined ${ctx.requireOrg()} yet (a pending invite has no user id)`, { exitCode: 4 });
  return String(id);
}

interface ListFlags {
  event?: string;
  actor?: string;
  since?: Date;
  until?: Date;
  limit?: number;
}

/**
 * Registers `audit list`, `audit export` and `audit tail`; listed in COMMANDS.
 * @example registerAuditCommand(program, io); // sentry-rbac audit list --event member.invite --since 30d
 */
export function registerAuditCommand(program: Command, io: CliIo): void {
  const audit = program.command("audit").description("the organization's audit log: list, export, tail (needs org:write)");
  withLimit(audit.command("list").description("list audit-log entries, newest first"))
    .option("--event <name>", "only this event, e.g. member.invite")
    .option("--actor <user-id|email>", "only entries by this user (a user id, or a member's email)", parseActor)
    .option("--since <when>", "entries at or after: ISO date or <days>d", (value: string) => parseWhen(value))
    .option("--until <when>", "entries before: ISO date or <days>d", (value: string) => parseWhen(value))
    .addHelpText(
      "after",
      "\nExamples:\n  $ sentry-rbac audit list --event member.remove --since 30d\n  $ sentry-rbac audit list --limit 50 --csv > recent.csv\n",
    )
    .action((flags: ListFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const actor = flags.actor === undefined ? undefined : await actorId(ctx, flags.actor);
        const options: AuditLogListOptions = {
          ...(flags.event === undefined ? {} : { event: flags.event }),
          ...(actor === undefined ? {} : { actor }),
          ...(flags.since === undefined ? {} : { since: flags.since }),
          ...(flags.until === undefined ? {} : { until: flags.until }),
        };
        const count = await ctx.print(limited(ctx.client().auditLogs.list(options), flags.limit), { columns: AUDIT_COLUMNS });
        if (count === 0 && flags.event !== undefined) await warnUnknownEvent(ctx, flags.event);
      }),
    );
  registerAuditExportCommand(audit, io);
  registerAuditTailCommand(audit, io);
}
