/**
 * Pagination: `Paginator<T>` walks cursor-paginated lists (Sentry's Link header, or SCIM's startIndex made to look
 * like a cursor) one page at a time, fetching one page ahead while the caller works on the current one.
 */
import { type Page, type PageFetcher, type PageRequest, PageWalk, PaginationError, type WalkReport, type WalkSettings } from "./page-walk.js";

export { parseLinkHeader, nextCursor } from "./link-header.js";
export type { LinkRelation, ParsedLinks, LinkHeaderOptions } from "./link-header.js";
export { PaginationError, isPaginationError } from "./page-walk.js";
export type { Page, PageFetcher, PageRequest, PaginationErrorCode } from "./page-walk.js";

/** Options of a {@link Paginator}. */
export interface PaginateOptions {
  /** Start from this cursor (resume a walk from `lastCursor` or a page's `nextCursor`). */
  cursor?: string;
  /** Items per page, 1..100 (Sentry's maximum); default 100. */
  perPage?: number;
  /** Fetch at most this many pages per walk; `truncated` tells whether more were left. */
  maxPages?: number;
  /** Aborting stops the walk: pending and later `next()` calls reject with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Fetch the next page while the caller consumes the current one, or, when the fetcher announces the next cursor
   * early (Sentry's Link header, before the body), while the current page is still arriving; default true.
   */
  prefetch?: boolean;
}

const MAX_PER_PAGE = 100;

function normalise(options: PaginateOptions): WalkSettings {
  const perPage = options.perPage ?? MAX_PER_PAGE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new PaginationError("invalid-option", `perPage must be an integer from 1 to ${MAX_PER_PAGE}, got ${String(perPage)}`);
  }
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  if (maxPages !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxPages) || maxPages < 1)) {
    throw new PaginationError("invalid-option", `maxPages must be a positive integer, got ${String(maxPages)}`);
  }
  if (options.cursor !== undefined && (typeof options.cursor !== "string" || options.cursor === "")) {
    throw new PaginationError("invalid-option", "cursor must be a non-empty string");
  }
  return Object.freeze({
    cursor: options.cursor,
    perPage,
    maxPages,
    signal: options.signal,
    prefetch: options.prefetch ?? true,
  });
}

/** Runs `step` calls one after another, so parallel `next()` calls never interleave. */
function serialise<R>(step: () => Promise<R>): () => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return () => {
    const run = tail.then(step);
    // The chain must survive a rejected step; the rejection itself reaches the caller through `run`.
    tail = run.catch(() => undefined);
    return run;
  };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * An async iterable over every item of a paginated list, fetched page by page with one page fetched ahead.
 *
 * Each iteration (`for await`, `.pages()`, `.toArray()`) is a fresh walk from `options.cursor`. Empty pages are skipped
 * without ending the walk; a cursor seen twice in one walk throws `PaginationError` (code `repeated-cursor`) once the
 * items before it are delivered, instead of looping. Parallel `next()` calls on one iterator are safe: they are served
 * in call order, so no page is fetched twice and no item is handed out twice. Errors from the fetcher reach the
 * consumer when the failing page is reached (a failed prefetch is never an unhandled rejection), and a failed walk
 * stays failed: later `next()` calls reject with the same error.
 *
 * @example
 * const members = new Paginator((req) => fetchMembersPage(req), { perPage: 50 });
 * for await (const member of members) console.log(member.email);
 *
 * @throws {PaginationError} from the constructor when `perPage` is outside 1..100, `maxPages` is not a positive
 *   integer or `cursor` is empty; during a walk when the server repeats a cursor.
 */
