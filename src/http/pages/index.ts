/**
 * Walking pages: the Paginator (paginate.ts) over Sentry's cursor Link headers (link-header.ts), with the walk's
 * stop rules and PaginationError (page-walk.ts).
 */
export * from "./paginate.js";
