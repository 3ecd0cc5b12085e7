/**
 * Sending an attempt through the dispatcher that the platform's `fetch` itself would use, without the fetch layer
 * on top of it.
 *
 * On Node, `fetch` is undici's WHATWG layer over undici's dispatcher (the connection pool). The layer's work for one
 * small GET — webidl conversions, a Request, an AbortSignal followed through a WeakRef and a FinalizationRegistry,
 * a web ReadableStream for the body, a Response — costs more CPU than the loopback round trip it wraps: profiled
 * with `--cpu-prof`, a GET through `fetch` cost about 240 µs of CPU, the same GET dispatched about 100 µs. The
 * pipeline reads every body whole inside its attempt anyway (response-body.ts), so it needs none of that layer.
 *
 * The dispatcher is the one `fetch` would use (undici's global dispatcher, whatever the user installed there: a
 * proxy agent, a mock agent, custom TLS), so a request goes where `fetch` would send it. Whenever anything may have
 * replaced `fetch` — a `fetch` option, msw or a test stub on `globalThis.fetch`, a runtime other than Node — the
 * pipeline calls `fetch` as before; so does an undici major this code was not written against.
 *
 * What `fetch` does that the pipeline relies on is done here too: `Accept` and `Accept-Encoding` are sent as fetch
 * sends them and a gzip, deflate or brotli body is decoded (bounded by `maxResponseBytes` after decoding);
 * redirects are not followed here (the pipeline follows same-origin ones itself, as with `redirect: "manual"`).
 */
import { createRequire } from "node:module";
import type { AttemptDeadline } from "./deadline.js";
import { SentryResponseError } from "./errors.js";
import { type BodyContext, bodyFailure, finishBody } from "./response-body.js";

