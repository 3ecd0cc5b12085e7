/**
 * `tailAuditLog`: backfills the audit log from `since` or the checkpoint (an existing checkpoint wins), then polls,
 * delivering each row once, oldest first, to a sink, with detections. See window.ts for why nothing is lost or
 * repeated, sink.ts for what "acknowledged" means per sink.
 */
import type { SentryClient } from "../../../client.js";
import { systemClock } from "../../../config.js";
import { isRateLimitError, isSentryApiError, isSentryError, ValidationError } from "../../../http/errors/index.js";
import type { AuditLogEntry } from "../../../resources/audit-logs.js";
import { toIsoDate } from "../../../resources/validate.js";
import type { AuditCheckpoint, AuditCheckpointStore } from "./checkpoint.js";
import { createAuditDetector, type AuditAlert, type AuditDetector } from "./detect.js";
import { formatAlert, formatRow, type AuditStreamFormat } from "./formats.js";
import type { AuditRule } from "./rules.js";
import type { AuditSink } from "./sink.js";
import { AuditWindow } from "./window.js";

/** Progress after each delivered batch and each completed read. */
export interface AuditTailProgress {
  org: string;
  rows: number;
  alerts: number;
  polls: number;
  /** Everything dated before this has been delivered. */
  lowerBound: string;
  /** True once the latest read reached the newest row. */
  caughtUp: boolean;
}

/** The outcome of a tail (when it stops: caught up without `follow`, or aborted). */
export interface AuditTailReport extends AuditTailProgress {
  /** Rows skipped because they had been delivered already (look-back re-reads, a file sink's tail). */
  repeatsSkipped: number;
}

/** Settings the follower runs with (normalised by tailAuditLog). */
export interface FollowSettings {
  org: string;
  since: number | undefined;
  follow: boolean;
  intervalMs: number;
  lookbackMs: number;
  format: AuditStreamFormat;
  rules: AuditRule[];
  alertsOnly: boolean;
  batchSize: number;
  maxRowsPerRead: number;
  maxBackoffMs: number;
  signal: AbortSignal | undefined;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  onProgress: ((progress: AuditTailProgress) => void) | undefined;
  onError: ((error: unknown, retryInMs: number) => void) | undefined;
}

const MIN_CHUNK_MS = 1_000;
const MAX_CHUNK_MS = 30 * 86_400_000;

class TooManyRows extends Error {}

function rowMs(row: AuditLogEntry): number {
  return Date.parse(row.dateCreated);
}

function byDateThenId(a: AuditLogEntry, b: AuditLogEntry): number {
  return rowMs(a) - rowMs(b) || Number(a.id) - Number(b.id) || String(a.id).localeCompare(String(b.id));
}

/** Errors worth waiting out while following: rate limits, 5xx, network trouble, timeouts, a sink that is down. */
function isTransient(error: unknown): boolean {
  if (isRateLimitError(error)) return true;
  if (isSentryApiError(error)) return error.status >= 500;
  if (isSentryError(error)) return error.kind === "network" || error.kind === "timeout";
  const sinkError = error as { kind?: unknown; status?: unknown } | null;
  if (sinkError?.kind !== "audit-sink") return false;
  return typeof sinkError.status !== "number" || sinkError.status === 429 || sinkError.status >= 500;
}

/** Follows one organization's audit log into a sink. */
export class AuditFollower {
  #rows = 0;
  #alerts = 0;
  #polls = 0;
  #skipped = 0;
  #caughtUp = false;
  #chunkMs = 6 * 3_600_000;
  #detector!: AuditDetector;
  #window!: AuditWindow;
  #delivered = new Set<string>();

  constructor(
    private readonly sentry: SentryClient,
    private readonly settings: FollowSettings,
    private readonly store: AuditCheckpointStore,
    private readonly sink: AuditSink,
    private readonly alertSink: AuditSink,
  ) {}

