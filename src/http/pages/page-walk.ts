/**
 * The engine under `Paginator`: one walk over a paginated list, holding at most the current page and one page
 * fetched ahead. Kept apart from `paginate.ts` so the public surface reads on its own.
 */
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

/**
 * One walk. `next()` is not re-entrant; the iterators in `paginate.ts` serialise calls to it.
 * @internal
 */
export class PageWalk<T> {
  /** Aborted when the consumer stops early, so an in-flight prefetch is cancelled rather than left running. */
  readonly #stopped = new AbortController();
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
      if (this.#stopped.signal.aborted) return undefined;
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
        if (this.#stopped.signal.aborted) return undefined;
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
    return !this.#stopped.signal.aborted && this.#failure === undefined && !this.settings.signal?.aborted;
  }

  /** Rejects once the caller's signal aborted, even while the current page still has items to hand out. */
  throwIfAborted(): void {
    if (this.#stopped.signal.aborted) return;
    if (this.#failure) throw this.#failure.error;
    if (this.settings.signal?.aborted) this.#fail(this.settings.signal.reason);
  }

  /** Ends the walk early (consumer `break`/`return()`), cancelling any page fetched ahead. */
  stop(): void {
    this.#ahead = undefined;
    this.#stopped.abort(new DOMException("pagination stopped by the consumer", "AbortError"));
  }

  #fail(error: unknown): never {
    this.#failure = { error };
    this.#ahead = undefined;
    throw error;
  }

  /**
   * Starts one page fetch. Its promise settles with the page, or rejects as soon as the caller's signal aborts or the
   * walk is stopped, even when the fetcher ignores its signal.
   *
   * Each fetch gets its own short-lived signal, linked to the caller's signal and to `stop()` only while it runs:
   * handing one long-lived signal to every fetch would pile up abort listeners on it (undici drops its listener only
   * when the request is garbage-collected), making each later request slower.
   */
  #fetch(cursor: string | undefined): Promise<Page<T>> {
    this.#fetched++;
    const controller = new AbortController();
    const sources = this.settings.signal ? [this.settings.signal, this.#stopped.signal] : [this.#stopped.signal];
    const promise = new Promise<Page<T>>((resolve, reject) => {
      const unlink = (): void => {
        for (const source of sources) source.removeEventListener("abort", onAbort);
      };
      // Unlinks at once: a fetcher that ignores its signal must not keep a listener on the caller's signal.
      function onAbort(event: Event): void {
        unlink();
        const reason: unknown = (event.target as AbortSignal).reason;
        controller.abort(reason);
        reject(reason);
      }
      for (const source of sources) {
        if (source.aborted) {
          controller.abort(source.reason);
          reject(source.reason);
          return;
        }
        source.addEventListener("abort", onAbort, { once: true });
      }
      const request = { cursor, perPage: this.settings.perPage, signal: controller.signal };
      new Promise<Page<T>>((settle) => settle(this.fetchPage(request))).then(
        (page) => {
          unlink();
          try {
            resolve(checkedPage(page));
          } catch (error) {
            reject(error);
          }
        },
        (error: unknown) => {
          unlink();
          reject(error);
        },
      );
    });
    // A failed prefetch must surface when its page is reached, not as an unhandled rejection now.
    promise.catch(ignore);
    return promise;
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
