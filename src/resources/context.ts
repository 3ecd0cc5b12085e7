/**
 * What every resource shares: the client context, list options, and how a list becomes a
 * `Paginator` (Sentry's Link-header cursors).
 */
import { isNotFoundError } from "../http/errors/errors.js";
import { nextCursor, Paginator, type PaginateOptions } from "../http/pages/paginate.js";
import type { Transport } from "../http/send/transport.js";
import type { RemoveOptions, RemoveResult } from "./types.js";
import { assertPerPage } from "./validate.js";

/** What resource namespaces are built from. */
export interface ClientContext {
  readonly transport: Transport;
  readonly org: string | undefined;
  /** The organization slug, or a SentryConfigError saying how to set one. */
  requireOrg(): string;
}

/** Paging options every list-like method accepts (`perPage` 1..100, resume with `cursor`). */
export type ListOptions = PaginateOptions;

/**
 * The query every Link-paginated page sends. Sentry honours `per_page` on every paginated endpoint even where the
 * spec omits it (facts §2), so callers pass this object as a whole rather than as a literal typed per operation.
 */
export interface PageQuery {
  cursor?: string;
  per_page: number;
}

/** One page as openapi-fetch returns it from the throwing `api` client. */
export interface FetchedPage<T> {
  data?: T[] | undefined;
  response: Response;
}

/**
 * A Paginator over a list paginated with Sentry's Link header. `perPage` is checked first, so a bad value throws
 * ValidationError (field `perPage`) without any request.
 * @example
 * const teams = linkPaginator(ctx, { perPage: 50 }, (query, signal) =>
 *   typedApi(ctx.transport).GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path, query }, signal }));
 * @throws {ValidationError} when `perPage` is outside 1..100.
 */
export function linkPaginator<T>(
  ctx: ClientContext,
  options: ListOptions,
  fetchPage: (query: PageQuery, signal: AbortSignal | undefined) => Promise<FetchedPage<T>>,
): Paginator<T> {
  assertPerPage("perPage", options.perPage);
  const baseUrl = ctx.transport.config.baseUrl;
  return new Paginator<T>(
    async ({ cursor, perPage, signal, announceNext }) => {
      const query: PageQuery = cursor === undefined ? { per_page: perPage } : { cursor, per_page: perPage };
      // The Link header arrives before the body: the walk may ask for the next page while this body is read.
      let announced: { link: string | null; cursor: string | undefined } | undefined;
      const unwatch =
        announceNext && signal
          ? ctx.transport.watchHeaders(signal, (status, headers) => {
              if (status < 200 || status >= 300) return;
              const link = headers.get("link");
              announced = { link, cursor: nextCursor(link, baseUrl) };
              announceNext(announced.cursor);
            })
          : undefined;
      try {
        const { data, response } = await fetchPage(query, signal);
        const link = response.headers.get("link");
        return { items: data ?? [], nextCursor: announced?.link === link ? announced.cursor : nextCursor(link, baseUrl) };
      } finally {
        unwatch?.();
      }
    },
    withDefaultPerPage(ctx, options),
  );
}

/**
 * The list options with the client's `perPage` (createSentryClient option, default 100) when the call sets none.
 * @example new Paginator(fetchPage, withDefaultPerPage(ctx, { cursor }));
 */
export function withDefaultPerPage<O extends ListOptions>(ctx: ClientContext, options: O): O {
  return options.perPage === undefined ? { ...options, perPage: ctx.transport.config.perPage } : options;
}

/** The organization path parameter every org-scoped operation takes. */
export function orgPath(ctx: ClientContext): { organization_id_or_slug: string } {
  return { organization_id_or_slug: ctx.requireOrg() };
}

/**
 * Runs a removal; with `{ ifPresent: true }` a 404 (already gone) is success rather than an error.
 * @example return removeIfPresent(options, () => api.DELETE(PROJECT_TEAM, { params: { path } }));
 * @throws {NotFoundError} on a 404 unless `ifPresent` is set; any other error as is.
 */
export async function removeIfPresent<T>(options: RemoveOptions, remove: () => Promise<{ data?: unknown }>): Promise<RemoveResult<T>> {
  try {
    const { data } = await remove();
    return { removed: true, result: data as T | undefined };
  } catch (error) {
    if (options.ifPresent === true && isNotFoundError(error)) return { removed: false, result: undefined };
    throw error;
  }
}
