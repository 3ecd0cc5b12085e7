/**
 * How one HTTP exchange goes out: the `Sender` interface the pipeline sends every attempt through, and the default
 * sender over the platform `fetch` (or the `fetch` option). The other sender, over undici's `Pool.dispatch` API, is in
 * undici-sender.ts. A sender only moves bytes: the pipeline around it owns the token, the deadline, redirects,
 * retries and every typed error, so both senders fail the same way.
 */

/** One request as a sender sends it. */
export interface SendInit {
  /** Upper-case HTTP method. */
  method: string;
  /** Sent as given (the pipeline has set Authorization and User-Agent). */
  headers: Headers;
  body: string | ArrayBuffer | undefined;
  /** The attempt's deadline: aborting it ends the exchange, whichever phase it is in. */
  signal: AbortSignal;
}

/** Reads a body chunk by chunk, the shape of a web stream's reader. */
export interface BodyReader {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
  /** Stops the body: a read in progress rejects, and the connection is not reused for it. */
  cancel(reason?: unknown): Promise<void>;
}

/** What a sender hands back once the status line and headers are in. */
export interface SentHead {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The (decoded) body, or null when the answer has none (a 204, a HEAD). */
  readonly body: BodyReader | null;
}

/** A way to send requests: `fetch` (the default) or `undici`. */
export interface Sender {
  readonly name: "fetch" | "undici";
  /**
   * Sends one request without following redirects. Rejects as the platform `fetch` does when no answer came (its
   * cause carries the system code, ECONNREFUSED…), or with the signal's reason once it is aborted.
   */
  send(url: URL, init: SendInit): Promise<SentHead>;
  /** Releases connections the sender keeps (none for `fetch`, whose pool is the platform's). */
  close(): Promise<void>;
}

/**
 * The sender over `fetch`, looked up at call time so an msw server (or a stub) installed after the client was made
 * still sees the requests.
 * @example const sender = fetchSender(() => config.fetch ?? globalThis.fetch);
 */
export function fetchSender(currentFetch: () => typeof globalThis.fetch): Sender {
  return {
    name: "fetch",
    async send(url, init) {
      // url + init rather than a Request: fetch builds its own Request either way, so one construction is saved.
      const response = await currentFetch()(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal, redirect: "manual" });
      const { body } = response;
      return { status: response.status, statusText: response.statusText, headers: response.headers, body: body ? body.getReader() : null };
    },
    close: async () => undefined,
  };
}
