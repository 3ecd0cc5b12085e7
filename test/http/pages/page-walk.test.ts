import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Page, type PageRequest, Paginator } from "../../../src/http/pages/paginate.js";

/** Three pages: [1,2] → [3,4] → [5], recording the cursors asked for. */
function listFetcher() {
  const pages: Record<string, Page<number>> = {
    "": { items: [1, 2], nextCursor: "c2" },
    c2: { items: [3, 4], nextCursor: "c3" },
    c3: { items: [5], nextCursor: undefined },
  };
  const requests: PageRequest[] = [];
  const fetchPage = async (request: PageRequest): Promise<Page<number>> => {
    requests.push(request);
    return pages[request.cursor ?? ""] ?? { items: [], nextCursor: undefined };
  };
  return { fetchPage, cursors: () => requests.map((r) => r.cursor) };
}

interface PendingCall<T> {
  request: PageRequest;
  resolve: (page: Page<T>) => void;
  reject: (error: unknown) => void;
}

/** A fetcher whose pages arrive only when the test says so. */
function controlledFetcher<T>() {
  const calls: PendingCall<T>[] = [];
  const fetchPage = (request: PageRequest): Promise<Page<T>> => new Promise<Page<T>>((resolve, reject) => calls.push({ request, resolve, reject }));
  return { calls, fetchPage };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("walk: one page ahead", () => {
  it("starts fetching page 2 before the consumer has finished page 1, and never two pages ahead", async () => {
    const server = controlledFetcher<number>();
    const iterator = new Paginator(server.fetchPage)[Symbol.asyncIterator]();
    const first = iterator.next();
    await settle();
    expect(server.calls).toHaveLength(1);
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    expect(await first).toEqual({ done: false, value: 1 });
    // The consumer still holds item 2 of page 1, yet page 2 is already on its way.
    expect(server.calls.map((c) => c.request.cursor)).toEqual([undefined, "c2"]);
    server.calls[1]?.resolve({ items: [3], nextCursor: "c3" });
    await settle();
    expect(server.calls).toHaveLength(2);
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    expect(await iterator.next()).toEqual({ done: false, value: 3 });
    expect(server.calls.map((c) => c.request.cursor)).toEqual([undefined, "c2", "c3"]);
  });

  it("with prefetch false, asks for page 2 only when page 1 is used up", async () => {
    const server = controlledFetcher<number>();
    const iterator = new Paginator(server.fetchPage, { prefetch: false })[Symbol.asyncIterator]();
    const first = iterator.next();
    await settle();
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    await first;
    await iterator.next();
    await settle();
    expect(server.calls).toHaveLength(1);
    const third = iterator.next();
    await settle();
    expect(server.calls).toHaveLength(2);
    server.calls[1]?.resolve({ items: [3], nextCursor: undefined });
    expect(await third).toEqual({ done: false, value: 3 });
  });

  it("cancels the page fetched ahead when the consumer breaks out", async () => {
    const server = controlledFetcher<number>();
    const paginator = new Paginator(server.fetchPage);
    const consumed = (async () => {
      for await (const item of paginator) if (item === 1) break;
    })();
    await settle();
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    await consumed;
    expect(server.calls).toHaveLength(2);
    expect(server.calls[1]?.request.signal?.aborted).toBe(true);
  });
});

describe("walk: a next cursor announced before its page arrives", () => {
  it("starts the announced page while the current one is still arriving, and reads it without asking again", async () => {
    const server = controlledFetcher<number>();
    const all = new Paginator(server.fetchPage).toArray();
    await settle();
    server.calls[0]?.request.announceNext?.("c2");
    await settle();
    expect(server.calls.map((c) => c.request.cursor)).toEqual([undefined, "c2"]);
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    server.calls[1]?.resolve({ items: [3], nextCursor: undefined });
    expect(await all).toEqual([1, 2, 3]);
    expect(server.calls.map((c) => c.request.cursor)).toEqual([undefined, "c2"]);
    expect(server.calls[1]?.request.signal?.aborted).toBe(false);
  });

  it("cancels an announced page that the page itself does not confirm, and follows the page's cursor", async () => {
    const server = controlledFetcher<number>();
    const all = new Paginator(server.fetchPage).toArray();
    await settle();
    server.calls[0]?.request.announceNext?.("elsewhere");
    await settle();
    server.calls[0]?.resolve({ items: [1], nextCursor: "c2" });
    await settle();
    expect(server.calls.map((c) => c.request.cursor)).toEqual([undefined, "elsewhere", "c2"]);
    expect(server.calls[1]?.request.signal?.aborted).toBe(true);
    server.calls[2]?.resolve({ items: [2], nextCursor: undefined });
    expect(await all).toEqual([1, 2]);
  });

  it("stays within maxPages, the item limit and two pages ahead; announces nothing without prefetch or after takeWhile", async () => {
    const server = controlledFetcher<number>();
    const capped = new Paginator(server.fetchPage, { maxPages: 2 });
    const all = capped.toArray();
    await settle();
    server.calls[0]?.request.announceNext?.("c2");
    await settle();
    server.calls[1]?.request.announceNext?.("c3");
    await settle();
    expect(server.calls.map((c) => c.request.cursor)).toEqual([undefined, "c2"]);
    server.calls[0]?.resolve({ items: [1], nextCursor: "c2" });
    server.calls[1]?.resolve({ items: [2], nextCursor: "c3" });
    expect(await all).toEqual([1, 2]);
    expect(capped.truncated).toBe(true);

    const limited = controlledFetcher<number>();
    const two = new Paginator(limited.fetchPage, { perPage: 2 }).toArray({ limit: 2 });
    await settle();
    limited.calls[0]?.request.announceNext?.("c2");
    await settle();
    expect(limited.calls).toHaveLength(1);
    limited.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    expect(await two).toEqual([1, 2]);

    const ahead = controlledFetcher<number>();
    const walk = new Paginator(ahead.fetchPage).toArray();
    await settle();
    ahead.calls[0]?.request.announceNext?.("c2");
    await settle();
    ahead.calls[1]?.request.announceNext?.("c3");
    await settle();
    ahead.calls[2]?.request.announceNext?.("c4");
    await settle();
    expect(ahead.calls.map((c) => c.request.cursor)).toEqual([undefined, "c2", "c3"]);
    ahead.calls[0]?.resolve({ items: [1], nextCursor: "c2" });
    ahead.calls[1]?.resolve({ items: [2], nextCursor: "c3" });
    ahead.calls[2]?.resolve({ items: [3], nextCursor: undefined });
    expect(await walk).toEqual([1, 2, 3]);

    const requests: PageRequest[] = [];
    const record = async (request: PageRequest): Promise<Page<number>> => {
      requests.push(request);
      return { items: [1], nextCursor: undefined };
    };
    await new Paginator(record, { prefetch: false }).toArray();
    await new Paginator(record).takeWhile(() => true).toArray();
    await new Paginator(record).map((n) => n + 1).toArray();
    expect(requests.map((r) => typeof r.announceNext)).toEqual(["undefined", "undefined", "function"]);
  });

  it("cancels a page started on an announcement when the consumer stops", async () => {
    const server = controlledFetcher<number>();
    const consumed = (async () => {
      for await (const item of new Paginator(server.fetchPage)) if (item === 1) break;
    })();
    await settle();
    server.calls[0]?.request.announceNext?.("c2");
    await settle();
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    await consumed;
    expect(server.calls.map((c) => [c.request.cursor, c.request.signal?.aborted])).toEqual([
      [undefined, false],
      ["c2", true],
    ]);
  });
});

describe("walk: parallel next()", () => {
  it("hands every item out once and fetches every page once", async () => {
    const server = controlledFetcher<number>();
    const iterator = new Paginator(server.fetchPage)[Symbol.asyncIterator]();
    const results = Array.from({ length: 6 }, () => iterator.next());
    await settle();
    expect(server.calls).toHaveLength(1);
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    await settle();
    server.calls[1]?.resolve({ items: [3, 4], nextCursor: "c3" });
    await settle();
    server.calls[2]?.resolve({ items: [5], nextCursor: undefined });
    expect(await Promise.all(results)).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
      { done: false, value: 4 },
      { done: false, value: 5 },
      { done: true, value: undefined },
    ]);
    expect(server.calls.map((c) => c.request.cursor)).toEqual([undefined, "c2", "c3"]);
  });

  it("serves parallel pages() callers distinct pages", async () => {
    const list = listFetcher();
    const iterator = new Paginator(list.fetchPage).pages()[Symbol.asyncIterator]();
    const [a, b, c, d] = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
    expect([a?.value?.items, b?.value?.items, c?.value?.items, d?.done]).toEqual([[1, 2], [3, 4], [5], true]);
    expect(list.cursors()).toEqual([undefined, "c2", "c3"]);
  });
});

