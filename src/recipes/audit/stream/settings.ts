/**
 * What `tailAuditLog` and the fleet share: the options, their validation into follower settings, and the sinks they
 * name. Apart from tail.ts so that tail.ts (which runs a Redis checkpoint through the fleet) and fleet.ts (which
 * follows with these settings) do not import each other.
 */
import { ValidationError } from "../../../http/errors/errors.js";
import type { AuditCheckpointStore } from "./checkpoint.js";
import { DEFAULT_CLOCK, normaliseFollow, type AuditTailProgress, type FollowSettings } from "./follow.js";
import type { AuditStreamFormat } from "./formats.js";
import { DEFAULT_AUDIT_RULES, resolveAuditRules, type AuditRule, type AuditRuleSet } from "./rules.js";
import { resolveSink, type AuditSink, type AuditSinkSpec } from "./sink.js";
import type { HttpSinkOptions } from "./sink-http.js";

/** Options of `tailAuditLog`. */
export interface TailAuditLogOptions {
  /** Backfill from here when there is no checkpoint (an existing checkpoint wins). Default: the last look-back window. */
  since?: Date | string;
  /** Keep polling after catching up (default false: catch up, then return). */
  follow?: boolean;
  /**
   * A file path, `redis://host:port/db?prefix=…`, or a store of your own. Without one, nothing is remembered.
   * One writer per checkpoint: a file path is locked (`<path>.lock`), a Redis checkpoint is fenced by the
   * organization's lease (as in `followAuditFleet`); with `follow` a second process waits as a standby.
   */
  checkpoint?: string | AuditCheckpointStore;
  /** Lease lifetime of a Redis checkpoint; default 30 s (renewed every third of it). */
  leaseMs?: number;
  /** Told when this process takes, loses or waits for the lease of a Redis checkpoint ("held-elsewhere": standby). */
  onLease?: (change: "acquired" | "lost" | "released" | "held-elsewhere") => void;
  /** Poll interval when caught up; default 30 s. */
  intervalMs?: number;
  /** Row format; default `sentry` (rows as Sentry returns them). */
  format?: AuditStreamFormat;
  /** `-` (stdout, default), `file:PATH`, an http(s) URL (Splunk HEC or webhook), a Writable or an AuditSink. */
  sink?: AuditSinkSpec;
  /** Alerts go here instead of `sink`. */
  alertSink?: AuditSinkSpec;
  /** HTTP sink settings (token, batch size, timeouts...). */
  http?: HttpSinkOptions;
  /** Detection rules; default DEFAULT_AUDIT_RULES; `false` for none. */
  rules?: AuditRuleSet | readonly AuditRule[] | false;
  /** Write alerts only (rows are still read, checkpointed and fed to the rules). */
  alertsOnly?: boolean;
  /** How late a row may be committed and still be delivered; default 120 s. Each poll re-reads this window. */
  lookbackMs?: number;
  /** Rows per sink write and checkpoint; default 500. */
  batchSize?: number;
  /** Rows one read may hold in memory during a backfill before it is split; default 20,000. */
  maxRowsPerRead?: number;
  /** Longest wait after repeated transient failures while following; default 5 min. */
  maxBackoffMs?: number;
  /** Stops the tail (it then returns its report). */
  signal?: AbortSignal;
  onProgress?: (progress: AuditTailProgress) => void;
  /** Called before waiting out a transient failure while following (message already redacted). */
  onError?: (error: unknown, retryInMs: number) => void;
  /** Injectable time. */
  clock?: { now?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> };
}

/** True for a `redis://` or `rediss://` checkpoint spec. */
export function isRedisCheckpoint(spec: unknown): spec is string {
  return typeof spec === "string" && /^rediss?:\/\//.test(spec);
}

/** Builds the follower's settings from the options (validated once, up front). */
export function followSettings(org: string, options: TailAuditLogOptions): FollowSettings {
  const format = options.format ?? "sentry";
  if (!["sentry", "ocsf", "ecs"].includes(format)) throw ValidationError.forInput("format", 'must be "sentry", "ocsf" or "ecs"');
  const rules = options.rules === false ? [] : resolveAuditRules(options.rules ?? DEFAULT_AUDIT_RULES);
  return {
    org,
    format,
    rules,
    follow: options.follow ?? false,
    alertsOnly: options.alertsOnly ?? false,
    ...normaliseFollow(options),
    signal: options.signal,
    now: options.clock?.now ?? (() => DEFAULT_CLOCK.now()),
    sleep: options.clock?.sleep ?? ((ms, signal) => DEFAULT_CLOCK.sleep(ms, signal)),
    onProgress: options.onProgress,
    onError: options.onError,
  };
}

/** Opens the sinks named by the options (sinks passed as objects are the caller's to close). */
export function openSinks(options: TailAuditLogOptions): { sink: AuditSink; alertSink: AuditSink; close: () => Promise<void> } {
  const owned: AuditSink[] = [];
  const own = (spec: AuditSinkSpec | undefined): AuditSink => {
    const sink = resolveSink(spec, options.http);
    if (sink !== spec) owned.push(sink);
    return sink;
  };
  const sink = own(options.sink);
  const alertSink = options.alertSink === undefined ? sink : own(options.alertSink);
  return {
    sink,
    alertSink,
    close: async () => {
      for (const s of owned) await s.close();
    },
  };
}
