/**
 * How audit-export rows are written: the row shape (the seed's example 3 plus `id` and `note`), JSON/NDJSON/CSV
 * encodings, and reading back the rows just before a checkpoint of an interrupted export.
 */
import type { FileHandle } from "node:fs/promises";
import type { AuditLogEntry } from "../../../resources/audit-logs.js";

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
 * Ids of the last rows (at most 200, read from at most 1 MiB) before byte `end` of an export file: the resume
 * point's neighbours, used to check that the file is the one a checkpoint describes and to skip a row that a page
 * boundary repeats.
 * @example const ids = await readTailIds(handle, checkpoint.bytes, "ndjson");
 */
export async function readTailIds(handle: FileHandle, end: number, format: AuditExportFormat): Promise<string[]> {
  const start = Math.max(0, end - TAIL_BYTES);
  const buffer = Buffer.alloc(end - start);
  if (buffer.length > 0) await handle.read(buffer, 0, buffer.length, start);
  const records = buffer.toString("utf8").split(format === "csv" ? "\r\n" : "\n");
  if (start > 0) records.shift(); // begins mid-record
  const ids: string[] = [];
  for (const record of records) {
    const id = rowId(record, format);
    if (id !== undefined) ids.push(id);
  }
  return ids.slice(-TAIL_ROWS);
}
