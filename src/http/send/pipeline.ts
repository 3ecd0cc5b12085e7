/**
 * The `fetch` handed to openapi-fetch: retry → limiter → attempt. Retries wrap the limiter (each attempt takes
 * its own slot and budget token, and a request sleeping before a retry holds no concurrency slot). An attempt
 * adds auth and User-Agent, applies the per-attempt timeout with the caller's signal, reads the whole body within
 * that deadline (response-body.ts). Every attempt goes out through the transport's one Sender (sender.ts): the
 * platform `fetch` by default, looked up at call time so an msw server started after the client still sees
 * requests, or undici's `Pool.dispatch` when the client was made with `sender: "undici"` (undici-sender.ts). Both only
 * move bytes; everything typed about a failure is decided here, the same way for both.
 */
import type { ResolvedConfig } from "../../config.js";
import { DeadlinePool } from "./deadline.js";
import { isSentryError, RateLimitError, SentryNetworkError, SentryTimeoutError } from "../errors/errors.js";
import type { Observer, RetryEvent } from "./hooks.js";
import { EndpointPausedError, limiterKey, type RateLimiter } from "../limits/limiter.js";
import { isPipelineRequest } from "./pipeline-request.js";
import { isScimPath, matchOperation } from "./operations.js";
import { redactUrl, redactValue } from "../errors/redact.js";
import { type BodyContext, bufferResponse } from "./response-body.js";
import type { SendInit, Sender, SentHead } from "./sender.js";
import { retryPolicy, withRetry } from "../limits/retry.js";

/** What the pipeline remembers about each response it returned, for errors built later from `raw` results. */
export interface ResponseOrigin {
  method: string;
  url: string;
  usedScimToken: boolean;
}

const origins = new WeakMap<Response, ResponseOrigin>();

/** The request behind a response returned by a pipeline, if it came from one. */
export function responseOrigin(response: Response): ResponseOrigin | undefined {
  return origins.get(response);
}

// Connection failures where nothing reached the server, so even a POST may be retried.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
const MAX_REDIRECTS = 5;

/**
 * The SentryNetworkError for a `fetch` that rejected before an answer: its code (ECONNREFUSED…) read from the
 * cause chain, and whether the request may have reached the server.
 * @example throw networkFailure("POST", url, error);
 */
export function networkFailure(method: string, url: string, error: unknown): SentryNetworkError {
  const code = errorCode(error);
  return new SentryNetworkError({
    method,
    url,
    code,
    requestSent: !(code && NOT_SENT_CODES.has(code)),
    cause: error,
    detail: code ? undefined : innermostMessage(error),
  });
}

/** The message of the deepest cause (fetch's own TypeError only says "fetch failed"). */
function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) message = e.message;
  return message;
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/**
 * One signal aborted by any of `signals`. Hand-rolled rather than AbortSignal.any, whose Node 20 version is slow
 * and keeps references from long-lived signals (the client's) to every per-request signal.
 */
const noRelease = (): void => undefined;

function combineSignals(signals: (AbortSignal | undefined)[]): { signal: AbortSignal | undefined; release(): void } {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return { signal: present[0], release: noRelease };
  const already = present.find((s) => s.aborted);
  if (already) return { signal: AbortSignal.abort(already.reason), release: noRelease };
  const controller = new AbortController();
  const listeners = present.map((source) => {
    const listener = () => controller.abort(source.reason);
    source.addEventListener("abort", listener, { once: true });
    return [source, listener] as const;
  });
  return {
    signal: controller.signal,
    release: () => {
      for (const [source, listener] of listeners) source.removeEventListener("abort", listener);
    },
  };
}

/** Everything a pipeline shares across requests of one transport. */
export interface PipelineContext {
  config: ResolvedConfig;
  observer: Observer;
  secrets: Set<string>;
  limiter(): RateLimiter | undefined;
  /** How attempts go out. */
  sender: Sender;
}

/** A request as the pipeline sends it: the resources' lean client builds these directly, without a Request. */
export interface PipelineInput {
  /** Absolute URL; requests to another origin than the configured one are passed to fetch untouched. */
  url: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Owned by the pipeline from here on (it sets User-Agent and Authorization on it). */
  headers: Headers;
  /** A string or bytes: sent again as is by every attempt. */
  body: string | ArrayBuffer | undefined;
  signal: AbortSignal | undefined;
}

/** Told an answer's status and headers as soon as they arrive, before its body is read. */
export type HeadersWatcher = (status: number, headers: Headers) => void;

