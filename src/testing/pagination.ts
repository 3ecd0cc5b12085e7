/**
 * Sentry's cursor pagination: `per_page` validation, the exact Link header format (facts §2) and
 * keyset cursors for the slug-ordered project lists. Cursors keep Sentry's `value:offset:is_prev` shape, with
 * `value` the sort key of the page edge. The audit log pages as Sentry's `DateTimePaginator` does
 * (datetime-paginator.ts), member and team lists as its `OffsetPaginator` (routes/lists.ts).
 */
import { AnswerError, detail, type EmuRequest } from "./http.js";

export function parsePerPage(req: EmuRequest, fallback = 100): number {
  const raw = req.url.searchParams.get("per_page");
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new AnswerError(detail(400, "Invalid per_page parameter."));
  const value = Number(raw);
  if (value < 1 || value > 100) throw new AnswerError(detail(400, "Invalid per_page value. Must be between 1 and 100."));
  return value;
}

/** A position in a sorted list: primary key plus optional tiebreaker. */
export interface Position {
  value: string | number;
  tie: number;
}

interface ParsedCursor {
  position: Position;
  isPrev: boolean;
}

export function parseCursor(raw: string | null, numeric: boolean): ParsedCursor | null {
  if (raw === null || raw === "") return null;
  // rsplit(":", 2) as Sentry's StringCursor does, so the value itself may not need escaping.
  const last = raw.lastIndexOf(":");
  const middle = last > 0 ? raw.lastIndexOf(":", last - 1) : -1;
  const invalid = () => new AnswerError(detail(400, "Invalid cursor parameter."));
  if (middle < 0) throw invalid();
  const valueText = raw.slice(0, middle);
  const tieText = raw.slice(middle + 1, last);
  const prevText = raw.slice(last + 1);
  if (!/^\d+$/.test(tieText) || (prevText !== "0" && prevText !== "1")) throw invalid();
  if (numeric && !/^-?\d+(\.\d+)?$/.test(valueText)) throw invalid();
  return { position: { value: numeric ? Number(valueText) : valueText, tie: Number(tieText) }, isPrev: prevText === "1" };
}

export function formatCursor(position: Position, isPrev: boolean): string {
  return `${position.value}:${position.tie}:${isPrev ? 1 : 0}`;
}

export interface KeysetOptions<T> {
  /** Rows in list order. */
  rows: readonly T[];
  positionOf(row: T): Position;
  /** Compares positions in list order (negative = earlier). */
  compare(a: Position, b: Position): number;
  numeric: boolean;
  /** Position before the first row, used in the first page's "previous" cursor. */
  origin: Position;
}

export interface Page<T> {
  items: T[];
  link: (req: EmuRequest) => string;
}

/** Index of the first row whose position is > `position` (binary search: rows are sorted). */
function firstAfter<T>(options: KeysetOptions<T>, position: Position): number {
  let lo = 0;
  let hi = options.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = options.rows[mid] as T;
    if (options.compare(options.positionOf(row), position) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstAtOrAfter<T>(options: KeysetOptions<T>, position: Position): number {
  let lo = 0;
  let hi = options.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = options.rows[mid] as T;
    if (options.compare(options.positionOf(row), position) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Cuts one page out of sorted rows according to the request's `cursor` and `per_page`. */
export function keysetPage<T>(req: EmuRequest, options: KeysetOptions<T>): Page<T> {
  const perPage = parsePerPage(req);
  const cursor = parseCursor(req.url.searchParams.get("cursor"), options.numeric);
  let start: number;
  let end: number;
  if (cursor?.isPrev) {
    end = firstAtOrAfter(options, cursor.position);
    start = Math.max(0, end - perPage);
  } else {
    start = cursor ? firstAfter(options, cursor.position) : 0;
    end = Math.min(options.rows.length, start + perPage);
  }
  const items = options.rows.slice(start, end);
  const first = items[0];
  const last = items[items.length - 1];
  const prevPosition = first ? options.positionOf(first) : (cursor?.position ?? options.origin);
  const nextPosition = last ? options.positionOf(last) : (cursor?.position ?? options.origin);
  const prev = { cursor: formatCursor(prevPosition, true), results: start > 0 };
  const next = { cursor: formatCursor(nextPosition, false), results: end < options.rows.length };
  return { items, link: (request) => linkHeader(request, prev, next) };
}

/** `<{uri}&cursor={c}>; rel="previous"; results="false"; cursor="{c}", <...>; rel="next"; ...` */
export function linkHeader(req: EmuRequest, prev: { cursor: string; results: boolean }, next: { cursor: string; results: boolean }): string {
  const params = new URLSearchParams(req.url.search);
  params.delete("cursor");
  const base = `${req.url.origin}${req.url.pathname}?${params.toString()}`;
  const entry = (rel: string, c: { cursor: string; results: boolean }) =>
    `<${base}&cursor=${c.cursor}>; rel="${rel}"; results="${c.results}"; cursor="${c.cursor}"`;
  return `${entry("previous", prev)}, ${entry("next", next)}`;
}

export function compareStrings(a: Position, b: Position): number {
  const x = String(a.value);
  const y = String(b.value);
  return x < y ? -1 : x > y ? 1 : a.tie - b.tie;
}

export function compareNumbers(a: Position, b: Position): number {
  return Number(a.value) - Number(b.value) || a.tie - b.tie;
}
