// `sentry-rbac audit list`: the organization's audit log, newest first, filtered by event, actor and time.
// `audit export` (the streamed, resumable file export) comes from ./audit-export.ts, `audit tail` (the follower)
// from ./audit-tail.ts.
import { InvalidArgumentError, type Command } from "commander";
import type { AuditLogEntry, AuditLogListOptions } from "../../resources/audit-logs.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { registerAuditExportCommand } from "./audit-export.js";
import { registerAuditTailCommand } from "./audit-tail.js";
import { limited, withContext, withLimit } from "./resource-support.js";

const AUDIT_COLUMNS: readonly Column<AuditLogEntry>[] = [
  { key: "dateCreated", header: "DATE", value: (e) => e.dateCreated },
  { key: "event", header: "EVENT", value: (e) => e.event },
  { key: "actor", header: "ACTOR", value: (e) => e.actor.email ?? e.actor.name },
  { key: "note", header: "NOTE", value: (e) => e.note },
  { key: "ipAddress", header: "IP", value: (e) => e.ipAddress ?? "" },
];

/**
 * Parses `--since`/`--until`: an ISO 8601 date, or `<n>d` for n days before `now`.
 * @example parseWhen("30d", new Date("2026-03-31T00:00:00Z")) // 2026-03-01T00:00:00.000Z
 * @throws InvalidArgumentError for anything else.
 */
export function parseWhen(value: string, now: Date = new Date()): Date {
  const relative = /^(\d{1,5})d$/.exec(value);
  const date = relative ? new Date(now.getTime() - Number(relative[1]) * 86_400_000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("expected an ISO 8601 date (2026-01-31) or <days>d (30d = 30 days ago)");
  return date;
}

function parseActor(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected the actor's numeric user id");
  return value;
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
    .option("--actor <user-id>", "only entries by this user id", parseActor)
    .option("--since <when>", "entries at or after: ISO date or <days>d", (value: string) => parseWhen(value))
    .option("--until <when>", "entries before: ISO date or <days>d", (value: string) => parseWhen(value))
    .addHelpText("after", "\nExamples:\n  $ sentry-rbac audit list --event member.remove --since 30d\n  $ sentry-rbac audit list --limit 50 --csv > recent.csv\n")
    .action((flags: ListFlags, command: Command) => withContext(io, command, async (ctx) => {
      const options: AuditLogListOptions = {
        ...(flags.event === undefined ? {} : { event: flags.event }),
        ...(flags.actor === undefined ? {} : { actor: flags.actor }),
        ...(flags.since === undefined ? {} : { since: flags.since }),
        ...(flags.until === undefined ? {} : { until: flags.until }),
      };
      await ctx.print(limited(ctx.client().auditLogs.list(options), flags.limit), { columns: AUDIT_COLUMNS });
    }));
  registerAuditExportCommand(audit, io);
  registerAuditTailCommand(audit, io);
}
