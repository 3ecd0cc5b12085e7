/**
 * The engine under `Paginator`: one walk over a paginated list, holding at most the current page and one page
 * fetched ahead. Kept apart from `paginate.ts` so the public surface reads on its own.
 */
import { SentryError } from "../errors/errors.js";
import { ControllerPool } from "../send/deadline.js";
/** One page of a list and the cursor of the page after it (undefined on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}

/** What a page fetcher is asked for: the cursor (undefined for the first page), the page size, the walk's signal. */
export interface PageRequest {
  cursor: string | undefined;
  perPage: number;
  signal?: AbortSignal;
  /**
   * For a fetcher that learns the next page's cursor before its own page is ready (Sentry's Link header arrives
   * before the body): calling it lets the walk start on that page while this one's body is still being read. The
   * page's own `nextCursor` stays what counts: a fetch started for another cursor is cancelled.
   */
  announceNext?: (cursor: string | undefined) => void;
}

/** Fetches one page. */
export type PageFetcher<T> = (request: PageRequest) => Promise<Page<T>>;

/** Why pagination failed: bad options, a server that repeats a cursor, or a fetcher that returned no page. */
export type PaginationErrorCode = "invalid-option" | "repeated-cursor" | "invalid-page";

const PAGINATION_ERROR = Symbol.for("sentry-rbac.PaginationError");
const PAGINATION_HINTS: Record<PaginationErrorCode, string> = {
  "invalid-option": "Fix the pagination option named in the message; nothing was fetched.",
  "repeated-cursor": "The server sent a cursor twice; the walk stopped instead of looping. Report it with the request id if it repeats.",
  "invalid-page": "A custom page fetcher must resolve to { items: [...], nextCursor }.",
};

/**
 * Raised for pagination misuse (invalid `perPage`, `maxPages`, `limit`, cursor) before any fetch, and for a server
 * that repeats a cursor (the walk stops instead of looping) or answers with something that is not a page.
 *
 * @example
 * try { await paginator.toArray(); } catch (error) { if (isPaginationError(error)) console.error(error.code); }
 */
export class PaginationError extends SentryError {
  // Fields set in the constructor, not as initializers: the CommonJS build's transform wraps a class with field
  // initializers in an anonymous class expression, which loses its name.
  override readonly name: "PaginationError";
  readonly code: PaginationErrorCode;
  readonly [PAGINATION_ERROR]: true;

  constructor(code: PaginationErrorCode, message: string) {
    super("pagination", message, { hint: PAGINATION_HINTS[code] });
    this.name = "PaginationError";
    this.code = code;
    this[PAGINATION_ERROR] = true;
  }
}

/**
 * True for a `PaginationError`, also one from another loaded copy of this package (where `instanceof` fails).
 * @example
 * if (isPaginationError(error) && error.code === "repeated-cursor") reportServerBug(error);
 */
export function isPaginationError(value: unknown): value is PaginationError {
  return typeof value === "object" && value !== null && (value as { [PAGINATION_ERROR]?: unknown })[PAGINATION_ERROR] === true;
}

/** Normalised, frozen `PaginateOptions`. */
export interface WalkSettings {
  readonly cursor: string | undefined;
  readonly perPage: number;
  readonly maxPages: number;
  readonly signal: AbortSignal | undefined;
  readonly prefetch: boolean;
}

/** How a walk tells its paginator about `truncated` and `lastCursor`. */
export interface WalkReport {
  truncated(): void;
  resumeAt(cursor: string | undefined): void;
}

/** A page with the cursor that fetched it. */
export interface FetchedPage<T> {
  page: Page<T>;
  cursor: string | undefined;
}

type Target = { kind: "fetch"; cursor: string | undefined } | { kind: "repeated"; cursor: string } | { kind: "end" };

const ignore = (): void => undefined;

function checkedPage<T>(page: Page<T>): Page<T> {
  if (typeof page !== "object" || page === null || !Array.isArray(page.items)) {
    throw new PaginationError("invalid-page", "the page fetcher must resolve to { items: [...], nextCursor }");
  }
  const { nextCursor } = page as { nextCursor: unknown };
  if (nextCursor !== undefined && nextCursor !== null && typeof nextCursor !== "string") {
    throw new PaginationError("invalid-page", "a page's nextCursor must be a string or undefined");
  }
  // null and "" come from JSON bodies and mean "no next page" as much as undefined does.
  return { items: page.items, nextCursor: nextCursor || undefined };
}

