/**
 * How audit-export rows are written: the row shape (the columns of `audit list`, plus `id` and the targets), JSON/NDJSON/CSV
 * encodings, and reading back the rows just before a checkpoint of an interrupted export.
 */
import type { FileHandle } from "node:fs/promises";
import type { AuditLogEntry } from "../../../resources/audit-logs.js";

/** The file formats of an audit export. */
export type AuditExportFormat = "json" | "ndjson" | "csv";

/**
 * One exported row, its fields named as `audit list` names them: who acted (`actor`, a person), on what
 * (`targetObject`, the object's id; `targetUser`, the person acted on), when, from where, and Sentry's note.
 */
export interface AuditExportRow {
  id: string;
  dateCreated: string;
  event: string;
  /** The person who acted, as `audit list` shows them: their email, else their name (or an API key's, SCIM's label). */
  actor: string | null;
  /** The id of the object acted on (a member, team, project... depending on the event). */
  targetObject: number | null;
  /** The person acted on, for events about a user: their email, else their name, else their user id. */
  targetUser: string | null;
  ipAddress: string | null;
  note: string;
}

/** Column order of CSV output (and key order of JSON rows). */
export const AUDIT_EXPORT_COLUMNS = Object.freeze(["id", "dateCreated", "event", "actor", "targetObject", "targetUser", "ipAddress", "note"] as const);

function person(value: unknown): string | null {
  if (typeof value === "number") return String(value);
  if (value === null || typeof value !== "object") return null;
  const { email, name } = value as { email?: unknown; name?: unknown };
  if (typeof email === "string" && email !== "") return email;
  return typeof name === "string" ? name : null;
}

/** Maps an audit-log entry to an export row. */
export function toExportRow(entry: AuditLogEntry): AuditExportRow {
  return {
    id: String(entry.id),
    dateCreated: entry.dateCreated,
    event: entry.event,
    actor: person(entry.actor),
    targetObject: entry.targetObject ?? null,
    targetUser: person(entry.targetUser),
    ipAddress: entry.ipAddress ?? null,
    note: entry.note ?? "",
  };
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
