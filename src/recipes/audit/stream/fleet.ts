/**
 * Several workers, many organizations: each worker tries to lease every organization in Redis; the holder of an
 * organization's lease follows it (checkpoint in Redis, written only while the lease is held) and renews the
 * lease every third of its lifetime. A worker that dies stops renewing, its leases expire, and another worker
 * takes the organization over within one lease lifetime (plus one acquire round), resuming from the checkpoint.
 * Before each sink write the lease is checked and extended, so a worker that lost its lease stops writing.
 */
import type { SentryClient } from "../../../client.js";
import { ValidationError } from "../../../http/errors/errors.js";
import { nodeCrypto } from "../../../http/send/node-crypto.js";
import { AuditCheckpointBusyError } from "./checkpoint.js";
import { systemClock } from "../../../config.js";
import { AuditFollower } from "./follow.js";
import { AuditLeaseLostError, auditKeys, connectAuditRedis, redisCheckpoint, redisLease, type AuditLease, type AuditRedis } from "./redis.js";
import type { AuditSink, AuditSinkSpec } from "./sink.js";
import type { AuditTailReport } from "./follow.js";
import { followSettings, openSinks, type TailAuditLogOptions } from "./settings.js";

/** Options of {@link followAuditFleet}. */
export interface AuditFleetOptions extends Omit<TailAuditLogOptions, "checkpoint" | "sink" | "alertSink" | "follow" | "leaseMs" | "onLease"> {
  /** The organizations this fleet follows (every worker gets the same list). */
  orgs: string[];
  /** A redis:// URL or a connected ioredis client (left open). */
  redis: string | AuditRedis;
  /** Key prefix; default `sentry-rbac:audit`. */
  prefix?: string;
  /** Lease lifetime; default 30 s (renewed every third of it). */
  leaseMs?: number;
  /** The sink for an organization's records; default stdout. */
  sinkFor?: (org: string) => AuditSinkSpec;
  alertSinkFor?: (org: string) => AuditSinkSpec;
  /** Told when this worker starts or stops following an organization, and when a round found it held by another. */
  onLease?: (org: string, change: "acquired" | "lost" | "released" | "held-elsewhere") => void;
  /** This worker's lease owner id; default a random UUID. */
  workerId?: string;
}

/** What a fleet worker did, per organization it followed (the last run of each). */
export interface AuditFleetReport {
  workerId: string;
  orgs: Record<string, AuditTailReport | { error: string }>;
}

function fenced(sink: AuditSink, lease: AuditLease): AuditSink {
  return {
    ...(sink.open ? { open: () => (sink.open as () => Promise<Iterable<string>>)() } : {}),
    async write(records, signal) {
      if (!(await lease.renew())) throw new AuditLeaseLostError(lease.key);
      await sink.write(records, signal);
    },
    close: () => sink.close(),
  };
}

interface Running {
  controller: AbortController;
  lease: AuditLease;
  done: Promise<void>;
}

/** How {@link runAuditFleet} runs: the public fleet follows forever; `tailAuditLog` with a Redis checkpoint also runs it once. */
export interface AuditFleetMode {
  /** Catch up once per organization and return; a held lease is an {@link AuditCheckpointBusyError} instead of a wait. */
  once: boolean;
  /** A permanent failure of one organization stops the whole run and is thrown (the CLI); else it is reported and retried. */
  stopOnError: boolean;
}

/**
 * Runs one fleet worker until `signal` aborts; start the same call on every worker.
 * @example
 * await followAuditFleet(sentry, {
 *   orgs: ["acme", "acme-labs"], redis: "redis://redis:6379", signal,
 *   sinkFor: (org) => `file:/var/log/sentry/${org}.ndjson`, format: "ecs",
 * });
 * @throws {ValidationError} for bad options; {@link SentryConfigError} without ioredis.
 */
export async function followAuditFleet(sentry: SentryClient, options: AuditFleetOptions): Promise<AuditFleetReport> {
  return runAuditFleet(sentry, options, { once: false, stopOnError: false });
}

/**
 * The fleet loop behind {@link followAuditFleet} and a Redis-checkpointed `tailAuditLog`. A standby (an organization
 * whose lease another worker holds) retries when the lease would expire (its remaining time, read from Redis), at
 * most a third of the lease lifetime apart, so it takes over within one lifetime after the holder's last renewal.
 * @internal
 */
