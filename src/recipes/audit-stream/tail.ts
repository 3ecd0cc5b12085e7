/**
 * The public entry: `tailAuditLog(sentry, options)` resolves the checkpoint store, the sinks and the rules, then
 * follows one organization, or, with `orgs` and a redis:// checkpoint, takes part in a fleet (fleet.ts).
 */
import type { SentryClient } from "../../client.js";
import { ValidationError } from "../../http/errors.js";
import { fileCheckpoint, memoryCheckpoint, type AuditCheckpointStore } from "./checkpoint.js";
import { AuditFollower, DEFAULT_CLOCK, normaliseFollow, type AuditTailProgress, type AuditTailReport, type FollowSettings } from "./follow.js";
import type { AuditStreamFormat } from "./formats.js";
import { auditKeys, connectAuditRedis, parseRedisCheckpoint, redisCheckpoint } from "./redis.js";
import { DEFAULT_AUDIT_RULES, resolveAuditRules, type AuditRule, type AuditRuleSet } from "./rules.js";
import { resolveSink, type AuditSink, type AuditSinkSpec } from "./sink.js";
import type { HttpSinkOptions } from "./sink-http.js";

/** Options of {@link tailAuditLog}. */
export interface TailAuditLogOptions {
  /** Backfill from here when there is no checkpoint (an existing checkpoint wins). Default: the last look-back window. */
  since?: Date | string;
  /** Keep polling after catching up (default false: catch up, then return). */
  follow?: boolean;
  /** A file path, `redis://host:port/db?prefix=…`, or a store of your own. Without one, nothing is remembered. */
  checkpoint?: string | AuditCheckpointStore;
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

interface Opened {
  store: AuditCheckpointStore;
  close: () => Promise<void>;
}

async function openStore(spec: TailAuditLogOptions["checkpoint"], org: string): Promise<Opened> {
  if (spec === undefined) return { store: memoryCheckpoint(), close: async () => {} };
  if (typeof spec !== "string") return { store: spec, close: () => spec.close() };
  if (/^rediss?:\/\//.test(spec)) {
    const { url, prefix } = parseRedisCheckpoint(spec);
    const redis = await connectAuditRedis(url);
    return { store: redisCheckpoint(redis, auditKeys(prefix, org).checkpoint, org), close: async () => { await redis.quit(); } };
  }
  if (spec === "") throw ValidationError.forInput("checkpoint", "must be a file path or a redis:// URL");
  return { store: fileCheckpoint(spec, org), close: async () => {} };
}

/** Builds the follower's settings from the options (validated once, up front). */
export function followSettings(org: string, options: TailAuditLogOptions): FollowSettings {
  const format = options.format ?? "sentry";
  if (!["sentry", "ocsf", "ecs"].includes(format)) throw ValidationError.forInput("format", 'must be "sentry", "ocsf" or "ecs"');
  const rules = options.rules === false ? [] : resolveAuditRules(options.rules ?? DEFAULT_AUDIT_RULES);
  return {
    org, format, rules,
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
  return { sink, alertSink, close: async () => { for (const s of owned) await s.close(); } };
}

/**
 * Follows the organization's audit log into a sink, oldest first, each row once, with privilege-change detections.
 * Backfills from `since` (or the checkpoint, which wins), then, with `follow`, polls every `intervalMs`.
 *
 * @example
 * const controller = new AbortController();
 * process.once("SIGTERM", () => controller.abort());
 * await tailAuditLog(sentry, {
 *   follow: true, since: "2026-01-01", checkpoint: "/var/lib/sentry-rbac/acme.json",
 *   format: "ocsf", sink: "file:/var/log/sentry/audit.ndjson", signal: controller.signal,
 * });
 * @throws {ValidationError} for bad options (before any request).
 * @throws {SentryApiError} for a permanent failure (401, 403...); transient ones are waited out while following.
 */
export async function tailAuditLog(sentry: SentryClient, options: TailAuditLogOptions = {}): Promise<AuditTailReport> {
  const org = sentry.org.slug;
  if (org === undefined) throw ValidationError.forInput("org", "the client has no organization (pass org or call withOrg)");
  const settings = followSettings(org, options);
  const { store, close: closeStore } = await openStore(options.checkpoint, org);
  const sinks = openSinks(options);
  try {
    return await new AuditFollower(sentry, settings, store, sinks.sink, sinks.alertSink).run();
  } finally {
    await sinks.close();
    await closeStore();
  }
}

export type { AuditTailProgress, AuditTailReport } from "./follow.js";
