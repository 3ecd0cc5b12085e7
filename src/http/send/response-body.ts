/**
 * Reading a response's body inside the attempt that fetched it, so that a body cut mid-stream, stalled past the
 * attempt's deadline (a SentryTimeoutError, phase `body`), larger than `maxResponseBytes` or not JSON is a failure of
 * that attempt (typed, and retried where the method allows) rather than a bare TypeError / DOMException /
 * SyntaxError thrown later by whoever reads it.
 */
import { bufferedResponse } from "./buffered-response.js";
import type { AttemptDeadline } from "./deadline.js";
import { type ResponseFailure, SentryResponseError, SentryTimeoutError } from "../errors/errors.js";
import type { BodyReader, SentHead } from "./sender.js";

/** What a failed body read is reported with. */
export interface BodyContext {
  method: string;
  url: URL;
  /** Path template or pathname, for the error. */
  path: string;
  operationId: string | undefined;
  maxBytes: number;
  /** The attempt's timeout, named by the error when the body stalls past it. */
  timeoutMs: number;
}

/** Thrown inside readBounded and turned into a SentryResponseError by bufferResponse. */
class TooLarge extends Error {}

async function readBounded(headers: Headers, reader: BodyReader, maxBytes: number, deadline: AttemptDeadline): Promise<Uint8Array> {
  const declared = headers.get("content-length");
  const length = declared === null ? undefined : Number(declared);
  if (length !== undefined && length > maxBytes) {
    await reader.cancel().catch(() => undefined);
    throw new TooLarge();
  }
  // A fetch other than the platform's may not tie the body to the request's signal: the deadline cancels the read
  // itself, so the attempt's timeout and the caller's abort always end it.
  deadline.cancelOnAbort(reader);
  const { signal } = deadline;
  // Known length: one buffer, filled in place. Unknown (chunked): chunks counted against the limit as they come.
  // (A compressed body's Content-Length counts the compressed bytes: no sizing from it then.)
  const exact = length !== undefined && Number.isInteger(length) && !headers.has("content-encoding");
  const sized = exact ? new Uint8Array(length) : undefined;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    if (sized && total + value.byteLength <= sized.byteLength) sized.set(value, total);
    else chunks.push(value);
    total += value.byteLength;
  }
  if (signal.aborted) throw signal.reason;
  if (sized) {
    if (total !== sized.byteLength) throw new TypeError("response body does not match its Content-Length");
    return sized;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

// What Sentry's API answers in; an HTML page on a 2xx is a proxy or portal, never an API answer. Other types
// (file downloads through `raw`) are passed through unparsed.
const JSON_TYPE = /\bjson\b/i;
const HTML_TYPE = /^\s*text\/html\b/i;
const decoder = new TextDecoder();

/**
 * The typed failure of a body read: `reason` with the response's status and request id.
 * @example throw bodyFailure(response, ctx, "truncated", error);
 */
export function bodyFailure(response: { status: number; headers: Headers }, ctx: BodyContext, reason: ResponseFailure, cause?: unknown): SentryResponseError {
  return new SentryResponseError({
    reason,
    cause,
    status: response.status,
    method: ctx.method,
    url: ctx.url.toString(),
    path: ctx.path,
    operationId: ctx.operationId,
    requestId: response.headers.get("x-sentry-request-id") ?? undefined,
    detail: reason === "too-large" ? `response body larger than maxResponseBytes (${ctx.maxBytes} bytes)` : undefined,
  });
}

/**
 * Reads the whole body of a sender's answer (bounded by `ctx.maxBytes`) and returns a Response over the bytes
 * read. A 2xx JSON body is parsed here, once: the returned Response's `json()` hands back that value.
 * The deadline's `timedOut` tells a stalled body (the attempt's deadline fired) from one cut by the network; an
 * abort by the caller is rethrown as its reason by the pipeline before this classification matters.
 * @example const buffered = await bufferResponse(res, ctx, deadlines.start(config.timeoutMs, signal));
 * @throws {SentryTimeoutError} with phase `body` when the body stopped arriving before the deadline.
 * @throws {SentryResponseError} with reason `malformed`, `truncated` or `too-large`.
 */
export async function bufferResponse(head: SentHead, ctx: BodyContext, deadline: AttemptDeadline): Promise<Response> {
  const response = { status: head.status, statusText: head.statusText, headers: head.headers };
  if (head.body === null) return new Response(null, response);
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(head.headers, head.body, ctx.maxBytes, deadline);
  } catch (error) {
    if (error instanceof TooLarge) throw bodyFailure(response, ctx, "too-large");
    if (deadline.timedOut) {
      throw new SentryTimeoutError({
        method: ctx.method,
        url: ctx.url.toString(),
        timeoutMs: ctx.timeoutMs,
        phase: "body",
        status: response.status,
        requestId: response.headers.get("x-sentry-request-id") ?? undefined,
        cause: error,
      });
    }
    throw bodyFailure(response, ctx, "truncated", error);
  }
  return finishBody(bytes, response, ctx);
}

/**
 * The Response over a body read whole: a 2xx JSON body parsed once (its `json()` returns that value), an HTML
 * page on a 2xx refused as malformed, anything else kept as bytes.
 * @example return finishBody(bytes, { status: 200, statusText: "OK", headers }, ctx);
 * @throws {SentryResponseError} with reason `malformed`.
 */
export function finishBody(bytes: Uint8Array, init: { status: number; statusText: string; headers: Headers }, ctx: BodyContext): Response {
  const type = init.headers.get("content-type") ?? "";
  const ok = init.status >= 200 && init.status < 300;
  if (!ok || bytes.byteLength === 0 || !(JSON_TYPE.test(type) || HTML_TYPE.test(type))) {
    return withLength(bufferedResponse(bytes, init), bytes.byteLength);
  }
  if (!JSON_TYPE.test(type)) throw bodyFailure(init, ctx, "malformed");
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw bodyFailure(init, ctx, "malformed", error);
  }
  // The body is still readable as bytes or text (hooks clone it); json() skips a second parse.
  return withLength(bufferedResponse(bytes, init, { value: parsed }), bytes.byteLength);
}

/**
 * A buffered body has a known length; saying so lets openapi-fetch call json() instead of text() + JSON.parse.
 * Most answers already say it (the Content-Length of an uncompressed body): their headers are left alone.
 */
function withLength(response: Response, length: number): Response {
  const { headers } = response;
  const declared = String(length);
  if (headers.get("content-length") === declared && !headers.has("transfer-encoding")) return response;
  headers.set("content-length", declared);
  headers.delete("transfer-encoding");
  return response;
}
