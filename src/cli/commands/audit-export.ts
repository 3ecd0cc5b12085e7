// `sentry-rbac audit export`: the seed's quarterly audit export, streamed to a file and resumable.
// `audit` is the resource command group (audit list); this file adds only `export` to it.
import { InvalidArgumentError, Option, type Command } from "commander";
import {
  exportAuditLog,
  isAuditExportError,
  type AuditExportFormat,
  type AuditExportProgress,
  type AuditExportReport,
} from "../../recipes/audit/export/export.js";
import { Writable } from "node:stream";
import { isSentryError, isValidationError } from "../../http/errors/index.js";
import { createCommandContext } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import { exitCodeFor } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { parseWhen } from "./audit-args.js";
import { collect } from "./resource-support.js";

interface ExportFlags {
  days?: number;
  since?: Date;
  until?: Date;
  event?: string[];
  format?: AuditExportFormat;
  out: string;
  resume?: string;
  force?: boolean;
}

/** `--out -`: the export goes to stdout through the CLI's io (so tests and pipes see it), never ended by us. */
function stdoutStream(io: CliIo): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      io.stdout.write(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      done();
    },
  });
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
  return `Exported ${report.rows} audit entries to ${report.file ?? "stdout"} as ${report.format}${events}, ${report.window.since} .. ${report.window.until}`;
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
  if (flags.days !== undefined && flags.since !== undefined)
    throw new UsageError("--days and --since cannot be combined", "--days N is the N days ending at --until (default now); --since sets the start itself.");
  if (flags.since !== undefined && flags.until !== undefined && flags.since >= flags.until) throw new UsageError("--since must be before --until");
  const format = exportFormatFor(flags.format, flags.out);
  const toStdout = flags.out === "-";
  const bar = ctx.progress({ label: "Exporting audit log" });
  let written = 0;
  try {
    const report = await exportAuditLog(ctx.client(), {
      format,
      to: toStdout ? stdoutStream(io) : flags.out,
      overwrite: flags.force === true,
      ...(flags.days === undefined ? {} : { days: flags.days }),
      ...(flags.since === undefined ? {} : { since: flags.since }),
      ...(flags.until === undefined ? {} : { until: flags.until }),
      ...(flags.event === undefined ? {} : { events: flags.event }),
      ...(flags.resume === undefined ? {} : { cursor: flags.resume }),
      onProgress: (p) => {
        bar.increment(p.rows - written);
        written = p.rows;
        bar.setStatus(windowStatus(p));
      },
    });
    bar.stop();
    // With the rows on stdout, the summary (or the --json report) goes to stderr.
    const say = toStdout ? (text: string) => io.stderr.write(text) : ctx.write;
    if (ctx.format === "json") say(`${JSON.stringify(report, null, 2)}\n`);
    else say(`${summary(report)}\n`);
    if (report.duplicatesSkipped > 0) ctx.note(`${report.duplicatesSkipped} duplicate row(s) skipped.`);
  } catch (error) {
    bar.stop();
    if (isValidationError(error) && error.field === "to")
      throw new UsageError(error.detail, "Pass --force to replace the file, --resume <cursor> to continue it, or another --out.");
    if (!isAuditExportError(error)) throw error;
    const { report } = error;
    const cause = error.cause;
    const resume =
      report.lastCursor === undefined
        ? "Nothing was written; run the same command again once the cause is fixed."
        : toStdout
          ? `Resume (rows after the last checkpoint): sentry-rbac audit export --out - --format ${format} --resume ${report.lastCursor}`
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
    .description("stream the audit log of a window (the last N days, or --since/--until) to a file (JSON, NDJSON or CSV); resumable")
    .requiredOption("--out <file>", "file to write (continued when resuming), or - for stdout")
    .option("--force", "replace an existing --out file")
    .option("--days <days>", "window length, ending at --until (default now); default 90", parseDays)
    .option("--since <when>", "start of the window (included): ISO date or <days>d", (value: string) => parseWhen(value))
    .option("--until <when>", "end of the window (excluded, so quarters do not overlap): ISO date or <days>d; default now", (value: string) => parseWhen(value))
    .option("--event <name>", "only this event (repeat, or comma-separate), e.g. member.invite", collect)
    .addOption(new Option("--format <format>", "file format (default: from the extension, else json)").choices(["json", "ndjson", "csv"]))
    .option("--resume <cursor>", "continue an interrupted export from the cursor it printed")
    .addHelpText(
      "after",
      "\nExamples:\n  $ sentry-rbac audit export --days 90 --out sentry-audit-last-90-days.csv\n  $ sentry-rbac audit export --since 2026-01-01 --until 2026-04-01 --out sentry-audit-2026-q1.csv\n  $ sentry-rbac audit export --event member.remove --event member.invite --out members.ndjson\n",
    )
    .action((flags: ExportFlags, command: Command) => exportAudit(io, flags, command));
}
