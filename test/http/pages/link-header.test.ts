import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextCursor, parseLinkHeader, scanLinkHeader, type ScanMeter } from "../../../src/http/pages/link-header.js";
import { Paginator } from "../../../src/http/pages/paginate.js";

const BASE = "https://sentry.io";
const LIST = `${BASE}/api/0/organizations/acme/members/`;

/** A Link header exactly as Sentry's `build_cursor_link` writes it. */
function sentryLink(previous: [string, boolean], next: [string, boolean], list = LIST): string {
  const part = (rel: string, [cursor, results]: [string, boolean]): string =>
    `<${list}?&cursor=${cursor}>; rel="${rel}"; results="${String(results)}"; cursor="${cursor}"`;
  return `${part("previous", previous)}, ${part("next", next)}`;
}

describe("parseLinkHeader: Sentry's pages", () => {
  it("reads the first page: no previous results, a next page", () => {
    const links = parseLinkHeader(sentryLink(["0:0:1", false], ["0:100:0", true]), { baseUrl: BASE });
    expect(links).toEqual({
      previous: { cursor: "0:0:1", results: false, url: `${LIST}?&cursor=0:0:1` },
      next: { cursor: "0:100:0", results: true, url: `${LIST}?&cursor=0:100:0` },
    });
  });

  it("reads a middle page: results in both directions", () => {
    const links = parseLinkHeader(sentryLink(["0:100:1", true], ["0:200:0", true]));
    expect(links.previous).toEqual({ cursor: "0:100:1", results: true });
    expect(links.next).toEqual({ cursor: "0:200:0", results: true });
  });

  it("reads the last page: a next cursor that holds no results", () => {
    const header = sentryLink(["0:200:1", true], ["0:300:0", false]);
    expect(parseLinkHeader(header).next).toEqual({ cursor: "0:300:0", results: false });
    expect(nextCursor(header, BASE)).toBeUndefined();
  });

  it("parses the example from Sentry's pagination docs", () => {
    const header =
      '<https://sentry.io/api/0/organizations/acme/issues/123456/events/?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ' +
      '<https://sentry.io/api/0/organizations/acme/issues/123456/events/?&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"';
    expect(nextCursor(header, BASE)).toBe("0:100:0");
  });

  it("keeps audit-log cursors (epoch milliseconds) opaque", () => {
    expect(nextCursor(sentryLink(["1733000000000:0:1", false], ["1733000000000:100:0", true]))).toBe("1733000000000:100:0");
  });

  it("reads a header with only a previous relation", () => {
    const links = parseLinkHeader(`<${LIST}?&cursor=0:100:1>; rel="previous"; results="true"; cursor="0:100:1"`);
    expect(links).toEqual({ previous: { cursor: "0:100:1", results: true } });
    expect(nextCursor(`<${LIST}>; rel="previous"; results="true"; cursor="0:100:1"`)).toBeUndefined();
  });

  it('treats only results="true" as a page: false, missing or odd values are not', () => {
    expect(nextCursor(`<${LIST}>; rel="next"; results="false"; cursor="0:100:0"`)).toBeUndefined();
    expect(nextCursor(`<${LIST}>; rel="next"; cursor="0:100:0"`)).toBeUndefined();
    expect(nextCursor(`<${LIST}>; rel="next"; results="yes"; cursor="0:100:0"`)).toBeUndefined();
    expect(nextCursor(`<${LIST}>; rel="next"; results="TRUE"; cursor="0:100:0"`)).toBe("0:100:0");
  });
});

