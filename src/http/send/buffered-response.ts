/**
 * A Response over a body already read into memory (response-body.ts reads every body inside its attempt).
 *
 * `new Response(bytes)` builds a web ReadableStream around bytes that are already in memory, which nobody reads
 * as a stream: the pipeline and openapi-fetch read the body with `json()` or `text()`. This subclass
 * is constructed without a body and answers `json()`, `text()`, `arrayBuffer()`, `blob()`, `bytes()`, `formData()` and `clone()`
 * from the bytes; the stream is only built if someone asks for `body`. Like any Response its body can be read once.
 */

const decoder = new TextDecoder();

function unusable(): TypeError {
  return new TypeError("Body is unusable: Body has already been read");
}

// Typed loosely on purpose: Node's Response type declares its methods as properties, which a subclass may not
// override; at run time this is the platform Response and instances pass `instanceof Response`.
type ResponseBase = new (body: null, init: ResponseInit) => { readonly headers: Headers };

/**
 * The class is defined on first use, not when the module is evaluated: reading the global `Response` makes Node 20
 * load its whole fetch implementation (undici), a quarter of `import "sentry-rbac"`'s time.
 */
let BufferedResponseClass: ReturnType<typeof defineBufferedResponse> | undefined;

function defineBufferedResponse() {
  /** A Response whose body is a byte array in memory (and, for JSON, optionally its parsed value). */
  return class BufferedResponse extends (Response as unknown as ResponseBase) {
    readonly #bytes: Uint8Array;
    readonly #init: ResponseInit;
    #parsed: { value: unknown } | undefined;
    #used = false;
    #stream: ReadableStream<Uint8Array> | undefined;

    /**
     * @param bytes the whole body.
     * @param init status, statusText and headers, as for `new Response`.
     * @param parsed the body's JSON value when it was already parsed: `json()` returns it without parsing again.
     * @example const response = new BufferedResponse(new TextEncoder().encode("[]"), { status: 200, headers }, { value: [] });
     */
    constructor(bytes: Uint8Array, init: ResponseInit, parsed?: { value: unknown }) {
      super(null, init);
      this.#bytes = bytes;
      this.#init = init;
      this.#parsed = parsed;
    }

    #take(): Uint8Array {
      if (this.#used || this.#stream) throw unusable();
      this.#used = true;
      return this.#bytes;
    }

    get body(): ReadableStream<Uint8Array> | null {
      if (!this.#stream && !this.#used) {
        const bytes = this.#bytes;
        this.#stream = new ReadableStream<Uint8Array>({
          start(controller) {
            if (bytes.byteLength > 0) controller.enqueue(bytes);
            controller.close();
          },
        });
      }
      return this.#stream ?? null;
    }

    get bodyUsed(): boolean {
      return this.#used || (this.#stream?.locked ?? false);
    }

    async json(): Promise<unknown> {
      const bytes = this.#take();
      const parsed = this.#parsed;
      this.#parsed = undefined;
      return parsed ? parsed.value : JSON.parse(decoder.decode(bytes));
    }

    async text(): Promise<string> {
      return decoder.decode(this.#take());
    }

    async arrayBuffer(): Promise<ArrayBuffer> {
      const bytes = this.#take();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }

    /** The body as bytes (a copy). */
    async bytes(): Promise<Uint8Array> {
      return new Uint8Array(await this.arrayBuffer());
    }

    async blob(): Promise<Blob> {
      const type = this.headers.get("content-type") ?? "";
      return new Blob([await this.arrayBuffer()], type ? { type } : {});
    }

    async formData(): Promise<FormData> {
      // Rare (Sentry answers JSON): let the platform parse multipart or urlencoded bytes.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- part of the Response interface we implement; the deprecation only advises servers on multipart uploads
      return new Response(this.#take(), { headers: this.headers }).formData();
    }

    clone(): Response {
      if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
      // The clone parses for itself: the parsed value is not shared between two readers who may mutate it.
      return bufferedResponse(this.#bytes, { ...this.#init, headers: this.headers });
    }
  };
}

/**
 * A Response over `bytes` (see BufferedResponse); `parsed` is the body's JSON value when already parsed.
 * @example const response = bufferedResponse(bytes, { status: 200, headers }, { value: JSON.parse(text) });
 */
export function bufferedResponse(bytes: Uint8Array, init: ResponseInit, parsed?: { value: unknown }): Response {
  BufferedResponseClass ??= defineBufferedResponse();
  return new BufferedResponseClass(bytes, init, parsed) as unknown as Response;
}
