/**
 * The type of `sentry.raw`, kept out of the core declarations. The openapi-fetch client's full typing needs the
 * generated `paths` of the whole API (three quarters of a megabyte of declarations); every consumer's `tsc` would
 * parse it on each run. So the core types `raw` through the `RawClientTypes` registry: empty here, filled by
 * `sentry-rbac/raw` (`import type {} from "sentry-rbac/raw"` once in a project), the way TanStack Router's
 * `Register` interface works. Without that import `raw` still works, with any path and `unknown` bodies.
 */
/**
 * Filled by `sentry-rbac/raw` with `{ client: Client<paths> }` (module augmentation); empty otherwise.
 * @example
 * import type {} from "sentry-rbac/raw"; // once per project: sentry.raw is now typed over every path
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface RawClientTypes {}

/** Request options of the untyped `raw` client (openapi-fetch's, without the per-path typing). */
export interface UntypedRawInit {
  params?: {
    path?: Record<string, string | number>;
    query?: Record<string, unknown>;
    header?: Record<string, string>;
  };
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  parseAs?: "json" | "text" | "blob" | "arrayBuffer" | "stream";
}

/** What an untyped `raw` call resolves to: `data` on 2xx, `error` otherwise, and the response. */
export interface UntypedRawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** `sentry.raw` before `sentry-rbac/raw` types it: openapi-fetch's request methods over any path. */
export interface UntypedRawClient {
  GET(path: string, init?: UntypedRawInit): Promise<UntypedRawResult>;
  PUT(path: string, init?: UntypedRawInit): Promise<UntypedRawResult>;
  POST(path: string, init?: UntypedRawInit): Promise<UntypedRawResult>;
  DELETE(path: string, init?: UntypedRawInit): Promise<UntypedRawResult>;
  PATCH(path: string, init?: UntypedRawInit): Promise<UntypedRawResult>;
  HEAD(path: string, init?: UntypedRawInit): Promise<UntypedRawResult>;
  OPTIONS(path: string, init?: UntypedRawInit): Promise<UntypedRawResult>;
}

/** `sentry.raw`'s type: openapi-fetch's `Client<paths>` once `sentry-rbac/raw` is imported, else UntypedRawClient. */
export type RawClient = RawClientTypes extends { client: infer C } ? C : UntypedRawClient;

/** `sentry.transport.api`'s type: the request methods of RawClient that the resources use (they throw on non-2xx). */
export type RawApiClient = Pick<RawClient, "GET" | "POST" | "PUT" | "PATCH" | "DELETE">;