describe("parseLinkHeader: tolerant syntax", () => {
  it("accepts attributes in any order", () => {
    const header = `<${LIST}>; cursor="0:0:1"; results="false"; rel="previous", <${LIST}>; results="true"; cursor="0:100:0"; rel="next"`;
    expect(parseLinkHeader(header)).toEqual({
      previous: { cursor: "0:0:1", results: false },
      next: { cursor: "0:100:0", results: true },
    });
  });

  it("accepts extra spaces and tabs around separators", () => {
    const header = `  <${LIST}>\t ;  rel = "next" ;results=  "true";   cursor\t=\t"0:100:0"  ,  `;
    expect(nextCursor(header)).toBe("0:100:0");
  });

  it("accepts unquoted values and upper-case names", () => {
    expect(nextCursor(`<${LIST}>; REL=next; Results=true; CURSOR=0:100:0`)).toBe("0:100:0");
  });

  it("keeps commas, semicolons and escaped quotes inside quoted values", () => {
    const header = `<${LIST}>; rel="next"; results="true"; cursor="a,b;c\\"d", <${LIST}>; rel="previous"; results="false"; cursor="p"`;
    expect(parseLinkHeader(header)).toEqual({
      next: { cursor: 'a,b;c"d', results: true },
      previous: { cursor: "p", results: false },
    });
  });

  it("uses the first link of a relation and reads space-separated relation types", () => {
    const header = `<${LIST}>; rel="next"; results="true"; cursor="first", <${LIST}>; rel="next"; results="true"; cursor="second"`;
    expect(nextCursor(header)).toBe("first");
    expect(nextCursor(`<${LIST}>; rel="last next"; results="true"; cursor="c"`)).toBe("c");
  });

  it("uses the first occurrence of a repeated attribute", () => {
    expect(nextCursor(`<${LIST}>; rel="next"; results="true"; cursor="one"; cursor="two"; results="false"`)).toBe("one");
  });

  it("falls back to the cursor query parameter of a same-origin URL when the attribute is missing", () => {
    const header = `<${LIST}?per_page=50&cursor=0:50:0>; rel="next"; results="true"`;
    expect(parseLinkHeader(header, { baseUrl: `${BASE}/` }).next).toEqual({
      cursor: "0:50:0",
      results: true,
      url: `${LIST}?per_page=50&cursor=0:50:0`,
    });
    expect(nextCursor(`</api/0/organizations/acme/members/?cursor=0:50:0>; rel="next"; results="true"`, BASE)).toBe("0:50:0");
  });

  it("drops a relation that has no cursor anywhere", () => {
    expect(parseLinkHeader(`<${LIST}>; rel="next"; results="true"`, { baseUrl: BASE })).toEqual({});
    expect(parseLinkHeader(`<${LIST}?cursor=>; rel="next"; results="true"; cursor=""`, { baseUrl: BASE })).toEqual({});
  });
});

describe("parseLinkHeader: foreign origins", () => {
  const foreign = "https://attacker.example/api/0/organizations/acme/members/";

  it("ignores a foreign URL and keeps only the cursor attribute", () => {
    const links = parseLinkHeader(sentryLink(["0:0:1", false], ["0:100:0", true], foreign), { baseUrl: BASE });
    expect(links.next).toEqual({ cursor: "0:100:0", results: true });
    expect(JSON.stringify(links)).not.toContain("attacker");
  });

  it("takes no cursor from a foreign URL's query string", () => {
    expect(nextCursor(`<${foreign}?cursor=0:100:0>; rel="next"; results="true"`, BASE)).toBeUndefined();
  });

  it("treats another scheme or port as another origin", () => {
    expect(parseLinkHeader(`<http://sentry.io/x/?cursor=c>; rel="next"; results="true"`, { baseUrl: BASE })).toEqual({});
    expect(parseLinkHeader(`<https://sentry.io:8443/x/?cursor=c>; rel="next"; results="true"`, { baseUrl: BASE })).toEqual({});
  });

  it("trusts no URL when no base URL is given", () => {
    expect(parseLinkHeader(`<${LIST}?cursor=c>; rel="next"; results="true"`)).toEqual({});
    expect(parseLinkHeader(`<${LIST}>; rel="next"; results="true"; cursor="c"`).next).toEqual({ cursor: "c", results: true });
  });
});

describe("parseLinkHeader: malformed input", () => {
  const garbage = [
    "",
    "garbage",
    "<",
    ">",
    "<>",
    ";;;",
    ",,,",
    'rel="next"; results="true"; cursor="c"',
    `<${LIST}; rel="next"; results="true"; cursor="c"`,
    `<${LIST}>; rel="next; results="true"; cursor="c"`,
    "\u0000\uffff\ud800",
    "=;=,<=>;=",
  ];

  it.each(garbage)("returns {} for %j", (header) => {
    expect(parseLinkHeader(header, { baseUrl: BASE })).toEqual({});
    expect(nextCursor(header, BASE)).toBeUndefined();
  });

  it("returns {} for null and undefined", () => {
    expect(parseLinkHeader(null)).toEqual({});
    expect(parseLinkHeader(undefined)).toEqual({});
    expect(nextCursor(null)).toBeUndefined();
  });

  it("skips a broken link and still reads the good one after it", () => {
    const header = `junk; rel="next"; cursor="bad", <${LIST}>; garbage; rel="next"; results="true"; cursor="good"`;
    expect(nextCursor(header)).toBe("good");
  });

  it("ignores an unparseable base URL rather than throwing", () => {
    expect(parseLinkHeader(`<${LIST}?cursor=c>; rel="next"; results="true"`, { baseUrl: "not a url" })).toEqual({});
  });
});