/** The two doors into a transport's pipeline, and a window on answers as they arrive. */
export interface Pipeline {
  /** A `fetch` (what openapi-fetch's `raw` client is given): takes any Request or URL + init. */
  fetch: typeof globalThis.fetch;
  /** Sends a request already in the pipeline's shape (no Request, no copies). */
  send(this: void, input: PipelineInput): Promise<Response>;
  /**
   * Calls `watcher` with the status and headers of every attempt of the requests sent with `signal` (the caller's
   * signal, one per request), before the body is read; returns the function that stops it. A paginator uses this to
   * ask for the next page while the current body is still arriving.
   */
  watchHeaders(this: void, signal: AbortSignal, watcher: HeadersWatcher): () => void;
}

/**
 * Builds the pipeline for a transport.
 * @example const { fetch } = createPipeline({ config, observer, secrets: new Set(), limiter: () => undefined });
 */
export function createPipeline(ctx: PipelineContext): Pipeline {
  const { config, observer } = ctx;
  const policy = config.retry ? retryPolicy(config.retry, config.maxPauseMs) : false;
  const basePath = new URL(config.baseUrl).pathname.replace(/\/$/, "");
  const watched = observer.active;
  const deadlines = new DeadlinePool();
  const realFetch = () => config.fetch ?? globalThis.fetch;
  const onRetry = (event: RetryEvent) => observer.emit("onRetry", event);
  const watchers = new WeakMap<AbortSignal, HeadersWatcher>();
  const watchHeaders = (signal: AbortSignal, watcher: HeadersWatcher): (() => void) => {
    watchers.set(signal, watcher);
    return () => {
      if (watchers.get(signal) === watcher) watchers.delete(signal);
    };
  };

  async function fetchThroughPipeline(input: Request | string | URL, init?: RequestInit): Promise<Response> {
    // openapi-fetch's requests (PipelineRequest) are read field by field; anything else becomes a platform Request.
    const light = isPipelineRequest(input) && init === undefined ? input : undefined;
    const request = light ? undefined : input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = light ? light.url : request!.url;
    // Never send credentials to an origin other than the configured one (e.g. a URL taken from a header).
    if (!sameOrigin(url, config.origin)) return realFetch()(light ? light.toRequest() : request!);
    // Kept so every attempt sends the same body ("body already used" otherwise): a string as is, anything else
    // (a stream, FormData with its multipart boundary) buffered once through a platform Request.
    const lightBody = light?.bodyInit;
    const buffered = light && (lightBody === undefined || lightBody === null || typeof lightBody === "string") ? undefined : (light?.toRequest() ?? request!);
    const body = buffered ? (buffered.body === null ? undefined : await buffered.arrayBuffer()) : ((lightBody as string | null | undefined) ?? undefined);
    return send({
      url,
      method: light ? light.method : request!.method.toUpperCase(),
      // One copy per request, never the caller's object (it would show the token to middleware).
      headers: new Headers(buffered ? buffered.headers : light!.headers),
      body,
      signal: light ? light.callerSignal : request!.signal,
    });
  }

  async function send(input: PipelineInput): Promise<Response> {
    const { method, headers, body } = input;
    if (!sameOrigin(input.url, config.origin)) return realFetch()(input.url, { method, headers, body, signal: input.signal });
    const url = new URL(input.url);
    const apiPath = basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const operation = matchOperation(method, apiPath);
    const key = limiterKey(method, apiPath, operation);
    const operationId = operation?.operationId;
    const scim = isScimPath(apiPath);
    const usedScimToken = scim && config.hasScimToken;
    const combined = config.signal ? combineSignals([input.signal, config.signal]) : { signal: input.signal, release: noRelease };
    // Listeners on the client-wide signal are removed when the request settles (else they pile up per request).
    const signal = combined.signal;
    // Attempts only change the authorization header, and fetch copies the headers when it is called.
    headers.set("user-agent", config.userAgent);
    // Only hooks and the logger ever see this URL; without them it is not worth redacting per request.
    const shownUrl = watched ? redactUrl(input.url) : "";
    const bodyContext: BodyContext = { method, url, path: apiPath, operationId, maxBytes: config.maxResponseBytes, timeoutMs: config.timeoutMs };
    const observeHeaders = (status: number, responseHeaders: Headers): void => ctx.limiter()?.observe(key, { status, headers: responseHeaders });

    const attempt = async (n: number): Promise<Response> => {
      const token = await config.readToken(scim ? "scim" : "api");
      ctx.secrets.add(token);
      headers.set("authorization", `Bearer ${token}`);
      const timeout = deadlines.start(config.timeoutMs, signal);
      if (watched) await observer.emit("onRequest", { method, url: shownUrl, attempt: n, operationId });
      const started = config.clock.now();
      let head: SentHead;
      try {
        head = await sendFollowingRedirects(ctx.sender, url, { method, headers, body, signal: timeout.signal }, config.origin);
      } catch (error) {
        timeout.clear();
        if (signal?.aborted) throw signal.reason;
        if (timeout.timedOut) throw new SentryTimeoutError({ method, url: input.url, timeoutMs: config.timeoutMs });
        // Already typed (the undici sender's missing package is a SentryConfigError): not a network failure.
        if (isSentryError(error)) throw error;
        const failure = networkFailure(method, input.url, error);
        observer.log("debug", `${method} ${shownUrl} failed: ${failure.code ?? String(error)}`);
        throw failure;
      }
      observeHeaders(head.status, head.headers);
      const watcher = input.signal && watchers.get(input.signal);
      if (watcher) {
        try {
          watcher(head.status, head.headers);
        } catch (error) {
          // A watcher only gets a head start on later work; its failure must not fail this request.
          observer.log("debug", `headers watcher failed: ${String(error)}`);
        }
      }
      let response: Response;
      try {
        response = await bufferResponse(head, bodyContext, timeout);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw error;
      } finally {
        timeout.clear();
      }
      const durationMs = config.clock.now() - started;
      if (watched) observer.log("debug", `${method} ${shownUrl} -> ${response.status} in ${durationMs} ms (attempt ${n})`);
      if (observer.wantsResponses) {
        const copy = response.clone();
        await observer.emit("onResponse", {
          method,
          url: shownUrl,
          status: response.status,
          durationMs,
          attempt: n,
          operationId,
          body: () => readBody(copy, ctx.secrets),
        });
      }
      return response;
    };

    let response: Response;
    try {
      response = await withRetry(
        (n, budgetLeftMs) => {
          const limiter = ctx.limiter();
          if (!limiter) return attempt(n);
          // A call waits for an endpoint's pause no longer than its retry budget allows (timeoutMs without retries).
          return limiter.schedule(key, () => attempt(n), signal, budgetLeftMs ?? config.timeoutMs);
        },
        { method, url: shownUrl, policy, clock: config.clock, signal, onRetry },
      );
    } catch (error) {
      // Not retried (nothing was sent): the pause outlasts the budget.
      if (error instanceof EndpointPausedError) throw pausedError(error, method, input.url, operation?.path ?? apiPath, operationId, config.clock.now());
      throw error;
    } finally {
      combined.release();
    }
    origins.set(response, { method, url: input.url, usedScimToken });
    return response;
  }
  return { fetch: fetchThroughPipeline, send, watchHeaders };
}

