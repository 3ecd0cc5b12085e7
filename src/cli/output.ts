/**
 * Output for people and for pipes: aligned tables by default, `--json`, `--ndjson` or `--csv` on request.
 * Tables are built from columns; JSON and NDJSON carry the full records. NDJSON and CSV stream row by row, so a
 * long audit export never sits in memory; a table waits for all rows to align them, and a JSON array is written
 * whole once every row arrived, so a failing call prints valid JSON or nothing (use --ndjson for huge lists).
 */
import { UsageError } from "./errors.js";

/** The four output formats. */
export type OutputFormat = "table" | "json" | "ndjson" | "csv";

/** A value a table or CSV cell can show; arrays are joined with ", ". */
export type Cell = string | number | boolean | null | undefined | readonly (string | number)[];

/** One column of a table or CSV: `key` heads the CSV column, `header` the table column. */
export interface Column<T> {
  key: string;
  header: string;
  value: (row: T) => Cell;
}

/** How a list of rows is shown in each format. */
export interface ListOutput<T> {
  columns: readonly Column<T>[];
  /** The JSON/NDJSON record of a row; default the row itself. */
  toJson?: (row: T) => unknown;
  /** For `--json`: print this one document instead of an array of rows (e.g. a whole report). */
  document?: unknown;
}

/** The flags that pick a format. */
export interface FormatFlags {
  json?: boolean | undefined;
  ndjson?: boolean | undefined;
  csv?: boolean | undefined;
}

/**
 * The format the flags ask for; table when none is given.
 * @example outputFormat({ csv: true }) // "csv"
 * @throws UsageError when more than one format flag is given.
 */
export function outputFormat(flags: FormatFlags): OutputFormat {
  const chosen = (["json", "ndjson", "csv"] as const).filter((name) => flags[name] === true);
  if (chosen.length > 1) {
    throw new UsageError(`--${chosen.join(" and --")} cannot be combined`, "Pick one output format.");
  }
  return chosen[0] ?? "table";
}

function cellText(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

// Terminal escape sequences in data (a team name, an audit note) must not drive the user's terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function tableText(value: Cell): string {
  return cellText(value)
    .replace(/[\r\n\t]/g, " ")
    .replace(CONTROL, "\uFFFD");
}

function width(text: string): number {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- counting code points is the point: a column is one per code point
  return [...text].length;
}

/**
 * Rows as an aligned text table with a header line, columns two spaces apart.
 * @example formatTable([{ slug: "backend" }], [{ key: "slug", header: "SLUG", value: (t) => t.slug }])
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const grid = [columns.map((column) => column.header), ...rows.map((row) => columns.map((column) => tableText(column.value(row))))];
  const widths = columns.map((_, index) => Math.max(...grid.map((line) => width(line[index] ?? ""))));
  return grid
    .map((line) =>
      line
        .map((text, index) => (index === line.length - 1 ? text : text + " ".repeat((widths[index] ?? 0) - width(text))))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), so such cells get a
// leading apostrophe, as OWASP advises. Numbers are data, never guarded.
const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r"]);

/**
 * One CSV field: formula-guarded, then quoted per RFC 4180 when it holds a comma, quote, CR or LF.
 * @example csvCell('=HYPERLINK("x")') // "\"'=HYPERLINK(\"\"x\"\")\""
 */
export function csvCell(value: Cell): string {
  let text = cellText(value);
  if (typeof value !== "number" && typeof value !== "boolean" && text.length > 0 && FORMULA_START.has(text[0] ?? "")) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One CSV record with the RFC 4180 CRLF line ending.
 * @example csvLine(["backend", 3]) // "backend,3\r\n"
 */
export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

function indent(text: string): string {
  return text.replace(/\n/g, "\n  ");
}

/**
 * Writes rows in a format and returns how many were written (0 when `--json` prints `document` instead).
 * Rows may be an async iterable (a Paginator).
 * @example await writeList(write, "csv", sentry.org.teams.list(), { columns: TEAM_COLUMNS });
 */
export async function writeList<T>(
  write: (chunk: string) => void,
  format: OutputFormat,
  rows: Iterable<T> | AsyncIterable<T>,
  output: ListOutput<T>,
): Promise<number> {
  const toJson = output.toJson ?? ((row: T) => row);
  let count = 0;
  if (format === "json" && output.document !== undefined) {
    // The rows are not walked: for a Paginator that would fetch every page only to count them.
    write(`${JSON.stringify(output.document, null, 2)}\n`);
    return 0;
  }
  if (format === "table") {
    const all: T[] = [];
    for await (const row of rows) all.push(row);
    write(all.length === 0 ? "No results.\n" : formatTable(all, output.columns));
    return all.length;
  }
  // Nothing is written until the first row arrived, so a call that fails at once leaves stdout empty; a JSON
  // array is written only once complete, so a failure midway leaves nothing a parser would half-read.
  const parts: string[] = [];
  for await (const row of rows) {
    if (format === "csv") {
      if (count === 0) write(csvLine(output.columns.map((column) => column.key)));
      write(csvLine(output.columns.map((column) => column.value(row))));
    } else if (format === "ndjson") write(`${JSON.stringify(toJson(row))}\n`);
    else parts.push(indent(JSON.stringify(toJson(row), null, 2)));
    count += 1;
  }
  if (format === "csv" && count === 0) write(csvLine(output.columns.map((column) => column.key)));
  if (format === "json") write(count === 0 ? "[]\n" : `[\n  ${parts.join(",\n  ")}\n]\n`);
  return count;
}
