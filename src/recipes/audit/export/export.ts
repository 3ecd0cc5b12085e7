/**
 * Audit export: streams the organization's audit log for a time window to a file or Writable as JSON, NDJSON or CSV,
 * page by page (never holding the log), deduplicating by id, and resumable from the cursor it reports.
 */
import type { Writable } from "node:stream";
import type { SentryClient } from "../../../client.js";
import { isSentryErrorOfKind, SentryError, ValidationError } from "../../../http/errors/errors.js";
import { toIsoDate } from "../../../resources/validate.js";
import { toExportRow, type AuditExportFormat } from "./format.js";
import { type ExportSink, type FilePosition, openFileSink, openStreamSink } from "./sink.js";
import { resolveNow, type NowOption } from "../../shared/clock.js";

export { AUDIT_EXPORT_COLUMNS, csvField, type AuditExportFormat, type AuditExportRow } from "./format.js";

/** Options of {@link exportAuditLog}. */
export interface ExportAuditLogOptions {
  /** The window's length, ending now; default 90. Ignored when `since` is given. */
  days?: number;
  /** Start of the window (included). */
  since?: Date | string;
  /**
   * End of the window, excluded: a row dated exactly `until` belongs to the next window, so consecutive windows
   * (`2026-01-01`..`2026-04-01`, `2026-04-01`..`2026-07-01`) export every row once. Default now.
   */
  until?: Date | string;
  /** Only these events; Sentry filters one event per request, so each gets its own walk, one after another. */
  events?: readonly string[];
  format: AuditExportFormat;
  /** A file path (created, or continued when resuming) or a Writable (written to, never ended). */
  to: string | Writable;
  /** Replace an existing file at `to` on a fresh export; without it an existing file is refused (ValidationError). */
  overwrite?: boolean;
  /** Resume from `lastCursor` of an interrupted export; it pins the original window and events. */
  cursor?: string;
  onProgress?: (progress: AuditExportProgress) => void;
  signal?: AbortSignal;
  /** Rows per request, 1..100; default 100. */
  perPage?: number;
  now?: NowOption;
}

/** Reported after every page written. */
export interface AuditExportProgress {
  rows: number;
  pages: number;
  /** Resume from here if the export stops now: reported only once the page is durable (a file: fsynced). */
  lastCursor: string | undefined;
  event: string | undefined;
  /** The date of the oldest row written so far in this event's walk (rows arrive newest first). */
  reached: string | undefined;
  /** The export's window, to tell how far `reached` is through it. */
  window: { since: string; until: string };
}

/** The outcome of {@link exportAuditLog}. */
export interface AuditExportReport {
  rows: number;
  pages: number;
  /**
   * Undefined once the export is complete, or when it failed before writing anything (run it again afresh);
   * else the cursor to resume from.
   */
  lastCursor: string | undefined;
  /** The path written, when `to` was a path. */
  file: string | undefined;
  format: AuditExportFormat;
  window: { since: string; until: string };
  events: string[];
  /** Rows skipped because a page repeated an id already written. */
  duplicatesSkipped: number;
}

/**
 * The export stopped (network, permission, abort...). `report.lastCursor` resumes it; `cause` is the failure.
 * @example catch (e) { if (isAuditExportError(e)) await exportAuditLog(sentry, { ...options, cursor: e.report.lastCursor }); }
 */
export class AuditExportError extends SentryError {
  override readonly kind: "audit-export";
  readonly report: AuditExportReport;
  constructor(report: AuditExportReport, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : "stopped";
    super("audit-export", `audit export stopped after ${report.rows} rows (${reason}); resume with cursor ${report.lastCursor ?? "(none)"}`, {
      cause,
      hint:
        report.lastCursor === undefined
          ? "Fix the cause and run the export again."
          : "Fix the cause, then resume with the cursor (`cursor` option, or `audit export --resume`).",
    });
    this.name = "AuditExportError";
    this.kind = "audit-export";
    this.report = report;
  }
}

/**
 * True for an {@link AuditExportError}, also across duplicate copies of the package.
 * @example catch (e) { if (isAuditExportError(e)) await exportAuditLog(sentry, { ...options, cursor: e.report.lastCursor }); }
 */
export function isAuditExportError(value: unknown): value is AuditExportError {
  return isSentryErrorOfKind(value, "audit-export");
}

/**
 * What the export cursor carries: the window, the events, which event's walk, Sentry's cursor within it, and for
 * a file the durable position the checkpoint stands for (so a resume cuts the file back to exactly there).
 */
interface ExportCursor {
  v: 2;
  since: string;
  until: string;
  events: string[];
  walk: number;
  cursor: string | undefined;
  file?: FilePosition | undefined;
}

function encodeCursor(state: ExportCursor): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

function decodeCursor(text: string): ExportCursor {
  try {
    const state = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as ExportCursor;
    const file = state.file;
    const fileOk =
      file === undefined ||
      (Number.isInteger(file.bytes) && file.bytes >= 0 && Number.isInteger(file.rows) && (file.last === undefined || typeof file.last === "string"));
    if (
      state.v === 2 &&
      typeof state.since === "string" &&
      typeof state.until === "string" &&
      Array.isArray(state.events) &&
      Number.isInteger(state.walk) &&
      fileOk
    )
      return state;
  } catch {
    // Fall through to the validation error below.
  }
  throw ValidationError.forInput("cursor", "is not a cursor reported by exportAuditLog");
}