export class Paginator<T> implements AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;
  readonly #options: PaginateOptions;
  readonly #settings: WalkSettings;
  #truncated = false;
  #lastCursor: string | undefined;
  #walks = 0;

  constructor(fetchPage: PageFetcher<T>, options: PaginateOptions = {}) {
    this.#fetchPage = fetchPage;
    this.#options = options;
    this.#settings = normalise(options);
    this.#lastCursor = this.#settings.cursor;
  }

  /** True once the latest walk stopped at `maxPages` with more pages left (resume from `lastCursor`). */
  get truncated(): boolean {
    return this.#truncated;
  }

  /**
   * Where to resume the latest walk without losing an item: the `nextCursor` of the last page fully consumed, the
   * cursor of a page left half-read, or undefined once the list is exhausted.
   */
  get lastCursor(): string | undefined {
    return this.#lastCursor;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.#items(Number.POSITIVE_INFINITY);
  }

  /**
   * The non-empty pages of the list; each page's `nextCursor` lets a caller resume later.
   * @example
   * for await (const page of sentry.org.members.list().pages()) await save(page.items, page.nextCursor);
   */
  pages(): AsyncIterable<Page<T>> {
    return { [Symbol.asyncIterator]: () => this.#pages() };
  }

  /**
   * Collects the items into an array, stopping after `limit` items without fetching pages beyond them.
   * @example
   * const firstTen = await sentry.org.teams.list().toArray({ limit: 10 });
   * @throws {PaginationError} when `limit` is not a non-negative integer.
   */
  async toArray(options: { limit?: number } = {}): Promise<T[]> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (limit !== Number.POSITIVE_INFINITY && (!Number.isInteger(limit) || limit < 0)) {
      throw new PaginationError("invalid-option", `limit must be a non-negative integer, got ${String(limit)}`);
    }
    const items: T[] = [];
    if (limit === 0) return items;
    const iterator = this.#items(limit);
    try {
      while (items.length < limit) {
        const result = await iterator.next();
        if (result.done) break;
        items.push(result.value);
      }
    } finally {
      await iterator.return?.();
    }
    return items;
  }

  /**
   * A paginator that ends at the first item failing `predicate`, without fetching any page after it. The predicate
   * sees each page as it arrives (before the caller reaches its items), so it should be pure.
   * @example
   * const recent = sentry.auditLogs.list().takeWhile((entry) => entry.dateCreated >= since);
   */
  takeWhile(predicate: (item: T) => boolean): Paginator<T> {
    // A page may end the walk here, so the server's next cursor is not announced early: no page past the stop is fetched.
    return this.#derive(
      (page) => {
        const stop = page.items.findIndex((item) => !predicate(item));
        return stop === -1 ? page : { items: page.items.slice(0, stop), nextCursor: undefined };
      },
      { announces: false },
    );
  }

  /**
   * A paginator whose items are `fn(item)`; `fn` runs on each page as it arrives.
   * @example
   * const emails = sentry.org.members.list().map((member) => member.email);
   */
  map<U>(fn: (item: T) => U): Paginator<U> {
    return this.#derive((page) => ({ items: page.items.map(fn), nextCursor: page.nextCursor }), { announces: true });
  }

  /** A paginator over this one's pages through `transform`; `announces`: whether it keeps every page's next cursor. */
  #derive<U>(transform: (page: Page<T>) => Page<U>, { announces }: { announces: boolean }): Paginator<U> {
    const fetchPage = this.#fetchPage;
    return derivedPaginator<U>(async (request) => {
      const { announceNext, ...rest } = request;
      return transform(await fetchPage(announces && announceNext ? { ...rest, announceNext } : rest));
    }, this.#options);
  }

  #startWalk(itemLimit: number): PageWalk<T> {
    const walk = ++this.#walks;
    this.#truncated = false;
    this.#lastCursor = this.#settings.cursor;
    // Only the latest walk reports, so an abandoned iterator cannot overwrite a newer walk's state.
    const report: WalkReport = {
      truncated: () => {
        if (walk === this.#walks) this.#truncated = true;
      },
      resumeAt: (cursor) => {
        if (walk === this.#walks) this.#lastCursor = cursor;
      },
    };
    return new PageWalk(this.#fetchPage, this.#settings, report, itemLimit);
  }

  #items(itemLimit: number): AsyncIterator<T> {
    const walk = this.#startWalk(itemLimit);
    let items: T[] = [];
    let index = 0;
    let after: string | undefined;
    let busy = 0;
    const take = (): IteratorResult<T> => {
      const value = items[index++] as T;
      if (index === items.length) {
        walk.report.resumeAt(after);
        items = [];
        index = 0;
      }
      return { done: false, value };
    };
    const step = serialise(async (): Promise<IteratorResult<T>> => {
      walk.throwIfAborted();
      while (index >= items.length) {
        const fetched = await walk.next();
        if (fetched === undefined) return DONE;
        ({ items } = fetched.page);
        index = 0;
        after = fetched.page.nextCursor;
        walk.report.resumeAt(fetched.cursor);
      }
      return take();
    });
    const idle = (): void => {
      busy--;
    };
    return {
      // Fast path: with nothing queued, an item already in hand is handed out without joining the queue.
      next: () => {
        if (busy === 0 && index < items.length && walk.healthy) return Promise.resolve(take());
        busy++;
        const run = step();
        run.then(idle, idle);
        return run;
      },
      return: async () => {
        walk.stop();
        return DONE;
      },
    };
  }

  #pages(): AsyncIterator<Page<T>> {
    const walk = this.#startWalk(Number.POSITIVE_INFINITY);
    const next = serialise(async (): Promise<IteratorResult<Page<T>>> => {
      const fetched = await walk.next();
      if (fetched === undefined) return DONE;
      walk.report.resumeAt(fetched.page.nextCursor);
      return { done: false, value: fetched.page };
    });
    return {
      next,
      return: async () => {
        walk.stop();
        return DONE;
      },
    };
  }
}

