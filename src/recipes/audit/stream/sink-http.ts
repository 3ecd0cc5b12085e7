/**
 * HTTP sinks: Splunk's HTTP Event Collector (a URL ending in `/services/collector/event`, `Authorization: Splunk
 * <token>`, one `{ time, source, sourcetype, event }` object per record, concatenated) and a generic JSON webhook (a
 * POST of a JSON array). Records go in batches; 408, 429, 5xx, refused connections and stalls (no answer within
 * `timeoutMs`) are retried with full-jitter backoff; other statuses fail. A batch counts as delivered only on a 2xx.
 * No token or URL query ever reaches an error message or a log line.
 */
import { redactText, redactUrl } from "../../../http/errors/index.js";
import type { AuditSink } from "./sink.js";

/** Options of {@link httpSink}. */
export interface HttpSinkOptions {
  /** HEC token; default `process.env.SPLUNK_HEC_TOKEN`. A function is called per request (rotation). */
  token?: string | (() => string | Promise<string>);
  /** Extra headers for a webhook (e.g. its own Authorization). */
  headers?: Record<string, string>;
  /** Records per request; default 100. */
  batchSize?: number;
  /** A request with no answer after this long is abandoned and retried; default 15 s. */
  timeoutMs?: number;
  /** Retries per batch after the first attempt; default 8. */
  retries?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** HEC `sourcetype`; default `sentry:audit`. */
  sourcetype?: string;
  /** HEC `index`, when the token is not bound to a default one. */
  index?: string;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Diagnostics (already redacted). */
  log?: (message: string) => void;
}

/**
 * The sink failed for good (a 4xx, or retries spent).
 * @example catch (e) { if (e instanceof AuditSinkError) console.error(e.status, e.message); }
 */
export class AuditSinkError extends Error {
  readonly kind: "audit-sink";
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuditSinkError";
    this.kind = "audit-sink";
    this.status = status;
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** True for a URL Splunk HEC answers (JSON event endpoint). */
export function isHecUrl(url: string): boolean {
  return /\/services\/collector\/event\/?$/.test(new URL(url).pathname);
}

function recordTime(record: unknown): number | undefined {
  const r = record as Record<string, unknown>;
  const raw = r.time ?? r["@timestamp"] ?? r.dateCreated;
  const ms = typeof raw === "number" ? raw : typeof raw === "string" ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/**
 * An HTTP sink: Splunk HEC for a `/services/collector/event` URL, a JSON webhook otherwise.
 * @example
 * const sink = httpSink("https://splunk.example.com:8088/services/collector/event"); // token from SPLUNK_HEC_TOKEN
 * @throws {AuditSinkError} from `write` on a permanent failure (the batch is then not acknowledged).
 */
export function httpSink(url: string, options: HttpSinkOptions = {}): AuditSink {
  const target = new URL(url);
  if (target.protocol !== "https:" && !["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    throw new AuditSinkError("an HTTP sink must use https (plain http only on loopback)", undefined);
  }
  const hec = isHecUrl(url);
  const shown = redactUrl(`${target.origin}${target.pathname}`);
  const fetchImpl = options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? 100;
  const retries = options.retries ?? 8;
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const readToken = async (): Promise<string | undefined> => {
    const token = options.token ?? process.env.SPLUNK_HEC_TOKEN;
    return typeof token === "function" ? await token() : token;
  };

  const body = (records: readonly unknown[]): string => {
    if (!hec) return JSON.stringify(records);
    return records.map((event) => {
      const time = recordTime(event);
      return JSON.stringify({ ...(time === undefined ? {} : { time }), source: "sentry-rbac", sourcetype: options.sourcetype ?? "sentry:audit", ...(options.index ? { index: options.index } : {}), event });
    }).join("\n");
  };

  async function send(records: readonly unknown[], signal: AbortSignal | undefined): Promise<void> {
    const token = hec ? await readToken() : undefined;
    if (hec && !token) throw new AuditSinkError("Splunk HEC needs a token: set SPLUNK_HEC_TOKEN", undefined);
    const secrets = token ? [token] : [];
    const payload = body(records);
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      let status: number | undefined;
      let retryAfterMs: number | undefined;
      const attemptSignal = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      try {
        const response = await fetchImpl(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...(options.headers ?? {}), ...(token ? { authorization: `Splunk ${token}` } : {}) },
          body: payload,
          signal: attemptSignal,
        });
        status = response.status;
        const text = await response.text().catch(() => "");
        if (response.ok) return;
        const retryAfter = Number(response.headers.get("retry-after"));
        retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
        reason = `${status} ${redactText(text.slice(0, 200), secrets)}`.trim();
        if (!(status === 408 || status === 429 || status >= 500)) throw new AuditSinkError(`sink ${shown} refused a batch: ${reason}`, status);
      } catch (error) {
        if (error instanceof AuditSinkError) throw error;
        if (signal?.aborted) throw signal.reason;
        reason = attemptSignal.aborted ? `no answer within ${timeoutMs} ms` : redactText(error instanceof Error ? error.message : "network error", secrets);
      }
      if (attempt >= retries) throw new AuditSinkError(`sink ${shown} failed after ${attempt + 1} attempts: ${reason}`, status);
      const backoff = Math.min(maxDelay, minDelay * 2 ** attempt) * random();
      const delay = Math.min(maxDelay, Math.max(backoff, retryAfterMs ?? 0));
      options.log?.(`sink ${shown}: ${reason}; retrying in ${Math.round(delay)} ms`);
      await sleep(delay, signal);
    }
  }

  return {
    async write(records, signal) {
      for (let i = 0; i < records.length; i += batchSize) await send(records.slice(i, i + batchSize), signal);
    },
    async close() {},
  };
}
