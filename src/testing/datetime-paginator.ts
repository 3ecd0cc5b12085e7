/**
 * Sentry's `DateTimePaginator` over a newest-first list (src/sentry/api/paginator.py `BasePaginator.get_result`,
 * src/sentry/utils/cursors.py `Cursor`, `build_cursor`), as the audit-log endpoint pages with it:
 * a cursor is `value:offset:is_prev`, `value` the edge row's time in epoch milliseconds and `offset` the rows to
 * skip among those at or past it (rows sharing the millisecond). Cursors from real Sentry resume here and ours
 * there. Like Sentry's, a row written during a walk with the same millisecond as the cursor shifts the offset, so a
 * walk may see a row twice (never lose one: audit rows are only added): readers deduplicate by id.
 */
import { pythonInt } from "./drf.js";
import { AnswerError, detail, type EmuAnswer, type EmuRequest } from "./http.js";
import { linkHeader, parsePerPage } from "./pagination.js";

/** A parsed cursor: Sentry keeps `value` a float when its text has a dot, an int otherwise. */
interface Cursor {
  value: number;
  isFloat: boolean;
  offset: number;
  isPrev: boolean;
}

const INTERNAL_ERROR: EmuAnswer = { status: 500, body: { detail: "Internal Error", errorId: null } };
const PYTHON_FLOAT = /^\s*[+-]?(?:\d+(?:_\d+)*)?\.(?:\d+(?:_\d+)*)?(?:e[+-]?\d+)?\s*$/i;
/** `datetime.fromtimestamp` refuses instants past year 9999 (a ValueError the endpoint does not catch). */
const MAX_MS = 253_402_300_799_999;

/** `Cursor.from_string`: three `:`-separated parts, each Python `int()` (the value `float()` if it has a dot). */
function parseCursor(raw: string | null): Cursor | null {
  if (raw === null || raw === "") return null;
  const invalid = () => new AnswerError(detail(400, "Invalid cursor parameter."));
  const bits = raw.split(":");
  if (bits.length !== 3) throw invalid();
  const [valueText = "", offsetText = "", prevText = ""] = bits;
  const isFloat = valueText.includes(".");
  const value = isFloat ? (PYTHON_FLOAT.test(valueText) && /\d/.test(valueText) ? Number(valueText.replace(/_/g, "").trim()) : null) : pythonInt(valueText);
  const offset = pythonInt(offsetText);
  const prev = pythonInt(prevText);
  if (value === null || offset === null || prev === null) throw invalid();
  return { value, isFloat, offset, isPrev: prev !== 0 };
}

function formatCursor(value: number, isFloat: boolean, offset: number, isPrev: boolean): string {
  const text = isFloat && Number.isInteger(value) ? `${value}.0` : String(value);
  return `${text}:${offset}:${isPrev ? 1 : 0}`;
}

/** Index of the first row (newest first) whose key is <= `value`, or of the first whose key is < `value`. */
function firstAtOrBelow(keys: (i: number) => number, length: number, value: number, strict: boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const key = keys(mid);
    if (strict ? key >= value : key > value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One page of `rows` (sorted newest first by `keyOf`, integer epoch ms) and its Link header, as Sentry pages it. */
export function dateTimePage<T>(req: EmuRequest, rows: readonly T[], keyOf: (row: T) => number): { items: T[]; link: string } {
  const limit = parsePerPage(req);
  const cursor = parseCursor(req.url.searchParams.get("cursor")) ?? { value: 0, isFloat: false, offset: 0, isPrev: false };
  const { value, offset, isPrev } = cursor;
  if (offset < 0 || Math.abs(value) > MAX_MS) throw new AnswerError(INTERNAL_ERROR);
  const key = (i: number) => keyOf(rows[i] as T);
  const extra = isPrev && value ? 2 : 1;
  let results: T[] = [];
  if (!isPrev) {
    // ORDER BY -datetime, WHERE datetime <= value (when the cursor has one), then OFFSET/LIMIT.
    const start = (value ? firstAtOrBelow(key, rows.length, value, false) : 0) + offset;
    results = rows.slice(start, start + limit + extra);
  } else {
    // A previous-page cursor flips the order: ORDER BY datetime, WHERE datetime >= value.
    const end = value ? firstAtOrBelow(key, rows.length, value, true) : rows.length;
    for (let i = end - 1 - offset; i >= 0 && results.length < limit + extra; i--) results.push(rows[i] as T);
    if (value) {
      if (results.length > 0 && keyOf(results[0] as T) === value) results = results.slice(1);
      // Sentry compares with offset + limit + extra, so this trims only when the offset is 0.
      else if (results.length === offset + limit + extra) results = results.slice(0, -1);
    }
    results.reverse();
  }
  return buildCursor(req, results, keyOf, limit, cursor);
}

/** `build_cursor` with `is_desc=True`. */
function buildCursor<T>(req: EmuRequest, results: T[], keyOf: (row: T) => number, limit: number, cursor: Cursor): { items: T[]; link: string } {
  const n = results.length;
  const keyAt = (i: number) => keyOf(results[i] as T);

  // _build_next_values
  let nextValue = cursor.value;
  let nextFloat = cursor.isFloat;
  let nextOffset = cursor.offset;
  let hasNext: boolean;
  if (!nextValue && n > 0) {
    nextValue = keyAt(0);
    nextFloat = false;
  }
  if (cursor.isPrev) {
    nextOffset = 0;
    hasNext = true;
  } else if (n === 0) {
    hasNext = false;
  } else {
    hasNext = n > limit;
    const edge = keyAt(n - 1);
    if (edge === nextValue) nextOffset = cursor.offset + limit;
    else {
      nextOffset = 0;
      for (let i = hasNext ? n - 2 : n - 1; i >= 0 && keyAt(i) <= edge; i--) nextOffset++;
    }
    nextValue = edge;
    nextFloat = false;
  }

  // _build_prev_values
  const hasPrev = cursor.isPrev ? n > limit : Boolean(cursor.value || cursor.offset);
  const firstPrev = cursor.isPrev && hasPrev ? 1 : 0;
  const prevValue = n > 0 ? keyAt(firstPrev) : 0;
  let prevOffset = cursor.isPrev ? cursor.offset : 0;
  if (cursor.isPrev && n > 0) {
    if (prevValue === cursor.value) prevOffset = cursor.offset + limit;
    else {
      prevOffset = 0;
      for (let i = (hasPrev ? 1 : 0) + 1; i < n && keyAt(i) >= prevValue; i++) prevOffset++;
    }
  }

  let items = results;
  if (cursor.isPrev && hasPrev) items = results.slice(1);
  else if (!cursor.isPrev) items = results.slice(0, limit);
  const next = { cursor: formatCursor(nextValue || 0, nextFloat && nextValue !== 0, nextOffset, false), results: hasNext };
  const prev = { cursor: formatCursor(prevValue || 0, false, prevOffset, true), results: hasPrev };
  return { items, link: linkHeader(req, prev, next) };
}