// Outside the class body: a class that names itself inside its body is renamed by the bundler (`_Paginator`).
function derivedPaginator<U>(fetchPage: PageFetcher<U>, options: PaginateOptions): Paginator<U> {
  return new Paginator<U>(fetchPage, options);
}

/** One page of a SCIM v2 ListResponse, as Sentry returns it. */
export interface ScimListPage<T> {
  Resources: T[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
}

/** What a SCIM list fetcher is asked for: 1-based `startIndex`, page size `count`, the walk's signal. */
export interface ScimPageRequest {
  startIndex: number;
  count: number;
  signal?: AbortSignal;
}

function startIndexOf(cursor: string | undefined): number {
  if (cursor === undefined) return 1;
  const startIndex = Number(cursor);
  if (!Number.isSafeInteger(startIndex) || startIndex < 1 || String(startIndex) !== cursor) {
    throw new PaginationError("invalid-option", `a SCIM cursor is a 1-based startIndex, got "${cursor}"`);
  }
  return startIndex;
}

/**
 * Adapts a SCIM list (startIndex/count/totalResults) to a page fetcher whose cursor is `String(startIndex)`.
 *
 * The next start index counts from the `startIndex` the server reports, so a server that ignores the parameter repeats
 * a cursor and the walk stops with `PaginationError` instead of looping; an empty page ends the list.
 *
 * @example
 * const users = new Paginator(scimPageFetcher((req) => getScimUsers(req)), { perPage: 100 });
 * @throws {PaginationError} when a cursor is not a positive integer.
 */
export function scimPageFetcher<T>(fetch: (request: ScimPageRequest) => Promise<ScimListPage<T>>): (request: PageRequest) => Promise<Page<T>> {
  return async ({ cursor, perPage, signal }) => {
    const requested = startIndexOf(cursor);
    const response = await fetch(signal ? { startIndex: requested, count: perPage, signal } : { startIndex: requested, count: perPage });
    const items = Array.isArray(response.Resources) ? response.Resources : [];
    const first = Number.isSafeInteger(response.startIndex) && response.startIndex >= 1 ? response.startIndex : requested;
    const following = first + items.length;
    const more = items.length > 0 && following <= response.totalResults;
    return { items, nextCursor: more ? String(following) : undefined };
  };
}