/** One page fetch: its cursor, its own signal, and how to settle its promise, so an abort can reject it at once. */
interface Flight<T> {
  readonly cursor: string | undefined;
  /** For a page fetched ahead on an announcement: the cursor of the page that announced it. */
  after?: string | undefined;
  readonly controller: AbortController;
  readonly promise: Promise<Page<T>>;
  resolve(page: Page<T>): void;
  reject(reason: unknown): void;
}

/** At most this many pages are fetched ahead of the one the consumer is reading. */
const MAX_AHEAD = 2;

/**
 * One walk. `next()` is not re-entrant; the iterators in `paginate.ts` serialise calls to it.
 *
 * Pages are fetched ahead of the consumer: the page after the one just handed out (`prefetch`), and, when a fetcher
 * announces a next cursor early (from the response headers), the page after that one while the current body is still
 * read, so the server works on page n+1 while the client parses page n. At most two pages are in flight. Each
 * fetch has its own signal, aborted when the consumer stops, the caller's signal aborts, or the fetch turns out to be
 * for a cursor the walk will not follow.
 * @internal
 */
export class PageWalk<T> {
  /** Set when the consumer stops early (`stop()`); fetches in flight are then cancelled rather than left running. */
  #stopped = false;
  /** Fetches not yet settled (the caller's signal is followed while there are any). */
  readonly #inFlight = new Set<Flight<T>>();
  /** Signals of fetches that ended well, for the next fetches of this walk. */
  readonly #signals = new ControllerPool(MAX_AHEAD);
  /** Pages fetched ahead, by cursor, in the order they will be read. */
  readonly #ahead = new Map<string | undefined, Flight<T>>();
  readonly #seen = new Set<string>();
  #target: Target;
  #fetched = 0;
  #delivered = 0;
  #failure: { error: unknown } | undefined;
  /** Where a later walk resumes once this one ends: undefined when the list is exhausted. */
  #endCursor: string | undefined;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    private readonly settings: WalkSettings,
    readonly report: WalkReport,
    /** Items the consumer wants at most; no page is fetched ahead once they are in hand. */
    private readonly itemLimit: number,
  ) {
    this.#target = { kind: "fetch", cursor: settings.cursor };
    if (settings.cursor !== undefined) this.#seen.add(settings.cursor);
  }

  /** The next non-empty page, or undefined once the list (or `maxPages`) is exhausted or the walk was stopped. */
  async next(): Promise<FetchedPage<T> | undefined> {
    for (;;) {
      if (this.#stopped) return undefined;
      if (this.#failure) throw this.#failure.error;
      if (this.settings.signal?.aborted) return this.#fail(this.settings.signal.reason);
      const target = this.#target;
      if (target.kind === "end") {
        this.report.resumeAt(this.#endCursor);
        return undefined;
      }
      if (target.kind === "repeated") {
        return this.#fail(new PaginationError("repeated-cursor", `the server returned cursor "${target.cursor}" twice; stopping instead of looping`));
      }
      const ahead = this.#ahead.get(target.cursor);
      this.#ahead.delete(target.cursor);
      const pending = ahead ? ahead.promise : this.#fetch(target.cursor).promise;
      let page: Page<T>;
      try {
        page = await pending;
      } catch (error) {
        if (this.#stopped) return undefined;
        return this.#fail(error);
      }
      this.#advance(page);
      this.#dropStale();
      if (page.items.length > 0) {
        this.#delivered += page.items.length;
        this.#prefetch();
        return { page, cursor: target.cursor };
      }
    }
  }

  /** False once the walk was stopped, failed or aborted: `next()` then has something other than a page to say. */
  get healthy(): boolean {
    return !this.#stopped && this.#failure === undefined && !this.settings.signal?.aborted;
  }

  /** Rejects once the caller's signal aborted, even while the current page still has items to hand out. */
  throwIfAborted(): void {
    if (this.#stopped) return;
    if (this.#failure) throw this.#failure.error;
    if (this.settings.signal?.aborted) this.#fail(this.settings.signal.reason);
  }

  /** Ends the walk early (consumer `break`/`return()`), cancelling any page fetched ahead. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#ahead.clear();
    this.#abortAll(new DOMException("pagination stopped by the consumer", "AbortError"));
  }

  /** The caller's signal aborted while a fetch was in flight (the walk is its listener then). */
  handleEvent(): void {
    this.#abortAll(this.settings.signal?.reason);
  }

  #fail(error: unknown): never {
    this.#failure = { error };
    this.#ahead.clear();
    this.#abortAll(error);
    throw error;
  }

  /**
   * Starts one page fetch. Its promise settles with the page, or rejects as soon as the caller's signal aborts or the
   * walk is stopped, even when the fetcher ignores its signal.
   */
  #fetch(cursor: string | undefined): Flight<T> {
    this.#fetched++;
    const caller = this.settings.signal;
    let settle!: Pick<Flight<T>, "resolve" | "reject">;
    const promise = new Promise<Page<T>>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // A failed fetch ahead must surface when its page is reached, not as an unhandled rejection now.
    promise.catch(ignore);
    const flight: Flight<T> = { cursor, controller: this.#signals.take(), promise, ...settle };
    if (this.#stopped || caller?.aborted) {
      flight.reject(caller?.aborted ? caller.reason : new DOMException("pagination stopped by the consumer", "AbortError"));
      return flight;
    }
    if (this.#inFlight.size === 0) caller?.addEventListener("abort", this, { once: true });
    this.#inFlight.add(flight);
    const request: PageRequest = { cursor, perPage: this.settings.perPage, signal: flight.controller.signal };
    if (this.settings.prefetch) request.announceNext = (next) => this.#announced(flight, next);
    let page: Promise<Page<T>> | Page<T>;
    try {
      page = this.fetchPage(request);
    } catch (error) {
      page = Promise.reject(error);
    }
    Promise.resolve(page).then(
      (fetched) => {
        if (!this.#settle(flight)) return;
        this.#signals.keep(flight.controller);
        try {
          flight.resolve(checkedPage(fetched));
        } catch (error) {
          flight.reject(error);
        }
      },
      (error: unknown) => {
        if (this.#settle(flight)) flight.reject(error);
      },
    );
    return flight;
  }

  /** Ends `flight` once its fetcher settled; false when an abort already rejected it. */
  #settle(flight: Flight<T>): boolean {
    if (!this.#inFlight.delete(flight)) return false;
    if (this.#inFlight.size === 0) this.settings.signal?.removeEventListener("abort", this);
    return true;
  }

  /** Aborts every fetch in flight: each signal fires and each promise rejects with `reason`. */
  #abortAll(reason: unknown): void {
    for (const flight of [...this.#inFlight]) this.#cancel(flight, reason);
  }

  #cancel(flight: Flight<T>, reason: unknown): void {
    if (!this.#settle(flight)) return;
    flight.controller.abort(reason);
    flight.reject(reason);
  }

  /**
   * A fetch in flight announced the cursor after its page: start on that page now if the walk would fetch it next
   * anyway (prefetch on, a new cursor, within `maxPages` and the item limit even if every page ahead is full).
   */
  #announced(from: Flight<T>, next: string | undefined): void {
    if (next === undefined || this.#stopped || this.#failure || !this.#inFlight.has(from)) return;
    if (this.#ahead.size >= MAX_AHEAD || this.#ahead.has(next) || this.#seen.has(next) || next === from.cursor) return;
    if (this.#fetched >= this.settings.maxPages) return;
    if (this.#delivered + this.settings.perPage * (this.#ahead.size + 1) >= this.itemLimit) return;
    const flight = this.#fetch(next);
    flight.after = from.cursor;
    this.#ahead.set(next, flight);
  }

  /**
   * Cancels pages fetched ahead that the walk will not read: kept are the page it goes to next and the pages
   * announced, one after the other, from there; the rest came from an announcement the page itself did not confirm.
   */
  #dropStale(): void {
    const target = this.#target;
    const kept = new Set<string | undefined>();
    for (const [cursor, flight] of this.#ahead) {
      const onPath = target.kind === "fetch" && (cursor === target.cursor || (kept.size > 0 && kept.has(flight.after)));
      if (onPath) {
        kept.add(cursor);
        continue;
      }
      this.#ahead.delete(cursor);
      this.#fetched--;
      this.#cancel(flight, new DOMException("pagination skipped a page fetched ahead", "AbortError"));
    }
  }

  #advance(page: Page<T>): void {
    const { nextCursor } = page;
    // Pages fetched ahead of this one (from announced cursors) do not count against maxPages yet.
    const fetched = this.#fetched - this.#ahead.size;
    if (nextCursor === undefined) {
      this.#target = { kind: "end" };
    } else if (fetched >= this.settings.maxPages) {
      this.#target = { kind: "end" };
      this.#endCursor = nextCursor;
      this.report.truncated();
    } else if (this.#seen.has(nextCursor)) {
      this.#target = { kind: "repeated", cursor: nextCursor };
    } else {
      this.#seen.add(nextCursor);
      this.#target = { kind: "fetch", cursor: nextCursor };
    }
  }

  #prefetch(): void {
    const target = this.#target;
    if (!this.settings.prefetch || target.kind !== "fetch" || this.#delivered >= this.itemLimit || this.#ahead.has(target.cursor)) return;
    this.#ahead.set(target.cursor, this.#fetch(target.cursor));
  }
}
