/**
 * `sentry-rbac/raw`: types `sentry.raw` over every path of Sentry's API (openapi-fetch's `Client<paths>`: path
 * parameters, query, bodies and responses per operation). The core package leaves these declarations out, so a
 * project that never calls `raw` does not make its `tsc` parse them; one type-only import anywhere in the project
 * turns the typing on:
 *
 * ```ts
 * import type {} from "sentry-rbac/raw";
 * const { data } = await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
 *   params: { path: { organization_id_or_slug: "acme" } },
 * });
 * ```
 *
 * It also exports the generated `paths`, `components` and `operations` types, for helpers of your own.
 *
 * @module sentry-rbac/raw
 */
import type { Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";

export type { components, operations, paths } from "./generated/openapi.js";
export type { RawClient, RawClientTypes } from "./http/send/index.js";

/** `sentry.raw` with this entry loaded: openapi-fetch's client over every path of the API. */
export type TypedRawClient = Client<paths>;

declare module "./http/send/raw-client.js" {
  interface RawClientTypes {
    client: Client<paths>;
  }
}
