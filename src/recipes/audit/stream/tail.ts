/**
 * The public entry: `tailAuditLog(sentry, options)` resolves the checkpoint store, the sinks and the rules, then
 * follows one organization, or, with `orgs` and a redis:// checkpoint, takes part in a fleet (fleet.ts).
 */
import type { SentryClient } from "../../../client.js";
import { ValidationError } from "../../../http/errors/errors.js";
import { fileCheckpoint, lockFileCheckpoint, memoryCheckpoint, type AuditCheckpointStore } from "./checkpoint.js";
import { runAuditFleet } from "./fleet.js";
import { AuditFollower, type AuditTailReport } from "./follow.js";
import { parseRedisCheckpoint } from "./redis.js";
import { followSettings, isRedisCheckpoint, openSinks, type TailAuditLogOptions } from "./settings.js";

export type { TailAuditLogOptions } from "./settings.js";

interface Opened {
  store: AuditCheckpointStore;
  close: () => Promise<void>;
}

async function openStore(spec: TailAuditLogOptions["checkpoint"], org: string): Promise<Opened> {
  if (spec === undefined) return { store: memoryCheckpoint(), close: async () => {} };
  if (typeof spec !== "string") return { store: spec, close: () => spec.close() };
  if (spec === "") throw ValidationError.forInput("checkpoint", "must be a file path or a redis:// URL");
  const unlock = await lockFileCheckpoint(spec);
  return { store: fileCheckpoint(spec, org), close: unlock };
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
 * @throws {AuditCheckpointBusyError} when another process holds the file checkpoint's lock, or (without `follow`) the
 * Redis checkpoint's lease; with `follow` a held lease is waited for (standby).
 * @throws {AuditRedisUnavailableError} when a `redis://` checkpoint's Redis cannot be reached.
 */
export async function tailAuditLog(sentry: SentryClient, options: TailAuditLogOptions = {}): Promise<AuditTailReport> {
  const org = sentry.org.slug;
  if (org === undefined) throw ValidationError.forInput("org", "the client has no organization (pass org or call withOrg)");
  const settings = followSettings(org, options);
  if (isRedisCheckpoint(options.checkpoint)) return tailWithLease(sentry, org, options.checkpoint, options);
  const { store, close: closeStore } = await openStore(options.checkpoint, org);
  try {
    const sinks = openSinks(options);
    try {
      return await new AuditFollower(sentry, settings, store, sinks.sink, sinks.alertSink).run();
    } finally {
      await sinks.close();
    }
  } finally {
    await closeStore();
  }
}

/** A Redis checkpoint: the organization's lease first (a fleet of one), so only one process writes it. */
async function tailWithLease(sentry: SentryClient, org: string, spec: string, options: TailAuditLogOptions): Promise<AuditTailReport> {
  const { url, prefix } = parseRedisCheckpoint(spec);
  const { checkpoint: _checkpoint, sink, alertSink, onLease, follow, ...rest } = options;
  const report = await runAuditFleet(
    sentry,
    {
      ...rest,
      orgs: [org],
      redis: url,
      prefix,
      ...(sink === undefined ? {} : { sinkFor: () => sink }),
      ...(alertSink === undefined ? {} : { alertSinkFor: () => alertSink }),
      ...(onLease === undefined ? {} : { onLease: (_org: string, change: Parameters<typeof onLease>[0]) => onLease(change) }),
    },
    { once: follow !== true, stopOnError: true },
  );
  const result = report.orgs[org];
  if (result !== undefined && !("error" in result)) return result;
  // Stopped while standing by: nothing was delivered.
  const lowerBound = new Date(options.since === undefined ? Date.now() : new Date(options.since).getTime()).toISOString();
  return { org, rows: 0, alerts: 0, polls: 0, lowerBound, caughtUp: false, repeatsSkipped: 0 };
}

export type { AuditTailProgress, AuditTailReport } from "./follow.js";
