/**
 * The sender over undici's public `request` API (the `undici` package, an optional peer dependency), on a connection
 * pool of its own to the configured origin (`Pool`). It skips what `fetch` adds around the same HTTP client — a WHATWG Request, a web
 * stream per body, CORS bookkeeping — and so costs less CPU per request (`npm run bench`). It answers like the
 * `fetch` sender: the same request headers by default (Accept, Accept-Encoding), bodies decoded as `fetch` decodes
 * them, the same system codes in the rejection's cause, so the pipeline's typed errors read the same. Unlike
 * `fetch`, it is not seen by fetch interceptors (msw), which is why it is chosen, never the default.
 */
import type { Readable, Transform } from "node:stream";
import { SentryConfigError } from "../errors/errors.js";
import type { BodyReader, Sender, SentHead } from "./sender.js";

/** The part of undici the sender uses. */
interface Undici {
  Pool: new (origin: string) => Pool;
}

/** undici's connection pool to one origin: its public `Dispatcher.request` and `close`. */
interface Pool {
  request(options: {
    path: string;
    method: string;
    headers: string[];
    body: string | Uint8Array | undefined;
    signal: AbortSignal;
  }): Promise<{ statusCode: number; statusText: string; headers: Record<string, string | string[] | undefined>; body: Readable & { dump(): Promise<void> } }>;
  close(): Promise<void>;
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
  const [first, ...rest] = chain;
  return first ? { chain: [first, ...rest], stream } : undefined;
}

/**
 * A Node stream read as a BodyReader, through its 'data' events (cheaper per chunk than its async iterator). At most
 * a few chunks wait in memory: the stream is paused while they do.
 */
function readerOf(body: Readable): BodyReader {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let waiting: { resolve(result: { done: true } | { done: false; value: Uint8Array }): void; reject(error: unknown): void } | undefined;
  const settle = (): void => {
    const waiter = waiting;
    if (!waiter) return;
    const chunk = queue.shift();
    if (chunk) waiter.resolve({ done: false, value: chunk });
    else if (failure) waiter.reject(failure.error);
    else if (ended) waiter.resolve({ done: true });
    else return;
    waiting = undefined;
  };
  body.on("data", (chunk: Uint8Array) => {
    queue.push(chunk);
    if (queue.length >= 8) body.pause();
    settle();
  });
  body.on("end", () => {
    ended = true;
    settle();
  });
  // Also keeps a cancel before the first read (a redirect's body, one refused by its Content-Length) from being an
  // unhandled 'error' event.
  body.on("error", (error: unknown) => {
    failure ??= { error };
    settle();
  });
  body.on("close", () => {
    if (!ended) failure ??= { error: new TypeError("terminated") };
    settle();
  });
  return {
    read: () => {
      const chunk = queue.shift();
      if (chunk) {
        if (body.isPaused() && queue.length < 2) body.resume();
        return Promise.resolve({ done: false, value: chunk });
      }
      if (failure) return Promise.reject(failure.error);
      if (ended) return Promise.resolve({ done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
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
      const answer = await pool.request({ path: url.pathname + url.search, method: init.method, headers, body, signal: init.signal });
      const responseHeaders = headersOf(answer.headers);
      // As fetch: a 204, a 304 and the answer to a HEAD have no body (undici still gives an empty stream).
      if (answer.statusCode === 204 || answer.statusCode === 304 || init.method === "HEAD") {
        await answer.body.dump().catch(() => undefined);
        return { status: answer.statusCode, statusText: answer.statusText, headers: responseHeaders, body: null };
      }
      // Most answers are not encoded: no chain, and no wait for one.
      const encoding = responseHeaders.get("content-encoding");
      const decoding = encoding === null ? undefined : await decodingChain(encoding);
      // The last transform of the chain is what is read; an error anywhere in it (a cut body, bad data) ends it.
      let stream: Readable = answer.body;
      if (decoding) {
        decoding.stream.pipeline([answer.body, ...decoding.chain], () => undefined);
        stream = decoding.chain[decoding.chain.length - 1]!;
      }
      return { status: answer.statusCode, statusText: answer.statusText, headers: responseHeaders, body: readerOf(stream) };
    },
    async close() {
      const pending = loaded;
      loaded = undefined;
      if (pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}
