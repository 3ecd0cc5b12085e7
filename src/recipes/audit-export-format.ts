/**
 * How audit-export rows are written: the row shape (the seed's example 3 plus `id` and `note`), JSON/NDJSON/CSV
 * encodings, and the repair of a file an interrupted export left behind (a cut-off last line, an open JSON array).
 */
import { open } from "node:fs/promises";
import type { AuditLogEntry } from "../resources/audit-logs.js";

/** The file formats of an audit export. */
export type AuditExportFormat = "json" | "ndjson" | "csv";

/** One exported row: the seed's `{ date, event, actor, target, ip }` plus `id` and `note`. */
export interface AuditExportRow {
  id: string;
  date: string;
  event: string;
  /** The actor's name (a user's name, or the label of an API key, SCIM integration or the system). */
  actor: string | null;
  /** The target object's id. */
  target: number | null;
  ip: string | null;
  note: string;
}

/** Column order of CSV output (and key order of JSON rows). */
export const AUDIT_EXPORT_COLUMNS = Object.freeze(["id", "date", "event", "actor", "target", "ip", "note"] as const);

/** Maps an audit-log entry to an export row. */
export function toExportRow(entry: AuditLogEntry): AuditExportRow {
  const actor = entry.actor && typeof entry.actor.name === "string" ? entry.actor.name : null;
  return { id: String(entry.id), date: entry.dateCreated, event: entry.event, actor, target: entry.targetObject ?? null, ip: entry.ipAddress ?? null, note: entry.note ?? "" };
}

// A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, quote or line break (quotes doubled), prefixed with `'`
 * when a spreadsheet would read it as a formula. CRLF inside a value becomes LF, so CRLF only ever ends a record.
 * @example csvField('say "hi", ok') // '"say ""hi"", ok"'; csvField("=SUM(A1)") // "'=SUM(A1)"
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  let text = value.replace(/\r\n?/g, "\n");
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV header record. */
export const CSV_HEADER = `${AUDIT_EXPORT_COLUMNS.join(",")}\r\n`;

/** One row in the given format, with its record terminator (JSON rows get their separator from the writer). */
export function encodeRow(row: AuditExportRow, format: AuditExportFormat): string {
  if (format === "csv") return `${AUDIT_EXPORT_COLUMNS.map((column) => csvField(row[column])).join(",")}\r\n`;
  return format === "ndjson" ? `${JSON.stringify(row)}\n` : JSON.stringify(row);
}

/** What an existing export file holds at its end, and where to cut it so appending continues it cleanly. */
export interface ResumePoint {
  /** Byte length to truncate the file to (drops a cut-off record and, for JSON, the closing bracket). */
  truncateTo: number;
  /** Whether the file already holds rows (JSON needs a separator before the next one; CSV has its header). */
  hasRows: boolean;
  /** Ids of the last rows in the file, to skip them if the resumed page is the one written before a crash. */
  tailIds: string[];
  /** False when the file does not exist or is empty. */
  exists: boolean;
}

const TAIL_BYTES = 1 << 20;
const TAIL_ROWS = 200;

function rowId(record: string, format: AuditExportFormat): string | undefined {
  if (format === "csv") {
    const id = record.slice(0, record.indexOf(","));
    return /^\d+$/.test(id) ? id : undefined;
  }
  try {
    const parsed = JSON.parse(record.replace(/,$/, "")) as { id?: unknown };
    return typeof parsed.id === "string" ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the end of an export file (at most 1 MiB) to find where an interrupted export stopped.
 * @example const point = await findResumePoint("audit.ndjson", "ndjson");
 */
export async function findResumePoint(path: string, format: AuditExportFormat): Promise<ResumePoint> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { truncateTo: 0, hasRows: false, tailIds: [], exists: false };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { truncateTo: 0, hasRows: false, tailIds: [], exists: false };
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const text = buffer.toString("utf8");
    const separator = format === "csv" ? "\r\n" : "\n";
    // Records: complete ones end with the separator; the first one is partial when the tail starts mid-file.
    const records: Array<{ text: string; end: number }> = [];
    let from = 0;
    for (let at = text.indexOf(separator); at !== -1; at = text.indexOf(separator, from)) {
      records.push({ text: text.slice(from, at), end: at + separator.length });
      from = at + separator.length;
    }
    if (start > 0) records.shift();
    const rows = records.map((record) => ({ ...record, id: rowId(record.text, format) })).filter((r) => r.id !== undefined);
    const tailIds = rows.slice(-TAIL_ROWS).map((r) => r.id as string);
    if (format !== "json") {
      const last = records.at(-1);
      return { truncateTo: start + (last ? Buffer.byteLength(text.slice(0, last.end)) : 0), hasRows: rows.length > 0 || size > TAIL_BYTES, tailIds, exists: true };
    }
    const lastRow = rows.at(-1);
    if (lastRow === undefined) {
      // No complete row: keep only the opening bracket.
      return { truncateTo: text.startsWith("[") && start === 0 ? 1 : 0, hasRows: false, tailIds, exists: start === 0 && text.startsWith("[") };
    }
    const rowEnd = lastRow.end - 1 - (lastRow.text.endsWith(",") ? 1 : 0);
    return { truncateTo: start + Buffer.byteLength(text.slice(0, rowEnd)), hasRows: true, tailIds, exists: true };
  } finally {
    await handle.close();
  }
}