/**
 * The RateLimitError for a call refused before sending: its endpoint is paused (by an earlier 429 or Remaining 0)
 * until later than the call may wait. Nothing was sent; `resumesAt` says when the endpoint takes requests again.
 */
function pausedError(paused: EndpointPausedError, method: string, url: string, path: string, operationId: string | undefined, now: number): RateLimitError {
  const resumesAt = new Date(paused.resumesAt);
  const retryAfterMs = Math.max(0, paused.resumesAt - now);
  return new RateLimitError({
    status: 429,
    method,
    url,
    path,
    operationId,
    body: undefined,
    requestSent: false,
    detail: `rate-limited: this endpoint is paused until ${resumesAt.toISOString()}, longer than this call may wait (${paused.maxWaitMs} ms)`,
    hint: "Sentry asked this client to stop calling the endpoint for a while; wait until resumesAt, or give the call a larger retry.budgetMs.",
    retryAfterMs,
    resumesAt,
  });
}

/** Whether absolute `url` is on `origin` (scheme://host[:port], as URL.origin spells it). */
function sameOrigin(url: string, origin: string): boolean {
  // A prefix test is enough when the next character ends the authority; anything else is parsed properly.
  if (url.startsWith(origin)) {
    const next = url.charCodeAt(origin.length);
    if (next === 47 /* / */ || next === 63 /* ? */ || next === 35 /* # */ || Number.isNaN(next)) return true;
  }
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Sends through `sender`, following up to MAX_REDIRECTS redirects that stay on `origin`. */
async function sendFollowingRedirects(sender: Sender, url: URL, init: SendInit, origin: string): Promise<SentHead> {
  let current = url;
  for (let hop = 0; ; hop += 1) {
    const head = await sender.send(current, init);
    const location = head.headers.get("location");
    if (head.status < 300 || head.status >= 400 || !location || hop >= MAX_REDIRECTS) return head;
    const next = new URL(location, current);
    // A redirect off our origin is returned as is: following it would hand the token to someone else.
    if (next.origin !== origin) return head;
    await head.body?.cancel().catch(() => undefined);
    current = next;
    if (head.status === 303) init = { ...init, method: "GET", body: undefined };
  }
}

async function readBody(response: Response, secrets: Iterable<string>): Promise<unknown> {
  const text = await response.text();
  let value: unknown = text;
  try {
    value = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, say): the hook gets the redacted text.
  }
  return redactValue(value, secrets);
}
