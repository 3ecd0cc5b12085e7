/**
 * The transport: one pipeline (retry, limiter, auth, timeout, hooks) under two typed clients — `api`, which throws
 * SentryApiError subclasses on non-2xx (what resources use; api-client.ts), and `raw`, the conventional openapi-fetch
 * `{ data, error, response }` client handed to users.
 */
import createClient, { createQuerySerializer } from "openapi-fetch";
import type { ResolvedConfig } from "../../config.js";
import type { paths } from "../../generated/openapi.js";
import { createApiClient } from "./api-client.js";
import { createApiError } from "../errors/api-error.js";
import type { SentryApiError } from "../errors/errors.js";
import { Observer } from "./hooks.js";
import { nodeCrypto } from "./node-crypto.js";
import { createRateLimiter } from "../limits/create-limiter.js";
import type { RateLimiter } from "../limits/limiter.js";
import { isScimPath } from "./operations.js";
import { createPipeline, responseOrigin } from "./pipeline.js";
import { PipelineRequest } from "./pipeline-request.js";
import type { RawApiClient, RawClient } from "./raw-client.js";
import { fetchSender } from "./sender.js";
import { undiciSender } from "./undici-sender.js";

/** Shared HTTP machinery of a client and of every `withOrg` child. */
export interface Transport {
  readonly config: ResolvedConfig;
  /** The pipeline: a fetch that limits, retries, authenticates and times out. */
  readonly fetch: typeof globalThis.fetch;
  /** The client resources call: `raw`'s GET/POST/PUT/PATCH/DELETE, throwing SentryApiError subclasses on non-2xx. */
  readonly api: RawApiClient;
  /** The openapi-fetch client returning `{ data, error, response }`, through the same pipeline (`sentry.raw`). */
  readonly raw: RawClient;
  /** Builds the error for a failed response (used by `call` and by resources that read `raw` results). */
  errorFor(response: Response, body: unknown): SentryApiError;
  /**
   * Calls `watcher` with the status and headers of each attempt of the requests sent with `signal`, before their
   * bodies are read; returns the function that stops it (the paginator's early look at the Link header).
   */
  watchHeaders(signal: AbortSignal, watcher: (status: number, headers: Headers) => void): () => void;
  /** Scopes of the configured token as Sentry reports them at the API root (cached per token value). */
  tokenScopes(): Promise<readonly string[] | undefined>;
  /** Stops the limiter's timers and connections, and closes the sender's connection pool. */
  close(): Promise<void>;
}

/**
 * Creates the transport for a resolved config. The limiter is created on the first request, per transport.
 * @example const transport = createTransport(resolveConfig({ org: "acme" }));
 * const { data } = await call(typedApi(transport).GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: { organization_id_or_slug: "acme" } } }));
 */
