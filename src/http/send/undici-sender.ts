/**
 * The sender over undici's public `Dispatcher.dispatch` API (the undici 7 handler interface: onResponseStart,
 * onResponseData, ...), from the `undici` package, an optional peer dependency, on a connection pool of its own to
 * the configured origin (`Pool`). The body's chunks go straight from the handler into the reader the pipeline reads:
 * no WHATWG Request or web stream (as `fetch` makes), no Node stream (as undici's `request` makes), so it costs less
 * CPU per request (`npm run bench`). It answers like the `fetch` sender: the same request headers by default (Accept,
 * Accept-Encoding), bodies decoded as `fetch` decodes them, the same system codes in a rejection, so the pipeline's
 * typed errors read the same. Unlike `fetch`, it is not seen by fetch interceptors (msw), which is why it is chosen,
 * never the default.
 */
import type { Readable, Transform } from "node:stream";
import { SentryConfigError } from "../errors/errors.js";
import type { BodyReader, Sender, SentHead } from "./sender.js";

/** The part of undici the sender uses. */
interface Undici {
  Pool: new (origin: string) => Pool;
}

/** undici's connection pool to one origin: its public `Dispatcher.dispatch` (the handler API of undici 7) and `close`. */
interface Pool {
  dispatch(options: { path: string; method: string; headers: string[]; body: string | Uint8Array | undefined }, handler: Handler): boolean;
  close(): Promise<void>;
}

/** What undici hands a handler to steer its request. */
interface DispatchController {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

/** The part of undici 7's DispatchHandler the sender implements. */
interface Handler {
  onRequestStart(controller: DispatchController, context: unknown): void;
  onResponseStart(controller: DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void;
  onResponseData(controller: DispatchController, chunk: Buffer): void;
  onResponseEnd(controller: DispatchController, trailers: unknown): void;
  onResponseError(controller: DispatchController, error: Error): void;
}

async function loadUndici(): Promise<Undici> {
  try {
    return await import("undici");
  } catch {
    throw new SentryConfigError("sender", 'sender "undici" needs the optional peer dependency `undici` (npm i undici@7)');
  }
}

type Zlib = typeof import("node:zlib");
type Streams = typeof import("node:stream");

/** Node's stream and zlib modules, loaded with the first encoded body (most answers are not). */
async function decoders(): Promise<{ zlib: Zlib; stream: Streams }> {
  const [zlib, stream] = await Promise.all([import("node:zlib"), import("node:stream")]);
  return { zlib, stream: stream.default };
}

/**
 * The transforms that undo a Content-Encoding, last coding first, as `fetch` does: gzip, x-gzip, deflate (zlib or
 * raw, told apart by the first byte) and br; an unknown coding leaves the body as it came. Decoding flushes what it
 * has, so a body cut short yields what arrived and then fails as cut.
 */
async function decodingChain(contentEncoding: string): Promise<{ chain: [Transform, ...Transform[]]; stream: Streams } | undefined> {
  const codings = contentEncoding
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity")
    .reverse();
  if (codings.length === 0) return undefined;
  const { zlib, stream } = await decoders();
  const zlibFlush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const chain: Transform[] = [];
  for (const coding of codings) {
    if (coding === "gzip" || coding === "x-gzip") chain.push(zlib.createGunzip(zlibFlush));
    else if (coding === "br") {
      chain.push(zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }));
    } else if (coding === "deflate") {
      // zlib-wrapped deflate (what the standard means) starts with a CM nibble of 8; raw deflate (what some servers send) does not.
      let inner: Transform | undefined;
      const auto: Transform = new stream.Transform({
        transform(chunk: Buffer, _encoding, done) {
          if (!inner) {
            if (chunk.byteLength === 0) return done();
            inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate(zlibFlush) : zlib.createInflateRaw(zlibFlush);
            inner.on("data", (data: Buffer) => auto.push(data));
            inner.on("error", (error: Error) => auto.destroy(error));
          }
          inner.write(chunk, () => done());
        },
        flush(done) {
          if (!inner) return done();
          inner.once("end", () => done());
          inner.end();
        },
      });
      chain.push(auto);
    } else return undefined;
  }
  // Not empty: there was at least one coding, and each added a transform or returned above.
  return { chain: chain as [Transform, ...Transform[]], stream };
}

