/**
 * Sentry's `Link` header: `<url>; rel="previous"; results="false"; cursor="…", <url>; rel="next"; results="true"; cursor="…"`.
 *
 * The header is untrusted input, so the parser is a single forward scan (no regular expressions): every
 * character is looked at a bounded number of times, and anything malformed is skipped rather than thrown.
 */

/** One direction of a Sentry Link header. */
export interface LinkRelation {
  /** Opaque cursor to send as `?cursor=` against our own base URL. */
  cursor: string;
  /** `results="true"`: the only sign that this direction holds a page. */
  results: boolean;
  /** The link's absolute URL, present only when its origin is the caller's `baseUrl` origin. */
  url?: string;
}

/** The `next` and `previous` relations of a Link header; a relation without any usable cursor is left out. */
export interface ParsedLinks {
  next?: LinkRelation;
  previous?: LinkRelation;
}

/** Options for {@link parseLinkHeader}. */
export interface LinkHeaderOptions {
  /**
   * The base URL requests are sent to. A link URL is trusted (reported as `url`, and its `cursor` query parameter used
   * when the `cursor` attribute is missing) only when it resolves to this origin. Without it no URL is trusted.
   */
  baseUrl?: string | URL;
}

/**
 * Counts character reads so tests can prove the scan is linear without timing it.
 * @internal
 */
export interface ScanMeter {
  reads: number;
}

interface RawLink {
  url: string;
  rel: string | undefined;
  results: string | undefined;
  cursor: string | undefined;
}

const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const LESS_THAN = 0x3c;
const EQUALS = 0x3d;
const GREATER_THAN = 0x3e;
const BACKSLASH = 0x5c;

const isSpace = (c: number): boolean => c === SPACE || c === TAB;
// What each part of a link may contain (shared by every scan, not made per call).
const isSeparator = (c: number): boolean => isSpace(c) || c === COMMA;
const inLink = (c: number): boolean => c !== COMMA;
const inUrl = (c: number): boolean => c !== GREATER_THAN;
const inParam = (c: number): boolean => c !== SEMICOLON && c !== COMMA;
const inName = (c: number): boolean => c !== EQUALS && c !== SEMICOLON && c !== COMMA && !isSpace(c);
const inToken = (c: number): boolean => c !== SEMICOLON && c !== COMMA && !isSpace(c);