describe("walk: abort", () => {
  it("rejects pending next() calls with the signal's reason and aborts the fetch's signal", async () => {
    const server = controlledFetcher<number>();
    const controller = new AbortController();
    const iterator = new Paginator(server.fetchPage, { signal: controller.signal })[Symbol.asyncIterator]();
    const pending = [iterator.next(), iterator.next()];
    await settle();
    const reason = new Error("caller gave up");
    controller.abort(reason);
    for (const result of await Promise.allSettled(pending)) expect(result).toEqual({ status: "rejected", reason });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.request.signal?.aborted).toBe(true);
    await expect(iterator.next()).rejects.toBe(reason);
  });

  it("stops handing out items of the current page once aborted", async () => {
    const server = controlledFetcher<number>();
    const controller = new AbortController();
    const iterator = new Paginator(server.fetchPage, { signal: controller.signal })[Symbol.asyncIterator]();
    const first = iterator.next();
    await settle();
    server.calls[0]?.resolve({ items: [1, 2, 3], nextCursor: "c2" });
    expect(await first).toEqual({ done: false, value: 1 });
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
    // The prefetched page 2 was cancelled too.
    expect(server.calls[1]?.request.signal?.aborted).toBe(true);
  });

  it("fetches nothing when the signal is already aborted", async () => {
    const server = controlledFetcher<number>();
    const reason = new Error("too late");
    const paginator = new Paginator(server.fetchPage, { signal: AbortSignal.abort(reason) });
    await expect(paginator.toArray()).rejects.toBe(reason);
    expect(server.calls).toHaveLength(0);
  });

  it("follows the caller's signal only while a fetch runs, and leaves no listener on the fetch signal", async () => {
    const controller = new AbortController();
    const leftovers: AbortSignal[] = [];
    const list = listFetcher();
    // A fetcher that leaves a listener behind on every page's signal (as undici's fetch does until GC).
    const paginator = new Paginator<number>(
      async (request) => {
        request.signal?.addEventListener("abort", () => undefined);
        leftovers.push(request.signal!);
        return list.fetchPage(request);
      },
      { signal: controller.signal },
    );
    expect(await paginator.toArray()).toEqual([1, 2, 3, 4, 5]);
    expect(leftovers).toHaveLength(3);
    for (const signal of leftovers) expect(getEventListeners(signal, "abort")).toHaveLength(0);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("rejects even when the fetcher ignores the signal", async () => {
    const controller = new AbortController();
    const never = new Paginator<number>(() => new Promise<Page<number>>(() => undefined), { signal: controller.signal });
    const result = never.toArray();
    await settle();
    controller.abort(new Error("stop"));
    await expect(result).rejects.toThrow("stop");
  });
});

describe("walk: errors from the fetcher", () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", record);
  });
  afterEach(() => {
    process.off("unhandledRejection", record);
  });

  it("propagates a first-page failure to the consumer", async () => {
    const failure = new Error("HTTP 500");
    await expect(new Paginator<number>(async () => Promise.reject(failure)).toArray()).rejects.toBe(failure);
  });

  it("propagates a synchronous throw from the fetcher", async () => {
    const failure = new Error("bad request built");
    const paginator = new Paginator<number>(() => {
      throw failure;
    });
    await expect(paginator.toArray()).rejects.toBe(failure);
  });

  it("surfaces a failed prefetch only when its page is reached, never as an unhandled rejection", async () => {
    const server = controlledFetcher<number>();
    const iterator = new Paginator(server.fetchPage)[Symbol.asyncIterator]();
    const first = iterator.next();
    await settle();
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    expect(await first).toEqual({ done: false, value: 1 });
    const failure = new Error("page 2 exploded");
    server.calls[1]?.reject(failure);
    await settle();
    await settle();
    expect(unhandled).toEqual([]);
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    await expect(iterator.next()).rejects.toBe(failure);
    expect(unhandled).toEqual([]);
  });

  it("leaves no unhandled rejection when a consumer abandons a walk whose prefetch fails", async () => {
    const server = controlledFetcher<number>();
    const iterator = new Paginator(server.fetchPage)[Symbol.asyncIterator]();
    const first = iterator.next();
    await settle();
    server.calls[0]?.resolve({ items: [1, 2], nextCursor: "c2" });
    await first;
    server.calls[1]?.reject(new Error("nobody is listening"));
    await settle();
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("stays failed: later next() calls reject with the same error and fetch nothing", async () => {
    let calls = 0;
    const failure = new Error("HTTP 503");
    const iterator = new Paginator<number>(async () => {
      calls++;
      throw failure;
    })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBe(failure);
    await expect(iterator.next()).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it("reports an error thrown by map or takeWhile like a fetch error", async () => {
    const paginator = new Paginator<number>(async () => ({ items: [1], nextCursor: undefined })).map(() => {
      throw new Error("mapper failed");
    });
    await expect(paginator.toArray()).rejects.toThrow("mapper failed");
  });
});
