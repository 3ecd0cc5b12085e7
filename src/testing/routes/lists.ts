/**
 * Shared helpers of list routes: keyset pages answered with Sentry's Link header, and the
 * `key:value` query tokenizer Sentry's list endpoints use (`tokenize_query`).
 */
import { AnswerError, detail, type EmuAnswer, type EmuRequest } from "../http.js";
import { compareNumbers, compareStrings, keysetPage, linkHeader, parsePerPage } from "../pagination.js";

/** Answers one page of `rows`, which must already be sorted ascending by `key`. */
export function pagedAnswer<T>(
  req: EmuRequest,
  rows: readonly T[],
  key: (row: T) => string | number,
  numeric: boolean,
  serialize: (row: T) => unknown,
): EmuAnswer {
  const page = keysetPage(req, {
    rows,
    positionOf: (row) => ({ value: key(row), tie: 0 }),
    compare: numeric ? compareNumbers : compareStrings,
    numeric,
    origin: { value: numeric ? 0 : "", tie: 0 },
  });
  return { status: 200, body: page.items.map(serialize), headers: { Link: page.link(req) } };
}

/**
 * One page of an `OffsetPaginator` list (src/sentry/api/paginator.py): the cursor is
 * `per_page:page:is_prev`, the rows of page `page` are `[page * per_page, page * per_page + per_page)`,
 * next is `per_page:page+1:0`, previous `per_page:page-1:1` — so a cursor from real Sentry resumes here.
 * Like Sentry's, these pages shift when rows are added or removed during a walk.
 */
export function offsetAnswer<T>(req: EmuRequest, rows: readonly T[], serialize: (row: T) => unknown): EmuAnswer {
  const perPage = parsePerPage(req);
  const raw = req.url.searchParams.get("cursor");
  let page = 0;
  let size = perPage;
  if (raw !== null && raw !== "") {
    const m = /^(\d+(?:\.\d+)?):(-?\d+):([01])$/.exec(raw);
    if (!m) throw new AnswerError(detail(400, "Invalid cursor parameter."));
    size = Math.trunc(Number(m[1])) || perPage;
    page = Math.max(0, Number(m[2]));
  }
  const start = page * size;
  let items = rows.slice(start, start + size + 1);
  // Sentry: when the cursor's page size differs from per_page, it keeps the last per_page + 1 rows.
  if (size !== perPage) items = items.slice(-(perPage + 1));
  const hasNext = items.length > perPage;
  items = items.slice(0, perPage);
  const link = linkHeader(req, { cursor: `${perPage}:${page - 1}:1`, results: page > 0 }, { cursor: `${perPage}:${page + 1}:0`, results: hasNext });
  return { status: 200, body: items.map(serialize), headers: { Link: link } };
}

export function byKey<T>(key: (row: T) => string | number): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** Splits `email:a@b.c role:owner free text` into `{ email: [..], role: [..], query: ["free", "text"] }`. */
export function tokenizeQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, value: string) => out.set(key, [...(out.get(key) ?? []), value]);
  const pattern = /(\S+?):("[^"]*"|\S*)|(\S+)/g;
  for (const m of query.matchAll(pattern)) {
    if (m[3] !== undefined) add("query", m[3]);
    else if (m[1] !== undefined) {
      const raw = (m[2] ?? "").replace(/^"|"$/g, "");
      for (const value of raw.split(",")) if (value !== "") add(m[1], value);
    }
  }
  return out;
}

export function asBool(value: string): boolean | null {
  const v = value.toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return null;
}
