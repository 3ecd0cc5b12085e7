/**
 * The `Request` class handed to openapi-fetch (its `Request` option). openapi-fetch builds one per call and passes
 * it to our pipeline, which only needs its URL, method, headers, body and signal, and sends `fetch(url, init)`.
 * A platform Request parses its URL, copies its headers and makes an AbortSignal of its own, all of which the
 * pipeline would throw away; this one stores what it was given and builds the platform Request only if someone
 * (a user's middleware) asks for more than those fields.
 *
 * `instanceof PipelineRequest` also accepts platform Requests, because openapi-fetch checks what an `onRequest`
 * middleware returns with `instanceof` against the class it was given.
 */

/** A Request that defers building the platform one; see the module comment. */
export class PipelineRequest {
  readonly #url: string;
  readonly #init: RequestInit;
  readonly #headers: Headers;
  #real: Request | undefined;

  /**
   * @example const request = new PipelineRequest("https://sentry.io/api/0/", { method: "GET", headers: new Headers() });
   */
  constructor(input: string | URL, init: RequestInit = {}) {
    this.#url = String(input);
    this.#init = init;
    this.#headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return isPipelineRequest(value) || value instanceof Request;
  }

  /** Whether `value` is a PipelineRequest (not a platform Request). */
  static is(value: unknown): value is PipelineRequest {
    return typeof value === "object" && value !== null && #url in value;
  }

  #platform(): Request {
    this.#real ??= new Request(this.#url, { ...this.#init, headers: this.#headers });
    return this.#real;
  }

  get url(): string {
    return this.#url;
  }
  get method(): string {
    return (this.#init.method ?? "GET").toUpperCase();
  }
  get headers(): Headers {
    return this.#headers;
  }
  /** The body as given to the constructor (openapi-fetch passes a string, FormData or nothing). */
  get bodyInit(): RequestInit["body"] {
    return this.#init.body;
  }
  /** The caller's signal, if there was one (a platform Request would make one up). */
  get callerSignal(): AbortSignal | undefined {
    return this.#init.signal ?? undefined;
  }

  get signal(): AbortSignal {
    return this.#platform().signal;
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.#platform().body;
  }
  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }
  get cache(): Request["cache"] {
    return this.#platform().cache;
  }
  get credentials(): Request["credentials"] {
    return this.#platform().credentials;
  }
  get destination(): Request["destination"] {
    return this.#platform().destination;
  }
  get integrity(): string {
    return this.#platform().integrity;
  }
  get keepalive(): boolean {
    return this.#platform().keepalive;
  }
  get mode(): Request["mode"] {
    return this.#platform().mode;
  }
  get redirect(): Request["redirect"] {
    return this.#platform().redirect;
  }
  get referrer(): string {
    return this.#platform().referrer;
  }
  get referrerPolicy(): Request["referrerPolicy"] {
    return this.#platform().referrerPolicy;
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#platform().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.#platform().blob();
  }
  formData(): Promise<FormData> {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- part of the Request interface we implement; the deprecation only advises servers on multipart uploads
    return this.#platform().formData();
  }
  json(): Promise<unknown> {
    return this.#platform().json();
  }
  text(): Promise<string> {
    return this.#platform().text();
  }
  clone(): Request {
    return this.#platform().clone();
  }
  /** The platform Request with the same URL, method, headers and body. */
  toRequest(): Request {
    return this.#platform();
  }
}

/**
 * Whether `value` is a PipelineRequest (not a platform Request).
 * @example if (isPipelineRequest(input)) send(input.url, input.headers);
 */
export function isPipelineRequest(value: unknown): value is PipelineRequest {
  return PipelineRequest.is(value);
}