class Scanner {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly meter: ScanMeter | undefined,
  ) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): number {
    if (this.meter) this.meter.reads++;
    return this.text.charCodeAt(this.pos);
  }

  /** Advances while `keep` holds and returns the skipped text. */
  takeWhile(keep: (c: number) => boolean): string {
    const start = this.pos;
    while (!this.done && keep(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  skipSpaces(): void {
    this.takeWhile(isSpace);
  }

  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}

/** Reads a quoted-string (backslash escapes honoured; an unterminated one runs to the end) or a bare token. */
function readValue(s: Scanner): string {
  if (s.done || s.peek() !== QUOTE) {
    return s.takeWhile(inToken);
  }
  s.pos++;
  // Parts are collected only once an escape shows up; a value without one is a single slice.
  let parts: string[] | undefined;
  let start = s.pos;
  while (!s.done) {
    const c = s.peek();
    if (c === QUOTE) {
      const last = s.slice(start, s.pos);
      s.pos++;
      return parts ? parts.join("") + last : last;
    }
    if (c === BACKSLASH) {
      (parts ??= []).push(s.slice(start, s.pos));
      start = s.pos + 1;
      s.pos += 2;
    } else {
      s.pos++;
    }
  }
  const last = s.slice(start, s.pos);
  return parts ? parts.join("") + last : last;
}

/** Reads `; name=value` parameters up to and including the comma that ends this link. */
function readParams(s: Scanner, link: RawLink): void {
  for (;;) {
    s.skipSpaces();
    if (s.done) return;
    const c = s.peek();
    if (c === COMMA) {
      s.pos++;
      return;
    }
    if (c !== SEMICOLON) {
      // Junk between parameters: drop it and resynchronise on the next separator.
      s.takeWhile(inParam);
      continue;
    }
    s.pos++;
    s.skipSpaces();
    const name = s.takeWhile(inName).toLowerCase();
    s.skipSpaces();
    let value = "";
    if (!s.done && s.peek() === EQUALS) {
      s.pos++;
      s.skipSpaces();
      value = readValue(s);
    }
    // RFC 8288 §3.3: only the first occurrence of a parameter counts.
    if (name === "rel") link.rel ??= value;
    else if (name === "results") link.results ??= value;
    else if (name === "cursor") link.cursor ??= value;
  }
}

/**
 * Splits a Link header into its links in one forward pass.
 * @internal
 */
export function scanLinkHeader(header: string, meter?: ScanMeter): RawLink[] {
  const links: RawLink[] = [];
  visitLinks(header, meter, (link) => {
    links.push(link);
    return false;
  });
  return links;
}

/** Calls `visit` for each link in order until it returns true. */
function visitLinks(header: string, meter: ScanMeter | undefined, visit: (link: RawLink) => boolean): void {
  const s = new Scanner(header, meter);
  while (!s.done) {
    s.takeWhile(isSeparator);
    if (s.done) break;
    if (s.peek() !== LESS_THAN) {
      // Not a link: skip to the next comma.
      s.takeWhile(inLink);
      continue;
    }
    s.pos++;
    const url = s.takeWhile(inUrl);
    if (s.done) break; // unterminated `<`: nothing after it can be trusted
    s.pos++;
    const link: RawLink = { url, rel: undefined, results: undefined, cursor: undefined };
    readParams(s, link);
    if (visit(link)) return;
  }
}

// A paginator asks with the same base URL for every page; remembering the last answer saves a URL parse per page.
let lastBase: { text: string; origin: string | undefined } | undefined;

function originOf(baseUrl: string | URL | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  const text = String(baseUrl);
  if (lastBase?.text !== text) lastBase = { text, origin: URL.canParse(text) ? new URL(text).origin : undefined };
  return lastBase.origin;
}

function trustedUrl(url: string, origin: string | undefined): URL | undefined {
  if (origin === undefined || !URL.canParse(url, origin)) return undefined;
  const resolved = new URL(url, origin);
  return resolved.origin === origin ? resolved : undefined;
}

/** `results="true"`, in any case. */
const isTrue = (value: string | undefined): boolean => value === "true" || value?.toLowerCase() === "true";

function toRelation(link: RawLink, origin: string | undefined): LinkRelation | undefined {
  const url = trustedUrl(link.url, origin);
  const cursor = link.cursor || url?.searchParams.get("cursor") || undefined;
  if (cursor === undefined) return undefined;
  const relation: LinkRelation = { cursor, results: isTrue(link.results) };
  if (url) relation.url = url.href;
  return relation;
}

/** Whether `rel` names the next relation, as `relationTypes(rel).includes("next")` but splitting only a list. */
function namesNext(rel: string): boolean {
  // One type (Sentry's rel="next" or rel="previous"): no list to split.
  if (!rel.includes(" ")) return rel.toLowerCase().trim() === "next";
  return relationTypes(rel).includes("next");
}

function relationTypes(rel: string): string[] {
  return rel
    .toLowerCase()
    .split(" ")
    .map((type) => type.trim());
}

function relationKey(type: string): keyof ParsedLinks | undefined {
  if (type === "next") return "next";
  if (type === "previous" || type === "prev") return "previous";
  return undefined;
}

/**
 * Parses Sentry's Link header; `results="true"` is the only sign a page exists. Linear time; malformed parts ignored.
 *
 * A link URL is never followed: callers send the cursor against their own base URL. The URL is reported (and its
 * `cursor` query parameter used as a fallback) only when it has `options.baseUrl`'s origin.
 *
 * @example
 * const links = parseLinkHeader(response.headers.get("link"), { baseUrl: "https://sentry.io" });
 * if (links.next?.results) console.log("more after", links.next.cursor);
 */
export function parseLinkHeader(header: string | null | undefined, options: LinkHeaderOptions = {}): ParsedLinks {
  if (typeof header !== "string" || header === "") return {};
  const origin = originOf(options.baseUrl);
  const parsed: ParsedLinks = {};
  visitLinks(header, undefined, (link) => {
    for (const type of relationTypes(link.rel ?? "")) {
      const key = relationKey(type);
      if (key === undefined || parsed[key] !== undefined) continue;
      const relation = toRelation(link, origin);
      if (relation) parsed[key] = relation;
    }
    return parsed.next !== undefined && parsed.previous !== undefined;
  });
  return parsed;
}

/**
 * The next cursor when a next page exists (`rel="next"; results="true"`), else undefined.
 *
 * Only the cursor is returned, never a URL, so a token is never sent to an origin named by a response header; if the
 * link URL's origin differs from `baseUrl`'s, only its `cursor` attribute is used.
 *
 * @example
 * const cursor = nextCursor(response.headers.get("link"), "https://sentry.io");
 * if (cursor) url.searchParams.set("cursor", cursor);
 */
export function nextCursor(header: string | null | undefined, baseUrl?: string | URL): string | undefined {
  if (typeof header !== "string" || header === "") return undefined;
  // Same answer as `parseLinkHeader(header, { baseUrl }).next`, but it stops at the first usable next link and
  // touches a URL only when the cursor attribute is missing: this runs once per page.
  let found: LinkRelation | undefined;
  visitLinks(header, undefined, (link) => {
    if (link.rel === undefined || !namesNext(link.rel)) return false;
    found = link.cursor ? { cursor: link.cursor, results: isTrue(link.results) } : toRelation(link, originOf(baseUrl));
    return found !== undefined;
  });
  return found?.results ? found.cursor : undefined;
}
