/**
 * The CSV reader of `decisions.csv`, RFC 4180 as spreadsheets write it back: quoted fields with embedded commas,
 * doubled quotes and line breaks, a UTF-8 byte-order mark, CRLF, LF or lone CR line ends, a missing final line end.
 * Each record carries the physical line it starts on, so a refusal can name the line a reviewer must fix.
 *
 * Hand-written rather than a dependency (csv-parse is the well-kept one): the format is our own fixed-header file,
 * the whole reader is one forward scan below, and the SDK stays free of a runtime dependency for it (both the ESM
 * and CJS builds carry it). Linear in the input: each character is looked at once.
 */
import { isSentryErrorOfKind, SentryError } from "../../http/errors/errors.js";

/** One record and the 1-based line of the file it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Why a CSV text could not be read, with the line where the problem starts.
 * @example try { parseCsv('"open'); } catch (e) { if (e instanceof CsvSyntaxError) console.error(`line ${e.line}`); }
 */
export class CsvSyntaxError extends SentryError {
  override readonly kind: "csv-syntax";
  readonly line: number;
  constructor(line: number, message: string) {
    super("csv-syntax", `line ${line}: ${message}`, { hint: "Save the sheet again as CSV (UTF-8, comma-separated), or fix the quotes on that line." });
    this.name = "CsvSyntaxError";
    this.kind = "csv-syntax";
    this.line = line;
  }
}

/**
 * True for a {@link CsvSyntaxError}, also across duplicate copies of the package.
 * @example try { parseCsv(text); } catch (e) { if (isCsvSyntaxError(e)) console.error(e.line); }
 */
export function isCsvSyntaxError(value: unknown): value is CsvSyntaxError {
  return isSentryErrorOfKind(value, "csv-syntax");
}

/**
 * Reads CSV text into records; blank lines between records are skipped.
 * @example parseCsv('a,"b, ""c"""\r\n1,2\r\n') // [{ line: 1, fields: ["a", 'b, "c"'] }, { line: 2, fields: ["1", "2"] }]
 * @throws {CsvSyntaxError} for a quote that is never closed, or text right after a closing quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted (its closing quote seen)
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    // A line with nothing on it is no record (spreadsheets leave trailing blank lines); `""` alone is one.
    const blank = fields.length === 0 && field === "" && !wasQuoted;
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < input.length) {
    const c = input[i] as string;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        wasQuoted = true;
      } else {
        if (c === "\n" || (c === "\r" && input[i + 1] !== "\n")) line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === ",") endField();
    else if (c === "\r" || c === "\n") {
      endRecord();
      if (c === "\r" && input[i + 1] === "\n") i++;
      line++;
      recordLine = line;
    } else if (c === '"' && field === "" && !wasQuoted) quoted = true;
    else if (wasQuoted) throw new CsvSyntaxError(line, "text after a closing quote (a quote inside a field must be doubled)");
    else field += c;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(recordLine, "a quoted field is never closed");
  if (field !== "" || fields.length > 0 || wasQuoted) endRecord();
  return records;
}