function initialState(options: ExportAuditLogOptions): ExportCursor {
  if (options.cursor !== undefined) return decodeCursor(options.cursor);
  const now = resolveNow(options.now);
  const days = options.days ?? 90;
  if (!Number.isFinite(days) || days <= 0) throw ValidationError.forInput("days", "must be a positive number");
  const until = options.until === undefined ? now.toISOString() : toIsoDate("until", options.until);
  const since = options.since === undefined ? new Date(Date.parse(until) - days * 86_400_000).toISOString() : toIsoDate("since", options.since);
  // Sentry answers 500 unless start < end (src/sentry/api/utils.py get_date_range_from_stats_period).
  if (since >= until) throw ValidationError.forInput("since", "must be before until (Sentry refuses an empty or reversed window)");
  const events = [...new Set(options.events ?? [])];
  if (events.some((event) => typeof event !== "string" || event === "")) throw ValidationError.forInput("events", "must be event names such as member.invite");
  return { v: 2, since, until, events, walk: 0, cursor: undefined };
}

/**
 * Exports the audit log of a time window, newest first within each event's walk.
 *
 * Deduplication keeps only the ids of the current and the previous page: Sentry's audit-log cursors
 * (`DateTimePaginator`) are a page edge's epoch ms plus the rows already taken at that millisecond, so a row can
 * reappear only across one page boundary (a page fetched again after a retry, or a row written at the edge's
 * millisecond meanwhile), never further back; audit rows are only added, so none is skipped.
 * Checkpoints: a cursor is reported only once its page is durable (a file: written and fsynced; a Writable:
 * accepted by its write callback), and for a file it records the byte offset it stands for. Resuming a file from
 * any checkpoint the export reported cuts the file back to that offset (dropping a page written after it, a
 * cut-off record, a closing bracket) and continues, so the result is exactly an uninterrupted export, in every
 * format. A Writable gets only the rows after the cursor (for JSON, as a new array). An export that fails before
 * writing any row leaves no file and reports no cursor.
 *
 * @example
 * const report = await exportAuditLog(sentry, { days: 90, format: "csv", to: "sentry-audit-q1-2026.csv" });
 * console.log(`exported ${report.rows} audit entries`);
 * @throws {ValidationError} for bad options, a cursor this function did not produce or that does not match the
 * file, or an existing file without `overwrite` (all before any request).
 * @throws {AuditExportError} when the export stops; `report.lastCursor` resumes it.
 */
export async function exportAuditLog(sentry: SentryClient, options: ExportAuditLogOptions): Promise<AuditExportReport> {
  if (!["json", "ndjson", "csv"].includes(options.format)) throw ValidationError.forInput("format", `must be "json", "ndjson" or "csv"`);
  const state = initialState(options);
  const resuming = options.cursor !== undefined;
  const report: AuditExportReport = {
    rows: 0,
    pages: 0,
    lastCursor: resuming ? options.cursor : undefined,
    file: typeof options.to === "string" ? options.to : undefined,
    format: options.format,
    window: { since: state.since, until: state.until },
    events: [...state.events],
    duplicatesSkipped: 0,
  };
  const sink: ExportSink =
    typeof options.to === "string"
      ? await openFileSink({ path: options.to, resume: resuming ? state.file : undefined, overwrite: options.overwrite === true }, options.format)
      : openStreamSink(options.to, options.format);
  const checkpoint = (next: Pick<ExportCursor, "walk" | "cursor">) => encodeCursor({ ...state, ...next, file: sink.position() });
  const untilMs = Date.parse(state.until);
  let failure: unknown;
  try {
    let previous = new Set(sink.tailIds);
    const walks: Array<string | undefined> = state.events.length === 0 ? [undefined] : state.events;
    for (let walk = state.walk; walk < walks.length; walk++) {
      const event = walks[walk];
      const entries = sentry.auditLogs.list({
        since: state.since,
        until: state.until,
        ...(event === undefined ? {} : { event }),
        ...(walk === state.walk && state.cursor !== undefined ? { cursor: state.cursor } : {}),
        ...(options.perPage === undefined ? {} : { perPage: options.perPage }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      for await (const page of entries.pages()) {
        const current = new Set<string>();
        const rows = [];
        for (const entry of page.items) {
          // Sentry's range is inclusive at both ends; the window is half-open, so the row at `until` is left out.
          if (Date.parse(entry.dateCreated) >= untilMs) continue;
          const id = String(entry.id);
          if (previous.has(id) || current.has(id)) {
            report.duplicatesSkipped += 1;
            continue;
          }
          current.add(id);
          rows.push(toExportRow(entry));
        }
        // Durable first, checkpoint after: a cursor is never reported for rows still in a buffer.
        await sink.writeRows(rows);
        previous = current;
        report.rows += rows.length;
        report.pages += 1;
        report.lastCursor = checkpoint(page.nextCursor === undefined ? { walk: walk + 1, cursor: undefined } : { walk, cursor: page.nextCursor });
        const reached = page.items.at(-1)?.dateCreated;
        options.onProgress?.({ rows: report.rows, pages: report.pages, lastCursor: report.lastCursor, event, reached, window: report.window });
      }
      if (report.lastCursor !== undefined || sink.position() !== undefined) report.lastCursor = checkpoint({ walk: walk + 1, cursor: undefined });
      // Another event's walk shares no rows with this one (each row has one event).
      previous = new Set();
    }
    report.lastCursor = undefined;
  } catch (error) {
    failure = error;
  } finally {
    await sink.close(failure === undefined);
  }
  if (failure !== undefined) throw new AuditExportError(report, failure);
  return report;
}