/**
 * A body as its chunks arrive from undici, read as a BodyReader. At most a few chunks wait in memory: the response
 * is paused while they do.
 */
class ChunkQueue implements BodyReader {
  readonly #chunks: Uint8Array[] = [];
  #ended = false;
  #failure: { error: unknown } | undefined;
  #waiting: { resolve(result: { done: true } | { done: false; value: Uint8Array }): void; reject(error: unknown): void } | undefined;
  #paused = false;

  constructor(
    private readonly controller: DispatchController,
    private readonly onCancel: () => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    if (this.#chunks.length >= 8 && !this.#paused) {
      this.#paused = true;
      this.controller.pause();
    }
    this.#settle();
  }

  end(): void {
    this.#ended = true;
    this.#settle();
  }

  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#settle();
  }

  #settle(): void {
    const waiter = this.#waiting;
    if (!waiter) return;
    const chunk = this.#chunks.shift();
    if (chunk) waiter.resolve({ done: false, value: chunk });
    else if (this.#failure) waiter.reject(this.#failure.error);
    else if (this.#ended) waiter.resolve({ done: true });
    else return;
    this.#waiting = undefined;
  }

  read(): Promise<{ done: true } | { done: false; value: Uint8Array }> {
    const chunk = this.#chunks.shift();
    if (chunk) {
      if (this.#paused && this.#chunks.length < 2) {
        this.#paused = false;
        this.controller.resume();
      }
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve({ done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  async cancel(reason?: unknown): Promise<void> {
    if (this.#ended || this.#failure) return;
    const error = reason instanceof Error ? reason : new DOMException("The body was cancelled.", "AbortError");
    // Nothing more is read once cancelled, not even what had already arrived.
    this.#chunks.length = 0;
    this.fail(error);
    this.onCancel();
    this.controller.abort(error);
  }
}

/** A decoding chain fed from a ChunkQueue's chunks, read as a BodyReader over its last transform. */
function decodedReader(source: ChunkQueue, chain: [Transform, ...Transform[]], streams: Streams): BodyReader {
  const last = chain[chain.length - 1]!;
  const first = chain[0];
  // An error anywhere in a chain of several (a bad gzip inside br) ends its last transform too.
  if (chain.length > 1) streams.pipeline(chain, () => undefined);
  void (async () => {
    try {
      for (let r = await source.read(); !r.done; r = await source.read()) {
        // Waits for the decoder to take more, or for the chain to end (a cancel, bad data): never for nothing.
        if (!first.write(r.value)) await new Promise((resolve) => first.once("drain", resolve).once("close", resolve));
        if (first.destroyed) {
          await source.cancel();
          return;
        }
      }
      first.end();
    } catch (error) {
      first.destroy(error instanceof Error ? error : new TypeError("terminated"));
    }
  })();
  const reader = readerOf(last);
  return {
    read: () => reader.read(),
    cancel: async (reason) => {
      await source.cancel(reason);
      await reader.cancel(reason);
    },
  };
}

/** A decoded body (a Node stream: the last transform of its chain) read as a BodyReader. */
function readerOf(body: Readable): BodyReader {
  // A failure reaches the reader through read(); this listener keeps a cancel before the first read from being an
  // unhandled 'error' event.
  body.on("error", () => undefined);
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return {
    read: async () => {
      const next = await chunks.next();
      return next.done ? { done: true } : { done: false, value: next.value };
    },
    cancel: async (reason) => {
      body.destroy(reason instanceof Error ? reason : undefined);
    },
  };
}

/** Response headers as undici gives them (repeated ones as arrays) into a Headers, order kept. */
function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (typeof value === "string") headers.append(name, value);
    else if (value) for (const one of value) headers.append(name, one);
  }
  return headers;
}

/** What `fetch` sends unless told otherwise, so the server sees the same request from either sender. */
const DEFAULTS: readonly [string, string][] = [
  ["accept", "*/*"],
  ["accept-encoding", "gzip, deflate"],
];

/** Statuses whose answers have no body, as `fetch` reads them (undici still reports an empty one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * One request through `pool.dispatch`: resolves with the head once the status and headers are in (the body then
 * arrives into a ChunkQueue), rejects with undici's error when no answer came, or with the signal's reason.
 */
function exchange(pool: Pool, options: Parameters<Pool["dispatch"]>[0], signal: AbortSignal): Promise<SentHead & { body: ChunkQueue | null }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let controller: DispatchController | undefined;
    let queue: ChunkQueue | undefined;
    const onAbort = (): void => {
      const reason: unknown = signal.reason;
      const error = reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
      if (queue) queue.fail(error);
      else reject(reason);
      controller?.abort(error);
    };
    const unlisten = (): void => signal.removeEventListener("abort", onAbort);
    signal.addEventListener("abort", onAbort, { once: true });
    pool.dispatch(options, {
      onRequestStart(c) {
        controller = c;
      },
      onResponseStart(c, statusCode, headers, statusMessage) {
        if (statusCode < 200) return;
        const responseHeaders = headersOf(headers);
        queue = new ChunkQueue(c, unlisten);
        const empty = NULL_BODY.has(statusCode) || options.method === "HEAD";
        resolve({ status: statusCode, statusText: statusMessage ?? "", headers: responseHeaders, body: empty ? null : queue });
      },
      onResponseData(_c, chunk) {
        queue?.push(chunk);
      },
      onResponseEnd() {
        unlisten();
        queue?.end();
      },
      onResponseError(_c, error) {
        unlisten();
        if (queue) queue.fail(error);
        else reject(signal.aborted ? signal.reason : error);
      },
    });
  });
}

