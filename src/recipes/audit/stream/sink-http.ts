/**
 * HTTP sinks: Splunk's HTTP Event Collector (a URL ending in `/services/collector/event`, `Authorization: Splunk
 * <token>`, one `{ time, source, sourcetype, event }` object per record, concatenated) and a generic JSON webhook (a
 * POST of a JSON array). Records go in batches, each sent with the package's one retry policy (http/limits/retry.ts:
 * full-jitter backoff, Retry-After in seconds or as an HTTP-date, cut to `maxPauseMs`, within `budgetMs`, the same
 * abortable sleep): 408, 429, 5xx, connection failures and stalls (no answer within `timeoutMs`) are retried, since
 * a batch is safe to send twice (the SIEM deduplicates by event id); other statuses fail. A batch counts as
 * delivered only on a 2xx. No token or URL query ever reaches an error message or a log line.
 */
import { DEFAULT_MAX_PAUSE_MS, isLoopback, systemClock } from "../../../config.js";
import { isSentryTimeoutError, redactText, redactUrl, SentryTimeoutError } from "../../../http/errors/index.js";
import { retryPolicy, type RetryPolicy, withRetry } from "../../../http/limits/index.js";
import { networkFailure } from "../../../http/send/index.js";
import type { AuditSink } from "./sink-contract.js";
import { isSentryErrorOfKind, SentryError } from "../../../http/errors/index.js";

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
  /** Longest total wait between attempts of one batch; default 10 minutes. */
  budgetMs?: number;
  /** Longest wait a Retry-After may ask for (longer ones are cut to this); default 60 s, as for Sentry calls. */
  maxPauseMs?: number;
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
export class AuditSinkError extends SentryError {
  override readonly kind: "audit-sink";
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined, options?: { cause?: unknown; hint?: string }) {
    super("audit-sink", message, {
      cause: options?.cause,
      hint:
        options?.hint ??
        (status !== undefined && status < 500
          ? "Check the sink's URL and credentials; the sink refused the batch and a retry would be refused too."
          : "Check that the sink answers; the batch was not acknowledged and is sent again on the next run."),
    });
    this.name = "AuditSinkError";
    this.kind = "audit-sink";
    this.status = status;
  }
}

/**
 * True for an {@link AuditSinkError}, also across duplicate copies of the package.
 * @example catch (e) { if (isAuditSinkError(e)) console.error(e.status, e.message, e.hint); }
 */
export function isAuditSinkError(value: unknown): value is AuditSinkError {
  return isSentryErrorOfKind(value, "audit-sink");
}

/** Statuses a SIEM answers when it may accept the same batch later. */
const RETRY_STATUSES = [408, 429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];

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
  if (target.protocol !== "https:" && !isLoopback(target.hostname)) {
    throw new AuditSinkError("an HTTP sink must use https (plain http only on loopback)", undefined);
  }
  const hec = isHecUrl(url);
  const shown = redactUrl(`${target.origin}${target.pathname}`);
  const fetchImpl = options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
  const clock = {
    now: () => systemClock.now(),
    sleep: options.sleep ?? ((ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal)),
    random: options.random ?? (() => systemClock.random()),
  };
  const batchSize = options.batchSize ?? 100;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const policy: RetryPolicy = {
    ...retryPolicy(
      {
        retries: options.retries ?? 8,
        minDelayMs: options.minDelayMs ?? 500,
        maxDelayMs: options.maxDelayMs ?? 30_000,
        budgetMs: options.budgetMs ?? 600_000,
      },
      options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS,
    ),
    idempotentMethods: new Set(["POST"]),
    retryStatuses: new Set(RETRY_STATUSES),
  };
  const readToken = async (): Promise<string | undefined> => {
    const token = options.token ?? process.env.SPLUNK_HEC_TOKEN;
    return typeof token === "function" ? await token() : token;
  };

  const body = (records: readonly unknown[]): string => {
    if (!hec) return JSON.stringify(records);
    return records
      .map((event) => {
        const time = recordTime(event);
        return JSON.stringify({
          ...(time === undefined ? {} : { time }),
          source: "sentry-rbac",
          sourcetype: options.sourcetype ?? "sentry:audit",
          ...(options.index ? { index: options.index } : {}),
          event,
        });
      })
      .join("\n");
  };

  async function send(records: readonly unknown[], signal: AbortSignal | undefined): Promise<void> {
    const token = hec ? await readToken() : undefined;
    if (hec && !token) throw new AuditSinkError("Splunk HEC needs a token: set SPLUNK_HEC_TOKEN", undefined);
    const secrets = token ? [token] : [];
    const payload = body(records);
    const headers = { "content-type": "application/json", ...(options.headers ?? {}), ...(token ? { authorization: `Splunk ${token}` } : {}) };
    // Why an attempt failed, in words safe to show (no token, no query).
    const reasonOf = (outcome: { status?: number; text?: string; error?: unknown }): string => {
      if (outcome.status !== undefined) return `${outcome.status} ${redactText((outcome.text ?? "").slice(0, 200), secrets)}`.trim();
      if (isSentryTimeoutError(outcome.error)) return `no answer within ${timeoutMs} ms`;
      const error = outcome.error as { cause?: unknown; message?: string } | undefined;
      const cause = error?.cause instanceof Error ? error.cause.message : undefined;
      return redactText(cause ?? error?.message ?? "network error", secrets);
    };
    let attempts = 0;
    let lastText = "";
    const attempt = async (): Promise<Response> => {
      attempts += 1;
      const timeout = AbortSignal.timeout(timeoutMs);
      const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const response = await fetchImpl(url, { method: "POST", headers, body: payload, signal: attemptSignal });
        // Read within the attempt (a stall here is a timeout too); kept as text for the reason of a failure.
        const text = await response.text();
        lastText = text;
        return new Response(text === "" ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (timeout.aborted) throw new SentryTimeoutError({ method: "POST", url: shown, timeoutMs, cause: error });
        throw networkFailure("POST", shown, error);
      }
    };
    let response: Response;
    try {
      response = await withRetry(attempt, {
        method: "POST",
        url: shown,
        policy,
        clock,
        signal,
        onRetry: (event) => {
          options.log?.(`sink ${shown}: ${reasonOf({ status: event.status, text: lastText, error: event.error })}; retrying in ${event.delayMs} ms`);
        },
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new AuditSinkError(`sink ${shown} failed after ${attempts} attempts: ${reasonOf({ error })}`, undefined, { cause: error });
    }
    if (response.ok) return;
    const reason = reasonOf({ status: response.status, text: lastText });
    if (!policy.retryStatuses.has(response.status)) throw new AuditSinkError(`sink ${shown} refused a batch: ${reason}`, response.status);
    throw new AuditSinkError(`sink ${shown} failed after ${attempts} attempts: ${reason}`, response.status);
  }

  return {
    async write(records, signal) {
      for (let i = 0; i < records.length; i += batchSize) await send(records.slice(i, i + batchSize), signal);
    },
    async close() {},
  };
}
