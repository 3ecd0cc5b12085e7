/**
 * The engine under `Paginator`: one walk over a paginated list, holding at most the current page and one page
 * fetched ahead. Kept apart from `paginate.ts` so the public surface reads on its own.
 */
import { getEventListeners } from "node:events";
import { SentryError } from "../errors/errors.js";
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

/** The page fetch in flight: how to settle its promise, so an abort can reject it at once. */
interface InFlight<T> {
  resolve(page: Page<T>): void;
  reject(reason: unknown): void;
}

/**
 * One walk. `next()` is not re-entrant; the iterators in `paginate.ts` serialise calls to it.
 *
 * A walk has at most one page fetch in flight (the page fetched ahead is only started once the previous one has
 * arrived), so every fetch of a walk is handed the same signal: the walk's controller, aborted when the consumer
 * stops or the caller's signal aborts during a fetch. Once a fetch settles, the listeners left on that signal are
 * removed (undici drops its own only when the request is garbage-collected, so they would pile up page after page),
 * and the caller's signal is followed only while a fetch runs.
 * @internal
 */
export class PageWalk<T> {
  /** Set when the consumer stops early (`stop()`); an in-flight fetch is then cancelled rather than left running. */
  #stopped = false;
  /** The signal of this walk's fetches; made for the first fetch. */
  #controller: AbortController | undefined;
  #inFlight: InFlight<T> | undefined;
  readonly #seen = new Set<string>();
  #target: Target;
  #ahead: Promise<Page<T>> | undefined;
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
      const pending = this.#ahead ?? this.#fetch(target.cursor);
      this.#ahead = undefined;
      let page: Page<T>;
      try {
        page = await pending;
      } catch (error) {
        if (this.#stopped) return undefined;
        return this.#fail(error);
      }
      this.#advance(page);
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
    this.#ahead = undefined;
    this.#abortFetch(new DOMException("pagination stopped by the consumer", "AbortError"));
  }

  /** The caller's signal aborted while a fetch was in flight (the walk is its listener then). */
  handleEvent(): void {
    this.#abortFetch(this.settings.signal?.reason);
  }

  #fail(error: unknown): never {
    this.#failure = { error };
    this.#ahead = undefined;
    throw error;
  }

  /**
   * Starts one page fetch. Its promise settles with the page, or rejects as soon as the caller's signal aborts or the
   * walk is stopped, even when the fetcher ignores its signal.
   */
  #fetch(cursor: string | undefined): Promise<Page<T>> {
    this.#fetched++;
    const caller = this.settings.signal;
    if (this.#stopped || caller?.aborted) {
      const reason: unknown = caller?.aborted ? caller.reason : new DOMException("pagination stopped by the consumer", "AbortError");
      const refused = Promise.reject(reason);
      refused.catch(ignore);
      return refused;
    }
    let controller = this.#controller;
    if (!controller || controller.signal.aborted) this.#controller = controller = new AbortController();
    const promise = new Promise<Page<T>>((resolve, reject) => {
      this.#inFlight = { resolve, reject };
    });
    const inFlight = this.#inFlight!;
    caller?.addEventListener("abort", this, { once: true });
    let page: Promise<Page<T>> | Page<T>;
    try {
      page = this.fetchPage({ cursor, perPage: this.settings.perPage, signal: controller.signal });
    } catch (error) {
      page = Promise.reject(error);
    }
    Promise.resolve(page).then(
      (fetched) => {
        if (!this.#settle(inFlight)) return;
        try {
          inFlight.resolve(checkedPage(fetched));
        } catch (error) {
          inFlight.reject(error);
        }
      },
      (error: unknown) => {
        if (this.#settle(inFlight)) inFlight.reject(error);
      },
    );
    // A failed prefetch must surface when its page is reached, not as an unhandled rejection now.
    promise.catch(ignore);
    return promise;
  }

  /** Ends `inFlight` once its fetcher settled; false when an abort already rejected it. */
  #settle(inFlight: InFlight<T>): boolean {
    if (this.#inFlight !== inFlight) return false;
    this.#inFlight = undefined;
    this.settings.signal?.removeEventListener("abort", this);
    const signal = this.#controller?.signal;
    if (signal && !signal.aborted) {
      for (const listener of getEventListeners(signal, "abort")) signal.removeEventListener("abort", listener as (event: Event) => void);
    }
    return true;
  }

  /** Aborts the fetch in flight, if any: its signal fires and its promise rejects with `reason`. */
  #abortFetch(reason: unknown): void {
    const inFlight = this.#inFlight;
    if (!inFlight) return;
    this.#inFlight = undefined;
    this.settings.signal?.removeEventListener("abort", this);
    this.#controller?.abort(reason);
    inFlight.reject(reason);
  }

  #advance(page: Page<T>): void {
    const { nextCursor } = page;
    if (nextCursor === undefined) {
      this.#target = { kind: "end" };
    } else if (this.#fetched >= this.settings.maxPages) {
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
    if (!this.settings.prefetch || target.kind !== "fetch" || this.#delivered >= this.itemLimit) return;
    this.#ahead = this.#fetch(target.cursor);
  }
}
