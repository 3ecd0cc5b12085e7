/**
 * The client the resources call (`transport.api`): openapi-fetch's typed `GET`/`POST`/`PUT`/`PATCH`/`DELETE`
 * signatures over a lean runtime that hands the pipeline its request directly, without openapi-fetch's per-call
 * work (option merging, header merges, a Request object, middleware bookkeeping) that resources never use; the URL
 * is still built by openapi-fetch's own path and query serializers, so it is the same URL.
 * `raw` stays a full openapi-fetch client (middleware, `parseAs`, custom serializers) over the same pipeline.
 */
import { type Client, createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
import type { paths } from "../../generated/openapi.js";
import type { PipelineInput } from "./pipeline.js";

/** The methods of openapi-fetch's client the resources use; each throws SentryApiError subclasses on non-2xx. */
export type ApiClient = Pick<Client<paths>, "GET" | "POST" | "PUT" | "PATCH" | "DELETE">;

/** What the lean client needs from its transport. */
export interface ApiClientDeps {
  baseUrl: string;
  send(input: PipelineInput): Promise<Response>;
  /** The error for a non-2xx response to `method` on `schemaPath` (reads the body). */
  failed(response: Response, method: string, url: string, schemaPath: string): Promise<Error>;
}

/** The options the resources pass; anything else openapi-fetch accepts belongs to `raw`. */
interface CallOptions {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Builds the lean `api` client.
 * @example const api = createApiClient({ baseUrl, send: pipeline.send, failed }); await api.GET("/api/0/", {});
 */
export function createApiClient(deps: ApiClientDeps): ApiClient {
  const baseUrl = deps.baseUrl.replace(/\/+$/, "");
  const querySerializer = createQuerySerializer();
  const templates = new Map<string, readonly string[] | null>();
  // openapi-fetch's path serializer for the plain `{name}` parameters Sentry's paths have, from the template split
  // once; any other value or parameter style goes to openapi-fetch's own serializer.
  const pathSerializer = (url: string, values: Record<string, unknown>): string => {
    let parts = templates.get(url);
    if (parts === undefined) {
      const split = url.split(/(\{[^{}]+\})/);
      // Label, matrix and exploded parameters (`{.x}`, `{;x}`, `{x*}`) are openapi-fetch's to serialize.
      parts = split.some((part, i) => i % 2 === 1 && /^\{[.;]|\*\}$/.test(part)) ? null : split;
      templates.set(url, parts);
    }
    if (parts === null) return defaultPathSerializer(url, values);
    let out = "";
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i % 2 === 0) {
        out += part;
        continue;
      }
      const value = values[part.slice(1, -1)];
      if (value === undefined || value === null) out += part;
      else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out += encodeURIComponent(value);
      else return defaultPathSerializer(url, values);
    }
    return out;
  };

  async function call(method: string, schemaPath: string, options: CallOptions | undefined): Promise<{ data: unknown; response: Response }> {
    const params = options?.params ?? {};
    const url = createFinalURL(schemaPath, { baseUrl, params, querySerializer, pathSerializer });
    const headers = new Headers();
    let body: string | undefined;
    // As openapi-fetch's default body serializer: JSON, with its content type, only when there is a body.
    if (options?.body !== undefined) {
      body = JSON.stringify(options.body);
      headers.set("content-type", "application/json");
    }
    const response = await deps.send({ url, method, headers, body, signal: options?.signal });
    if (!response.ok) throw await deps.failed(response, method, url, schemaPath);
    // As openapi-fetch: no content means no data; the pipeline has already parsed (and kept) a JSON body.
    const length = response.headers.get("content-length");
    if (response.status === 204 || method === "HEAD" || length === "0") return { data: undefined, response };
    if (length === null) {
      const text = await response.text();
      return { data: text ? JSON.parse(text) : undefined, response };
    }
    return { data: await response.json(), response };
  }

  const api = {
    GET: (path: string, options?: CallOptions) => call("GET", path, options),
    POST: (path: string, options?: CallOptions) => call("POST", path, options),
    PUT: (path: string, options?: CallOptions) => call("PUT", path, options),
    PATCH: (path: string, options?: CallOptions) => call("PATCH", path, options),
    DELETE: (path: string, options?: CallOptions) => call("DELETE", path, options),
  };
  return api as unknown as ApiClient;
}