describe("nextCursor agrees with parseLinkHeader", () => {
  const headers = [
    sentryLink(["0:0:1", false], ["0:100:0", true]),
    sentryLink(["0:0:1", true], ["0:100:0", false]),
    `<${LIST}?cursor=from-url>; rel="next"; results="true"`,
    `<https://elsewhere.example/?cursor=x>; rel="next"; results="true", <${LIST}>; rel="next"; results="true"; cursor="second"`,
    `<${LIST}>; rel="next"; results="false"; cursor="a", <${LIST}>; rel="next"; results="true"; cursor="b"`,
    `<${LIST}>; rel="next"; results="true", <${LIST}>; rel="next"; results="true"; cursor="after-empty"`,
    `<${LIST}>; rel="previous next"; results="true"; cursor="both"`,
    `junk, <${LIST}>; rel=NEXT; results=TRUE; cursor=c`,
    "",
    "<",
  ];
  it.each(headers)("for %j", (header) => {
    for (const baseUrl of [BASE, undefined]) {
      const next = parseLinkHeader(header, { baseUrl }).next;
      expect(nextCursor(header, baseUrl)).toBe(next?.results ? next.cursor : undefined);
    }
  });
});

describe("parseLinkHeader: linear time on hostile headers", () => {
  const shapes: Record<string, (n: number) => string> = {
    "open angle brackets": (n) => "<".repeat(n),
    semicolons: (n) => `<${LIST}>` + ";".repeat(n),
    "unterminated quote": (n) => `<${LIST}>; rel="next"; cursor="` + "a".repeat(n),
    "backslashes in a quote": (n) => `<${LIST}>; cursor="` + "\\".repeat(n),
    "empty links": (n) => "<>,".repeat(n / 3),
    "parameters without values": (n) => `<${LIST}>` + "; a".repeat(n / 3),
    "repeated next links": (n) => `<>; rel="next"; results="true"; cursor="c", `.repeat(n / 44),
    "equals signs": (n) => `<${LIST}>; rel=` + "=".repeat(n),
    "spaces and tabs": (n) => " \t".repeat(n / 2) + `<${LIST}>; rel="next"; results="true"; cursor="end"`,
  };

  function readsFor(header: string): number {
    const meter: ScanMeter = { reads: 0 };
    scanLinkHeader(header, meter);
    return meter.reads;
  }

  it.each(Object.keys(shapes))("reads each character a bounded number of times: %s", (shape) => {
    const make = shapes[shape] as (n: number) => string;
    const small = make(100_000);
    const large = make(200_000);
    expect(small.length).toBeGreaterThanOrEqual(99_000);
    const smallReads = readsFor(small);
    const largeReads = readsFor(large);
    expect(smallReads).toBeLessThanOrEqual(8 * small.length + 10);
    expect(largeReads).toBeLessThanOrEqual(8 * large.length + 10);
    // Doubling the input at most doubles the work (plus a constant): no quadratic corner.
    expect(largeReads / smallReads).toBeLessThanOrEqual(2.05);
  });

  it("finds the next cursor after 100,000 characters of padding", () => {
    const header = shapes["spaces and tabs"]?.(100_000) ?? "";
    expect(nextCursor(header, BASE)).toBe("end");
  });

  it("returns a 100,000-character cursor intact", () => {
    const cursor = "9".repeat(100_000);
    expect(nextCursor(`<${LIST}>; rel="next"; results="true"; cursor="${cursor}"`, BASE)).toBe(cursor);
  });
});

describe("nextCursor over a real Sentry-style server", () => {
  const seen: string[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // Link URLs name a foreign origin, as a misconfigured url-prefix or a hostile proxy could.
    server = createServer((req, res) => {
      seen.push(req.url ?? "");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const offset = Number(url.searchParams.get("cursor")?.split(":")[1] ?? 0);
      const perPage = Number(url.searchParams.get("per_page") ?? 100);
      const items = Array.from({ length: Math.max(0, Math.min(perPage, 7 - offset)) }, (_, i) => offset + i);
      const more = offset + perPage < 7;
      const link = (rel: string, cursor: string, results: boolean): string =>
        `<https://elsewhere.example/api/0/organizations/acme/teams/?&cursor=${cursor}>; rel="${rel}"; results="${String(results)}"; cursor="${cursor}"`;
      res.setHeader("link", `${link("previous", `0:${offset}:1`, offset > 0)}, ${link("next", `0:${offset + perPage}:0`, more)}`);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(items));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("follows cursors against its own base URL only", async () => {
    const teams = new Paginator<number>(
      async ({ cursor, perPage, signal }) => {
        const url = new URL("/api/0/organizations/acme/teams/", base);
        url.searchParams.set("per_page", String(perPage));
        if (cursor) url.searchParams.set("cursor", cursor);
        const response = await fetch(url, signal ? { signal } : {});
        return { items: (await response.json()) as number[], nextCursor: nextCursor(response.headers.get("link"), base) };
      },
      { perPage: 3 },
    );
    expect(await teams.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen).toEqual([
      "/api/0/organizations/acme/teams/?per_page=3",
      "/api/0/organizations/acme/teams/?per_page=3&cursor=0%3A3%3A0",
      "/api/0/organizations/acme/teams/?per_page=3&cursor=0%3A6%3A0",
    ]);
  });
});
