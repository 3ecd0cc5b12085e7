import { describe, expect, it } from "vitest";
import {
  isPaginationError,
  type Page,
  type PageRequest,
  PaginationError,
  Paginator,
  type ScimListPage,
  type ScimPageRequest,
  scimPageFetcher,
} from "../../../src/http/pages/paginate.js";

/** A list served from memory: `pages[cursor ?? ""]`, recording every request that reached it. */
function listFetcher<T>(pages: Record<string, Page<T>>) {
  const requests: PageRequest[] = [];
  const fetchPage = async (request: PageRequest): Promise<Page<T>> => {
    requests.push(request);
    const page = pages[request.cursor ?? ""];
    if (!page) throw new Error(`no page at cursor ${String(request.cursor)}`);
    return page;
  };
  return { requests, fetchPage, cursors: () => requests.map((r) => r.cursor) };
}

/** Three pages: [1,2] → [3,4] → [5]. */
const threePages = (): Record<string, Page<number>> => ({
  "": { items: [1, 2], nextCursor: "c2" },
  c2: { items: [3, 4], nextCursor: "c3" },
  c3: { items: [5], nextCursor: undefined },
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("Paginator: walking a list", () => {
  it("streams every item in order, following each next cursor once with perPage 100", async () => {
    const list = listFetcher(threePages());
    expect(await collect(new Paginator(list.fetchPage))).toEqual([1, 2, 3, 4, 5]);
    expect(list.cursors()).toEqual([undefined, "c2", "c3"]);
    expect(list.requests.every((r) => r.perPage === 100)).toBe(true);
  });

  it("fetches nothing until iteration starts", () => {
    const list = listFetcher(threePages());
    new Paginator(list.fetchPage);
    expect(list.requests).toHaveLength(0);
  });

  it("passes perPage through", async () => {
    const list = listFetcher(threePages());
    await new Paginator(list.fetchPage, { perPage: 2 }).toArray();
    expect(list.requests.map((r) => r.perPage)).toEqual([2, 2, 2]);
  });

  it.each([0, 101, 1.5, -1, Number.NaN])("rejects perPage %s before any fetch", (perPage) => {
    const list = listFetcher(threePages());
    expect(() => new Paginator(list.fetchPage, { perPage })).toThrow(PaginationError);
    expect(list.requests).toHaveLength(0);
  });

  it("rejects a bad maxPages or empty cursor before any fetch", () => {
    const list = listFetcher(threePages());
    expect(() => new Paginator(list.fetchPage, { maxPages: 0 })).toThrow(/maxPages/);
    expect(() => new Paginator(list.fetchPage, { cursor: "" })).toThrow(/cursor/);
    expect(list.requests).toHaveLength(0);
  });

  it("skips empty pages without ending the walk", async () => {
    const list = listFetcher<number>({
      "": { items: [], nextCursor: "a" },
      a: { items: [1], nextCursor: "b" },
      b: { items: [], nextCursor: "c" },
      c: { items: [], nextCursor: "d" },
      d: { items: [2], nextCursor: undefined },
    });
    const paginator = new Paginator(list.fetchPage);
    expect(await collect(paginator)).toEqual([1, 2]);
    expect((await collect(paginator.pages())).map((p) => p.items)).toEqual([[1], [2]]);
  });

  it("yields nothing for an empty list and treats null or empty nextCursor as the end", async () => {
    expect(await collect(new Paginator(listFetcher<number>({ "": { items: [], nextCursor: undefined } }).fetchPage))).toEqual([]);
    const fromJson = listFetcher<number>({ "": { items: [1], nextCursor: null as unknown as undefined } });
    expect(await new Paginator(fromJson.fetchPage).toArray()).toEqual([1]);
    const blank = listFetcher<number>({ "": { items: [1], nextCursor: "" } });
    expect(await new Paginator(blank.fetchPage).toArray()).toEqual([1]);
    expect(blank.requests).toHaveLength(1);
  });

  it("starts a fresh walk for every iteration", async () => {
    const list = listFetcher(threePages());
    const paginator = new Paginator(list.fetchPage);
    await paginator.toArray();
    await paginator.toArray();
    expect(list.cursors()).toEqual([undefined, "c2", "c3", undefined, "c2", "c3"]);
  });

  it("fails with invalid-page when the fetcher returns something that is not a page", async () => {
    const paginator = new Paginator(async () => ({ nextCursor: undefined }) as unknown as Page<number>);
    await expect(paginator.toArray()).rejects.toMatchObject({ name: "PaginationError", code: "invalid-page" });
  });
});

describe("Paginator: repeated cursors", () => {
  it("delivers the items it has, then throws repeated-cursor instead of looping", async () => {
    const list = listFetcher<number>({ "": { items: [1], nextCursor: "a" }, a: { items: [2], nextCursor: "a" } });
    const seen: number[] = [];
    const walk = async (): Promise<void> => {
      for await (const item of new Paginator(list.fetchPage)) seen.push(item);
    };
    const error: unknown = await walk().catch((e: unknown) => e);
    expect(isPaginationError(error)).toBe(true);
    expect(error).toMatchObject({ code: "repeated-cursor" });
    expect(seen).toEqual([1, 2]);
    expect(list.cursors()).toEqual([undefined, "a"]);
  });

  it("detects a longer cycle, including one back to the starting cursor", async () => {
    const cycle = listFetcher<number>({
      s: { items: [1], nextCursor: "a" },
      a: { items: [2], nextCursor: "b" },
      b: { items: [3], nextCursor: "s" },
    });
    await expect(new Paginator(cycle.fetchPage, { cursor: "s" }).toArray()).rejects.toMatchObject({ code: "repeated-cursor" });
    expect(cycle.cursors()).toEqual(["s", "a", "b"]);
  });
});

describe("Paginator: resume, maxPages, lastCursor", () => {
  it("starts from options.cursor", async () => {
    const list = listFetcher(threePages());
    expect(await new Paginator(list.fetchPage, { cursor: "c2" }).toArray()).toEqual([3, 4, 5]);
    expect(list.cursors()).toEqual(["c2", "c3"]);
  });

  it("stops at maxPages, reports truncated, and resumes from lastCursor", async () => {
    const list = listFetcher(threePages());
    const first = new Paginator(list.fetchPage, { maxPages: 2 });
    expect(first.truncated).toBe(false);
    expect(await first.toArray()).toEqual([1, 2, 3, 4]);
    expect(first.truncated).toBe(true);
    expect(first.lastCursor).toBe("c3");
    expect(list.cursors()).toEqual([undefined, "c2"]);

    const rest = new Paginator(list.fetchPage, { cursor: first.lastCursor, maxPages: 2 });
    expect(await rest.toArray()).toEqual([5]);
    expect(rest.truncated).toBe(false);
    expect(rest.lastCursor).toBeUndefined();
  });

  it("is not truncated when maxPages lands exactly on the last page", async () => {
    const paginator = new Paginator(listFetcher(threePages()).fetchPage, { maxPages: 3 });
    await paginator.toArray();
    expect(paginator.truncated).toBe(false);
  });

  it("counts empty pages against maxPages so an endless run of them still stops", async () => {
    let n = 0;
    const endless = new Paginator<number>(async () => ({ items: [], nextCursor: `e${++n}` }), { maxPages: 5 });
    expect(await endless.toArray()).toEqual([]);
    expect(n).toBe(5);
    expect(endless.truncated).toBe(true);
    expect(endless.lastCursor).toBe("e5");
  });

  it("keeps lastCursor on the page being read until its last item is handed out", async () => {
    const paginator = new Paginator(listFetcher(threePages()).fetchPage);
    const iterator = paginator[Symbol.asyncIterator]();
    expect(paginator.lastCursor).toBeUndefined();
    await iterator.next(); // 1: page "" half read
    expect(paginator.lastCursor).toBeUndefined();
    await iterator.next(); // 2: page "" done
    expect(paginator.lastCursor).toBe("c2");
    await iterator.next(); // 3: page c2 half read
    expect(paginator.lastCursor).toBe("c2");
    await iterator.return?.();
    expect(paginator.lastCursor).toBe("c2");
  });

  it("gives each page's nextCursor from pages()", async () => {
    const pages = await collect(new Paginator(listFetcher(threePages()).fetchPage).pages());
    expect(pages).toEqual([
      { items: [1, 2], nextCursor: "c2" },
      { items: [3, 4], nextCursor: "c3" },
      { items: [5], nextCursor: undefined },
    ]);
  });
});

describe("Paginator: toArray, takeWhile, map", () => {
  it("stops at limit without fetching the pages beyond it", async () => {
    const list = listFetcher(threePages());
    expect(await new Paginator(list.fetchPage).toArray({ limit: 3 })).toEqual([1, 2, 3]);
    expect(list.cursors()).toEqual([undefined, "c2"]);
  });

  it("fetches nothing for limit 0 and refuses a negative limit", async () => {
    const list = listFetcher(threePages());
    const paginator = new Paginator(list.fetchPage);
    expect(await paginator.toArray({ limit: 0 })).toEqual([]);
    await expect(paginator.toArray({ limit: -1 })).rejects.toThrow(PaginationError);
    expect(list.requests).toHaveLength(0);
  });

  it("takeWhile ends at the first failing item without fetching a further page", async () => {
    const list = listFetcher(threePages());
    const recent = new Paginator(list.fetchPage).takeWhile((n) => n < 4);
    expect(await recent.toArray()).toEqual([1, 2, 3]);
    expect(list.cursors()).toEqual([undefined, "c2"]);
    expect(recent.truncated).toBe(false);
  });

  it("map transforms items and keeps the walk's options", async () => {
    const list = listFetcher(threePages());
    const labels = new Paginator(list.fetchPage, { perPage: 2, maxPages: 2 }).map((n) => `#${n}`);
    expect(await labels.toArray()).toEqual(["#1", "#2", "#3", "#4"]);
    expect(labels.truncated).toBe(true);
    expect(list.requests.map((r) => r.perPage)).toEqual([2, 2]);
  });
});

/** A SCIM Users list of `total` resources, recording every request; `ignoreStartIndex` mimics a broken server. */
function scimList(total: number, options: { ignoreStartIndex?: boolean } = {}) {
  const requests: ScimPageRequest[] = [];
  const fetch = async (request: ScimPageRequest): Promise<ScimListPage<{ id: string }>> => {
    requests.push(request);
    const startIndex = options.ignoreStartIndex ? 1 : request.startIndex;
    const Resources = Array.from({ length: Math.max(0, Math.min(request.count, total - startIndex + 1)) }, (_, i) => ({
      id: String(startIndex + i),
    }));
    return { Resources, totalResults: total, startIndex, itemsPerPage: Resources.length };
  };
  return { requests, fetch };
}

describe("scimPageFetcher", () => {
  it("turns startIndex/count/totalResults into cursors and walks every resource once", async () => {
    const scim = scimList(250);
    const users = await new Paginator(scimPageFetcher(scim.fetch)).toArray();
    expect(users.map((u) => u.id)).toEqual(Array.from({ length: 250 }, (_, i) => String(i + 1)));
    expect(scim.requests.map(({ startIndex, count }) => ({ startIndex, count }))).toEqual([
      { startIndex: 1, count: 100 },
      { startIndex: 101, count: 100 },
      { startIndex: 201, count: 100 },
    ]);
  });

  it("stops at totalResults without asking for an empty page", async () => {
    const scim = scimList(200);
    const pages = await collect(new Paginator(scimPageFetcher(scim.fetch)).pages());
    expect(pages.map((p) => p.nextCursor)).toEqual(["101", undefined]);
    expect(scim.requests).toHaveLength(2);
  });

  it("resumes from a startIndex cursor with the caller's page size", async () => {
    const scim = scimList(30);
    const paginator = new Paginator(scimPageFetcher(scim.fetch), { cursor: "21", perPage: 5 });
    expect((await paginator.toArray()).map((u) => u.id)).toEqual(["21", "22", "23", "24", "25", "26", "27", "28", "29", "30"]);
    expect(scim.requests.map((r) => [r.startIndex, r.count])).toEqual([
      [21, 5],
      [26, 5],
    ]);
  });

  it("hands the page request's signal to the SCIM call", async () => {
    const scim = scimList(3);
    const signal = new AbortController().signal;
    await scimPageFetcher(scim.fetch)({ cursor: undefined, perPage: 10, signal });
    expect(scim.requests[0]?.signal).toBe(signal);
  });

  it("ends on an empty page even if totalResults claims more", async () => {
    const fetchPage = scimPageFetcher<number>(async ({ startIndex }) => ({ Resources: [], totalResults: 99, startIndex, itemsPerPage: 0 }));
    expect(await fetchPage({ cursor: "5", perPage: 10 })).toEqual({ items: [], nextCursor: undefined });
  });

  it("stops with repeated-cursor when the server ignores startIndex", async () => {
    const scim = scimList(10, { ignoreStartIndex: true });
    await expect(new Paginator(scimPageFetcher(scim.fetch), { perPage: 5 }).toArray()).rejects.toMatchObject({ code: "repeated-cursor" });
    expect(scim.requests).toHaveLength(2);
  });

  it.each(["0", "-3", "abc", "1.5", "01"])("refuses the cursor %j before calling the server", async (cursor) => {
    const scim = scimList(10);
    await expect(new Paginator(scimPageFetcher(scim.fetch), { cursor }).toArray()).rejects.toThrow(PaginationError);
    expect(scim.requests).toHaveLength(0);
  });
});
