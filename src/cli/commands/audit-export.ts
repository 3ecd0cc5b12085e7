// `sentry-rbac audit export`: the seed's quarterly audit export, streamed to a file and resumable.
// `audit` is the resource command group (audit list); this file adds only `export` to it.
import { InvalidArgumentError, Option, type Command } from "commander";
import { exportAuditLog, isAuditExportError, type AuditExportFormat, type AuditExportProgress, type AuditExportReport } from "../../recipes/audit-export.js";
import { isSentryError } from "../../http/errors.js";
import { createCommandContext } from "../context.js";
import { CliError } from "../errors.js";
import { exitCodeFor } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { collect } from "./resource-support.js";

interface ExportFlags {
  days: number;
  event?: string[];
  format?: AuditExportFormat;
  out: string;
  resume?: string;
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1) throw new InvalidArgumentError("expected a whole number of days (1 or more)");
  return days;
}

/**
 * The file format for an export: `--format`, else the file's extension, else JSON.
 * @example exportFormatFor(undefined, "q1.csv") // "csv"
 */
export function exportFormatFor(format: AuditExportFormat | undefined, out: string): AuditExportFormat {
  if (format !== undefined) return format;
  if (/\.csv$/i.test(out)) return "csv";
  if (/\.(ndjson|jsonl)$/i.test(out)) return "ndjson";
  return "json";
}

function summary(report: AuditExportReport): string {
  const events = report.events.length > 0 ? ` (events: ${report.events.join(", ")})` : "";
  return `Exported ${report.rows} audit entries to ${report.file ?? "the output"} as ${report.format}${events}, ${report.window.since} .. ${report.window.until}\n`;
}

/**
 * How far a newest-first walk is through its window: "reached 2026-10-03 (34% of the window)", per event walk.
 * @example windowStatus({ reached: "2026-02-15T00:00:00Z", window: { since: "2026-01-01T00:00:00Z", until: "2026-03-31T00:00:00Z" }, event: undefined })
 */
export function windowStatus(p: Pick<AuditExportProgress, "reached" | "window" | "event">): string {
  if (p.reached === undefined) return p.event === undefined ? "" : `(${p.event})`;
  const since = Date.parse(p.window.since);
  const until = Date.parse(p.window.until);
  const at = Date.parse(p.reached);
  const share = until > since ? Math.min(100, Math.max(0, Math.round(((until - at) / (until - since)) * 100))) : 100;
  return `reached ${p.reached.slice(0, 10)} (${share}% of the window${p.event === undefined ? "" : `, ${p.event}`})`;
}

async function exportAudit(io: CliIo, flags: ExportFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const format = exportFormatFor(flags.format, flags.out);
  const bar = ctx.progress({ label: "Exporting audit log" });
  let written = 0;
  try {
    const report = await exportAuditLog(ctx.client(), {
      days: flags.days, format, to: flags.out,
      ...(flags.event === undefined ? {} : { events: flags.event }),
      ...(flags.resume === undefined ? {} : { cursor: flags.resume }),
      onProgress: (p) => {
        bar.increment(p.rows - written);
        written = p.rows;
        bar.setStatus(windowStatus(p));
      },
    });
    bar.stop();
    if (ctx.format === "json") ctx.write(`${JSON.stringify(report, null, 2)}\n`);
    else ctx.write(summary(report));
    if (report.duplicatesSkipped > 0) ctx.note(`${report.duplicatesSkipped} duplicate row(s) skipped.`);
  } catch (error) {
    bar.stop();
    if (!isAuditExportError(error)) throw error;
    const { report } = error;
    const cause = error.cause;
    const resume = report.lastCursor === undefined
      ? "Nothing was written; run the same command again."
      : `Resume: sentry-rbac audit export --out ${flags.out} --format ${format} --resume ${report.lastCursor}`;
    const reason = isSentryError(cause) ? cause.message : error.message;
    throw new CliError(`audit export stopped after ${report.rows} row(s): ${reason}`, { exitCode: exitCodeFor(cause), hint: resume });
  } finally {
    await ctx.close();
  }
}

/**
 * Adds `export` to the `audit` command group (created by the resource commands).
 * @example registerAuditExportCommand(program.commands.find((c) => c.name() === "audit")!, io);
 */
export function registerAuditExportCommand(auditCommand: Command, io: CliIo): void {
  auditCommand
    .command("export")
    .description("stream the audit log of the last N days to a file (JSON, NDJSON or CSV); resumable")
    .requiredOption("--out <file>", "file to write (continued when resuming)")
    .option("--days <days>", "window length, ending now", parseDays, 90)
    .option("--event <name>", "only this event (repeat, or comma-separate), e.g. member.invite", collect)
    .addOption(new Option("--format <format>", "file format (default: from the extension, else json)").choices(["json", "ndjson", "csv"]))
    .option("--resume <cursor>", "continue an interrupted export from the cursor it printed")
    .addHelpText("after", "\nExamples:\n  $ sentry-rbac audit export --days 90 --out sentry-audit-q1.csv\n  $ sentry-rbac audit export --event member.remove --event member.invite --out members.ndjson\n")
    .action((flags: ExportFlags, command: Command) => exportAudit(io, flags, command));
}