export async function runAuditFleet(sentry: SentryClient, options: AuditFleetOptions, mode: AuditFleetMode): Promise<AuditFleetReport> {
  if (!Array.isArray(options.orgs) || options.orgs.length === 0) throw ValidationError.forInput("orgs", "must list at least one organization");
  const leaseMs = options.leaseMs ?? 30_000;
  if (!(leaseMs >= 100)) throw ValidationError.forInput("leaseMs", "must be at least 100 ms");
  const follow = !mode.once;
  const { onLease: _onLease, leaseMs: _leaseMs, ...shared } = options;
  for (const org of options.orgs) followSettings(org, { ...shared, follow });
  const redis = typeof options.redis === "string" ? await connectAuditRedis(options.redis) : options.redis;
  const prefix = options.prefix ?? "sentry-rbac:audit";
  const workerId = options.workerId ?? nodeCrypto().randomUUID();
  const sleep = options.clock?.sleep ?? ((ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal));
  const report: AuditFleetReport = { workerId, orgs: {} };
  const running = new Map<string, Running>();
  const finished = new Set<string>();
  const stop = new AbortController();
  const stopSignal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let failure: { error: unknown } | undefined;
  // Woken when a follower ends, so a finished or failed organization is seen without waiting out the round.
  let wake = new AbortController();

  const start = (org: string, lease: AuditLease): void => {
    const controller = new AbortController();
    const signal = AbortSignal.any([stopSignal, controller.signal]);
    const tailOptions: TailAuditLogOptions = {
      ...shared,
      follow,
      signal,
      ...(options.sinkFor ? { sink: options.sinkFor(org) } : {}),
      ...(options.alertSinkFor ? { alertSink: options.alertSinkFor(org) } : {}),
    };
    const sinks = openSinks(tailOptions);
    const store = redisCheckpoint(redis, auditKeys(prefix, org).checkpoint, org, lease);
    const alertSink = sinks.alertSink === sinks.sink ? fenced(sinks.sink, lease) : fenced(sinks.alertSink, lease);
    const sink = sinks.alertSink === sinks.sink ? alertSink : fenced(sinks.sink, lease);
    const follower = new AuditFollower(sentry.withOrg(org), followSettings(org, tailOptions), store, sink, alertSink);
    options.onLease?.(org, "acquired");
    const done = follower
      .run()
      .then((result) => {
        report.orgs[org] = result;
        if (mode.once) finished.add(org);
      })
      .catch((error: unknown) => {
        report.orgs[org] = { error: error instanceof Error ? error.message : "failed" };
        if (error instanceof AuditLeaseLostError) options.onLease?.(org, "lost");
        else if (mode.stopOnError || mode.once) {
          failure ??= { error };
          stop.abort();
        }
      })
      .finally(async () => {
        await sinks.close();
        running.delete(org);
        await lease.release().catch(() => undefined);
        wake.abort();
      });
    running.set(org, { controller, lease, done });
  };

  try {
    while (!stopSignal.aborted && finished.size < options.orgs.length) {
      let nextMs = Math.floor(leaseMs / 3);
      for (const org of options.orgs) {
        if (running.has(org) || finished.has(org) || stopSignal.aborted) continue;
        const lease = redisLease(redis, auditKeys(prefix, org).lease, leaseMs, workerId);
        if (await lease.acquire().catch(() => false)) {
          start(org, lease);
          continue;
        }
        if (mode.once) {
          throw new AuditCheckpointBusyError(lease.key, "another worker (its lease is held)", "run with follow to wait as its standby");
        }
        options.onLease?.(org, "held-elsewhere");
        const remaining = await lease.remainingMs?.().catch(() => undefined);
        // Retry just after the lease would expire (a few ms late, so the key is gone when we ask again).
        if (remaining !== undefined && remaining >= 0) nextMs = Math.min(nextMs, remaining + 5);
      }
      for (const [org, run] of running) {
        if (!(await run.lease.renew().catch(() => false))) {
          run.controller.abort(new AuditLeaseLostError(run.lease.key));
          options.onLease?.(org, "lost");
        }
      }
      if (stopSignal.aborted || finished.size === options.orgs.length) break;
      wake = new AbortController();
      await sleep(Math.max(1, nextMs), AbortSignal.any([stopSignal, wake.signal])).catch(() => undefined);
    }
  } finally {
    for (const run of running.values()) run.controller.abort();
    await Promise.all([...running.values()].map((run) => run.done));
    for (const org of options.orgs) if (report.orgs[org] !== undefined) options.onLease?.(org, "released");
    if (typeof options.redis === "string") await redis.quit();
  }
  if (failure) throw failure.error;
  return report;
}