export function createTransport(config: ResolvedConfig): Transport {
  const secrets = new Set<string>();
  const observer = new Observer(config.hooks, config.logger, () => secrets);
  let limiter: RateLimiter | undefined;
  const getLimiter = (): RateLimiter | undefined => {
    if (config.rateLimit === false) return undefined;
    limiter ??= createRateLimiter(config.rateLimit, {
      clock: config.clock,
      maxPauseMs: config.maxPauseMs,
      onRateLimit: (event) => void observer.emit("onRateLimit", event),
      log: (level, message) => observer.log(level, message),
    });
    return limiter;
  };
  const sender = config.sender === "undici" ? undiciSender(config.origin) : fetchSender(() => config.fetch ?? globalThis.fetch);
  const pipeline = createPipeline({ config, observer, secrets, limiter: getLimiter, sender });
  const basePath = new URL(config.baseUrl).pathname.replace(/\/$/, "");

  const errorFor = (response: Response, body: unknown): SentryApiError => {
    const origin = responseOrigin(response);
    const url = origin?.url ?? response.url;
    let pathname = "";
    try {
      pathname = new URL(url).pathname;
    } catch {
      // No URL known (a hand-built Response): the error simply carries no path.
    }
    return createApiError({
      status: response.status,
      method: origin?.method ?? "",
      url,
      body,
      headers: response.headers,
      usedScimToken: origin?.usedScimToken ?? (isScimPath(pathname) && config.hasScimToken),
      now: config.clock.now(),
      secrets,
    });
  };

  // Scopes of the calling token by sha256 of its value (a rotated token gets its own entry), read from the API
  // root on the first 403 so the error can name what the token lacks. Sentry's 403 body never does.
  const scopeLookups = new Map<string, Promise<readonly string[] | undefined>>();
  const tokenScopes = async (): Promise<readonly string[] | undefined> => {
    const key = nodeCrypto()
      .createHash("sha256")
      .update(await config.readToken("api"))
      .digest("hex");
    let lookup = scopeLookups.get(key);
    if (!lookup) {
      if (scopeLookups.size >= 8) scopeLookups.clear();
      lookup = raw.GET("/api/0/").then(
        ({ data }) => data?.auth?.scopes,
        // The lookup only enriches an error already being thrown; failing it must not replace that error.
        () => undefined,
      );
      scopeLookups.set(key, lookup);
    }
    return lookup;
  };

  // The SentryApiError for a non-2xx answer to the `api` client (schemaPath is the operation's path template).
  const failed = async (response: Response, method: string, url: string, schemaPath: string): Promise<SentryApiError> => {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Non-JSON error bodies (proxies, HTML) are kept as text.
    }
    const apiPath = basePath && schemaPath.startsWith(basePath) ? schemaPath.slice(basePath.length) : schemaPath;
    const usedScimToken = isScimPath(apiPath) && config.hasScimToken;
    return createApiError({
      status: response.status,
      method,
      url,
      path: apiPath,
      body,
      headers: response.headers,
      usedScimToken,
      // The API root reports the main token's scopes; a request sent with the SCIM token is not described by it.
      tokenScopes: response.status === 403 && !usedScimToken ? await tokenScopes() : undefined,
      now: config.clock.now(),
      secrets,
    });
  };

  const api = createApiClient({ baseUrl: config.baseUrl, send: pipeline.send, failed });
  // PipelineRequest: openapi-fetch builds one per call; a platform Request there costs as much as the round trip.
  // The default query serializer built once (openapi-fetch builds it on every call unless given a function).
  const raw = createClient<paths>({
    baseUrl: config.baseUrl,
    querySerializer: createQuerySerializer(),
    fetch: pipeline.fetch,
    Request: PipelineRequest as unknown as typeof Request,
  });

  return Object.freeze({
    config,
    fetch: pipeline.fetch,
    // Typed over `paths` here (ApiClient, Client<paths>); declared through RawClientTypes, which `sentry-rbac/raw`
    // fills with the same types, so the core declarations never name `paths` (raw-client.ts). The casts look
    // unnecessary to a program that includes `sentry-rbac/raw` (as this repo's does), but not to the declaration
    // build, which compiles without the augmentation.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed by the declaration build (above)
    api: api as unknown as RawApiClient,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed by the declaration build (above)
    raw: raw as unknown as RawClient,
    errorFor,
    watchHeaders: pipeline.watchHeaders,
    tokenScopes,
    close: async () => {
      await Promise.all([limiter?.close(), sender.close()]);
    },
  });
}

/**
 * Unwraps an openapi-fetch result: returns `data` and the response, or throws the SentryApiError for it.
 * @example const { data: teams } = await call(typedApi(transport).GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params }));
 * @throws {SentryApiError} (a subclass per status) when the response is not 2xx.
 */
export async function call<R extends { data?: unknown; error?: unknown; response: Response }>(
  p: Promise<R>,
): Promise<{ data: Exclude<R["data"], undefined>; response: Response }> {
  const result = await p;
  if (!result.response.ok || result.error !== undefined) {
    const origin = responseOrigin(result.response);
    throw createApiError({
      status: result.response.status,
      method: origin?.method ?? "",
      url: origin?.url ?? result.response.url,
      body: result.error,
      headers: result.response.headers,
      usedScimToken: origin?.usedScimToken ?? false,
    });
  }
  return { data: result.data as Exclude<R["data"], undefined>, response: result.response };
}