  async run(): Promise<AuditTailReport> {
    const { settings } = this;
    const checkpoint = await this.store.load();
    if (checkpoint) {
      this.#window = AuditWindow.fromCheckpoint(checkpoint, settings.lookbackMs, settings.now);
    } else {
      const start = settings.since ?? settings.now() - settings.lookbackMs;
      this.#window = new AuditWindow(start, [], settings.lookbackMs, settings.now);
    }
    this.#detector = createAuditDetector(settings.rules, checkpoint?.detector ?? {}, settings.org);
    for (const key of (await this.sink.open?.()) ?? []) this.#delivered.add(key);
    if (this.alertSink !== this.sink) for (const key of (await this.alertSink.open?.()) ?? []) this.#delivered.add(key);

    let failures = 0;
    for (;;) {
      if (settings.signal?.aborted) break;
      try {
        const caughtUp = await this.#step();
        failures = 0;
        if (caughtUp && !settings.follow) break;
        if (caughtUp) await settings.sleep(settings.intervalMs, settings.signal);
      } catch (error) {
        if (settings.signal?.aborted) break;
        if (!settings.follow || !isTransient(error)) throw error;
        failures += 1;
        const wait = this.#waitFor(error, failures);
        settings.onError?.(error, wait);
        await settings.sleep(wait, settings.signal).catch(() => undefined);
      }
    }
    return { ...this.#progress(), repeatsSkipped: this.#skipped };
  }

  #progress(): AuditTailProgress {
    return {
      org: this.settings.org,
      rows: this.#rows,
      alerts: this.#alerts,
      polls: this.#polls,
      lowerBound: new Date(this.#window.lowerBound).toISOString(),
      caughtUp: this.#caughtUp,
    };
  }

  /** One read of [lowerBound, upper or now] and its delivery; true when it reached the newest row. */
  async #step(): Promise<boolean> {
    const { settings } = this;
    const window = this.#window;
    const lower = window.lowerBound;
    const floorBefore = window.serverFloor();
    const bounded = floorBefore !== undefined && floorBefore - lower > this.#chunkMs + 2 * settings.lookbackMs;
    const upper = bounded ? lower + this.#chunkMs : undefined;
    // Far behind, an unbounded read could hold the whole backlog in memory: it gives up and chunking takes over.
    const farBehind = floorBefore === undefined || floorBefore - lower > 4 * settings.lookbackMs;
    const cap = (bounded && this.#chunkMs > MIN_CHUNK_MS) || (!bounded && farBehind) ? settings.maxRowsPerRead : Number.POSITIVE_INFINITY;
    let rows: AuditLogEntry[];
    try {
      rows = await this.#read(lower, upper, cap);
    } catch (error) {
      if (!(error instanceof TooManyRows)) throw error;
      const floor = window.serverFloor() ?? lower;
      this.#chunkMs = Math.max(MIN_CHUNK_MS, Math.floor((bounded ? this.#chunkMs : floor - lower) / 4));
      return false;
    }
    this.#polls += 1;
    let newest: number | undefined;
    for (const row of rows) newest = Math.max(newest ?? Number.NEGATIVE_INFINITY, rowMs(row));
    if (newest !== undefined) window.observe(newest);
    const fresh = [...new Map(rows.filter((row) => window.isNew(String(row.id))).map((row) => [String(row.id), row])).values()].sort(byDateThenId);
    this.#skipped += rows.length - fresh.length;
    for (let i = 0; i < fresh.length; i += settings.batchSize) await this.#deliver(fresh.slice(i, i + settings.batchSize));
    const floorAtStart = Math.max(floorBefore ?? Number.NEGATIVE_INFINITY, newest ?? Number.NEGATIVE_INFINITY);
    window.advance(upper, Number.isFinite(floorAtStart) ? floorAtStart : undefined);
    if (bounded && rows.length < 100) this.#chunkMs = Math.min(MAX_CHUNK_MS, this.#chunkMs * 2);
    await this.store.save(this.#checkpoint());
    this.#caughtUp = !bounded;
    settings.onProgress?.(this.#progress());
    return !bounded;
  }

  /**
   * Reads [lower, upper or newest], newest first. While following, a transient failure (429, 5xx, network) pauses
   * the read and resumes it from the last page's cursor (Sentry's cursors are stable positions), so a read longer
   * than one rate-limit window still completes instead of starting over forever.
   */
  async #read(lower: number, upper: number | undefined, cap: number): Promise<AuditLogEntry[]> {
    const { settings } = this;
    const rows: AuditLogEntry[] = [];
    let cursor: string | undefined;
    let failures = 0;
    for (;;) {
      const list = this.sentry.auditLogs.list({
        since: new Date(lower),
        ...(upper === undefined ? {} : { until: new Date(upper) }),
        ...(cursor === undefined ? {} : { cursor }),
        ...(settings.signal === undefined ? {} : { signal: settings.signal }),
      });
      try {
        for await (const page of list.pages()) {
          // Pages run newest first: the first row read tells the server clock's floor, even if this read gives up.
          const first = page.items[0];
          if (rows.length === 0 && first !== undefined) this.#window.observe(rowMs(first));
          rows.push(...page.items);
          if (rows.length > cap) throw new TooManyRows();
          cursor = page.nextCursor;
          failures = 0;
        }
        return rows;
      } catch (error) {
        if (error instanceof TooManyRows || !settings.follow || !isTransient(error) || settings.signal?.aborted) throw error;
        failures += 1;
        const wait = this.#waitFor(error, failures);
        settings.onError?.(error, wait);
        await settings.sleep(wait, settings.signal);
      }
    }
  }

  /** How long to wait out a transient failure: at least the server's reset, else exponential from the interval. */
  #waitFor(error: unknown, failures: number): number {
    const { settings } = this;
    const serverWait = isRateLimitError(error) ? (error.retryAfterMs ?? 0) : 0;
    const backoff = Math.min(settings.maxBackoffMs, Math.min(settings.intervalMs, 5_000) * 2 ** Math.min(failures - 1, 10));
    return Math.min(settings.maxBackoffMs, Math.max(serverWait, backoff));
  }

  /** Delivers one batch (rows oldest first): alerts first, then the rows; state changes only after both acks. */
  async #deliver(batch: AuditLogEntry[]): Promise<void> {
    const { settings } = this;
    const before = this.#detector.state();
    const alerts: AuditAlert[] = [];
    const records: unknown[] = [];
    for (const row of batch) {
      alerts.push(...this.#detector.push(row));
      const id = String(row.id);
      if (this.#delivered.has(id)) this.#skipped += 1;
      else if (!settings.alertsOnly) records.push(formatRow(row, settings.format, { org: settings.org }));
    }
    const newAlerts = alerts.filter((alert) => !this.#delivered.has(`alert:${alert.id}`));
    const alertRecords = newAlerts.map((alert) => formatAlert(alert, settings.format, { org: settings.org }));
    try {
      if (this.alertSink === this.sink) {
        await this.sink.write([...alertRecords, ...records], settings.signal);
      } else {
        // Alerts first: a kill between the two writes re-reads the rows and raises the alerts again (deduplicated).
        await this.alertSink.write(alertRecords, settings.signal);
        await this.sink.write(records, settings.signal);
      }
    } catch (error) {
      this.#detector = createAuditDetector(settings.rules, before, settings.org);
      throw error;
    }
    for (const row of batch) this.#window.seen.set(String(row.id), rowMs(row));
    this.#rows += records.length;
    this.#alerts += newAlerts.length;
    await this.store.save(this.#checkpoint());
    settings.onProgress?.(this.#progress());
  }

  #checkpoint(): AuditCheckpoint {
    return { v: 1, org: this.settings.org, lowerBound: this.#window.lowerBound, seen: this.#window.toJSON(), detector: this.#detector.state() };
  }
}

/** Validates the time/size options shared by the CLI and the SDK. */
export function normaliseFollow(options: {
  since?: Date | string;
  intervalMs?: number;
  lookbackMs?: number;
  batchSize?: number;
  maxRowsPerRead?: number;
  maxBackoffMs?: number;
}): Pick<FollowSettings, "since" | "intervalMs" | "lookbackMs" | "batchSize" | "maxRowsPerRead" | "maxBackoffMs"> {
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v <= 0) throw ValidationError.forInput(name, "must be a positive number");
    return v;
  };
  return {
    since: options.since === undefined ? undefined : Date.parse(toIsoDate("since", options.since)),
    intervalMs: positive("intervalMs", options.intervalMs, 30_000),
    lookbackMs: positive("lookbackMs", options.lookbackMs, 120_000),
    batchSize: Math.floor(positive("batchSize", options.batchSize, 500)),
    maxRowsPerRead: Math.floor(positive("maxRowsPerRead", options.maxRowsPerRead, 20_000)),
    maxBackoffMs: positive("maxBackoffMs", options.maxBackoffMs, 300_000),
  };
}

/** Time as the follower uses it: the SDK's system clock unless a test injects one. */
export const DEFAULT_CLOCK = systemClock;