/**
 * The undici sender for `origin` (the configured base URL's: the pipeline sends nothing else through a sender). The
 * package is loaded on the first request, the pool made then and closed by `close()`.
 * @example const sender = undiciSender("https://sentry.io"); const head = await sender.send(new URL("https://sentry.io/api/0/"), { method: "GET", headers, body: undefined, signal });
 * @throws {SentryConfigError} (on the first request) when the `undici` package is not installed.
 */
export function undiciSender(origin: string): Sender {
  let loaded: Promise<Pool> | undefined;
  return {
    name: "undici",
    async send(url, init): Promise<SentHead> {
      // A URL of another origin here would be a bug in the pipeline; the pool could not reach it anyway.
      if (url.origin !== origin) throw new TypeError(`the undici sender only sends to ${origin}`);
      loaded ??= loadUndici().then((undici) => new undici.Pool(origin));
      const pool = await loaded;
      const headers: string[] = [];
      for (const [name, value] of init.headers) headers.push(name, value);
      for (const [name, value] of DEFAULTS) if (!init.headers.has(name)) headers.push(name, value);
      const body = init.body === undefined || typeof init.body === "string" ? init.body : new Uint8Array(init.body);
      const head = await exchange(pool, { path: url.pathname + url.search, method: init.method, headers, body }, init.signal);
      // Most answers are not encoded: no chain, and no wait for one.
      const encoding = head.body && head.headers.get("content-encoding");
      const decoding = encoding ? await decodingChain(encoding) : undefined;
      if (!decoding || !head.body) return head;
      return { ...head, body: decodedReader(head.body, decoding.chain, decoding.stream) };
    },
    async close() {
      const pending = loaded;
      loaded = undefined;
      if (pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}
