/**
 * Shared helpers of list routes: keyset pages answered with Sentry's Link header, and the
 * `key:value` query tokenizer Sentry's list endpoints use (`tokenize_query`).
 */
import { type EmuAnswer, type EmuRequest } from "../http.js";
import { compareNumbers, compareStrings, keysetPage } from "../pagination.js";

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