/** The part of undici's dispatch handler interface used here (the interface undici 6 defines, kept by undici 7). */
interface DispatchHandler {
  onConnect(abort: (reason?: unknown) => void): void;
  onHeaders(status: number, rawHeaders: (Buffer | string)[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: unknown): void;
  onError(error: unknown): void;
}

/** What is used of undici's Dispatcher. */
export interface PlatformDispatcher {
  dispatch(options: { origin: string; path: string; method: string; headers: string[]; body?: string | Uint8Array }, handler: DispatchHandler): boolean;
}

// Where undici (Node's copy and the npm package alike) keeps the dispatcher `fetch` sends through.
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");
// The dispatch handler interface above is undici 6's, which undici 7 still accepts; a later major is not assumed to.
const KNOWN_UNDICI = /^[67]\./;
// Node's own `fetch` is a small function that loads its bundled undici; any replacement reads differently.
const PLATFORM_FETCH = "require('internal/deps/undici/undici')";

let seenFetch: unknown;
let seenIsPlatform = false;

/**
 * The dispatcher the platform's `fetch` sends through, when `fetch` is the platform's own and may be bypassed;
 * `undefined` when requests must go through `fetch` (see the module comment).
 * @example const dispatcher = platformDispatcher(); if (dispatcher) await dispatchAttempt(dispatcher, url, init, deadline, ctx, () => undefined);
 */
export function platformDispatcher(): PlatformDispatcher | undefined {
  const current: unknown = globalThis.fetch;
  if (current !== seenFetch) {
    seenFetch = current;
    seenIsPlatform = typeof current === "function" && KNOWN_UNDICI.test(globalThis.process?.versions?.undici ?? "")
      && Function.prototype.toString.call(current).includes(PLATFORM_FETCH);
  }
  if (!seenIsPlatform) return undefined;
  const holder = globalThis as unknown as Record<symbol, unknown>;
  // Node sets the global dispatcher when it loads undici, which reading the Response global does.
  // eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator -- the read loads undici; void marks it as kept
  if (holder[GLOBAL_DISPATCHER] === undefined) void globalThis.Response;
  const dispatcher = holder[GLOBAL_DISPATCHER] as Partial<PlatformDispatcher> | undefined;
  return typeof dispatcher?.dispatch === "function" ? (dispatcher as PlatformDispatcher) : undefined;
}

/** One request as an attempt sends it. */
export interface DispatchInit {
  method: string;
  headers: Headers;
  body: string | ArrayBuffer | undefined;
}

type Zlib = typeof import("node:zlib");
let zlib: Zlib | undefined;
// Loaded on the first compressed answer, not at import.
const loadZlib = (): Zlib => (zlib ??= createRequire(import.meta.url)("node:zlib") as Zlib);

/** Statuses whose answers have no body (fetch's "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * Sends one request through `dispatcher` and reads its whole answer within `deadline`. Rejects, before the answer's
 * headers, with what undici reported (or the deadline's abort reason), which the pipeline names as a network error
 * or a timeout; after them, with a SentryResponseError (`truncated`, `stalled`, `too-large`, `malformed`).
 * @example const response = await dispatchAttempt(dispatcher, new URL(url), { method: "GET", headers, body: undefined }, deadline, ctx, () => undefined);
 * @throws {SentryResponseError} when the body cannot be read whole or parsed.
 */
export function dispatchAttempt(
  dispatcher: PlatformDispatcher,
  url: URL,
  init: DispatchInit,
  deadline: Pick<AttemptDeadline, "timedOut" | "cancelOnAbort">,
  ctx: BodyContext,
  onHeaders: (status: number, headers: Headers) => void,
): Promise<Response> {
  const flat: string[] = [];
  let accept = false;
  let acceptEncoding = false;
  for (const [name, value] of init.headers) {
    if (name === "accept") accept = true;
    else if (name === "accept-encoding") acceptEncoding = true;
    flat.push(name, value);
  }
  // What fetch adds when the caller did not say (undici's fetch: brotli only over https).
  if (!accept) flat.push("accept", "*/*");
  if (!acceptEncoding) flat.push("accept-encoding", url.protocol === "https:" ? "br, gzip, deflate" : "gzip, deflate");
  const body = init.body === undefined ? undefined : typeof init.body === "string" ? init.body : new Uint8Array(init.body);

  return new Promise<Response>((resolve, reject) => {
    let head: { status: number; statusText: string; headers: Headers } | undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = false;
    let abort: ((reason?: unknown) => void) | undefined;
    let cancelled: { reason: unknown } | undefined;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      if (!head || error instanceof SentryResponseError) reject(error);
      else if (tooLarge) reject(bodyFailure(head, ctx, "too-large"));
      else reject(bodyFailure(head, ctx, deadline.timedOut ? "stalled" : "truncated", error));
    };
    // A body past maxResponseBytes (declared or counted) ends the request; `fail` then names it `too-large`.
    const refuse = (): void => {
      tooLarge = true;
      abort?.(new RangeError("response body larger than maxResponseBytes"));
    };
    const handler: DispatchHandler = {
      onConnect(abortRequest) {
        abort = abortRequest;
        if (cancelled) abortRequest(cancelled.reason);
      },
      onHeaders(status, rawHeaders, _resume, statusText) {
        const headers = new Headers();
        for (let i = 0; i < rawHeaders.length; i += 2) {
          const name = rawHeaders[i]!;
          const value = rawHeaders[i + 1]!;
          headers.append(typeof name === "string" ? name : name.toString("latin1"), typeof value === "string" ? value : value.toString("latin1"));
        }
        head = { status, statusText: statusText ?? "", headers };
        onHeaders(status, headers);
        const declared = headers.get("content-length");
        if (declared !== null && Number(declared) > ctx.maxBytes) refuse();
        return true;
      },
      onData(chunk) {
        total += chunk.byteLength;
        if (total > ctx.maxBytes) {
          refuse();
          return false;
        }
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        if (settled) return;
        const response = head!;
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
        finish(bytes, response).then((value) => {
          settled = true;
          resolve(value);
        }, fail);
      },
      onError: fail,
    };
    const finish = async (bytes: Uint8Array, response: { status: number; statusText: string; headers: Headers }): Promise<Response> => {
      const empty = init.method === "HEAD" || NULL_BODY.has(response.status);
      if (empty) return new Response(null, response);
      const encoding = response.headers.get("content-encoding");
      const decoded = encoding ? await decode(bytes, encoding, ctx.maxBytes).catch((error: unknown) => {
        if (error instanceof RangeError) tooLarge = true;
        throw error;
      }) : bytes;
      return finishBody(decoded, response, ctx);
    };
    // The deadline (its timer, or the caller's signal) settles the attempt at once, even while the request still
    // waits for a connection (undici hands out the abort function only once one is assigned), and ends the request.
    deadline.cancelOnAbort({
      cancel: async (reason) => {
        cancelled = { reason };
        fail(reason);
        abort?.(reason);
      },
    });
    try {
      dispatcher.dispatch({ origin: url.origin, path: url.pathname + url.search, method: init.method, headers: flat, body }, handler);
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * Decodes a body by its Content-Encoding, last coding first, as fetch does: gzip (x-gzip), deflate (zlib-wrapped
 * or raw) and br; an unknown coding leaves the bytes as they came. Rejects with a RangeError past `maxBytes`.
 */
async function decode(bytes: Uint8Array, encoding: string, maxBytes: number): Promise<Uint8Array> {
  const codings = encoding.toLowerCase().split(",").map((coding) => coding.trim()).filter((coding) => coding !== "" && coding !== "identity");
  if (codings.length > 5) throw new TypeError(`too many content-encodings in response: ${codings.length}`);
  if (codings.some((coding) => !["gzip", "x-gzip", "deflate", "br"].includes(coding))) return bytes;
  const z = loadZlib();
  // Lenient like fetch (and curl): a body cut at a flush point still decodes what it holds.
  const options = { maxOutputLength: maxBytes, finishFlush: z.constants.Z_SYNC_FLUSH };
  const run = (fn: (buffer: Uint8Array, opts: object, cb: (error: Error | null, result: Buffer) => void) => void, input: Uint8Array, opts: object) =>
    new Promise<Uint8Array>((resolve, reject) => fn(input, opts, (error, result) => (error ? reject(error) : resolve(result))));
  let out = bytes;
  for (const coding of codings.reverse()) {
    if (coding === "br") out = await run(z.brotliDecompress, out, { maxOutputLength: maxBytes, finishFlush: z.constants.BROTLI_OPERATION_FLUSH });
    // A zlib header has 8 (deflate) in its low nibble; anything else is raw deflate.
    else if (coding === "deflate") out = await run((out[0]! & 15) === 8 ? z.inflate : z.inflateRaw, out, options);
    else out = await run(z.gunzip, out, options);
  }
  return out;
}
