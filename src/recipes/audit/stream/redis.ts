/**
 * Redis for the fleet: leases (one worker per organization) and checkpoints. ioredis is an optional peer loaded on
 * first use, by the same loader as the shared rate limiter's (src/http/limits/ioredis.ts). A lease is `SET key owner NX PX ttl`,
 * renewed while the worker lives and deleted on stop, both only by its owner (compare-and-act scripts); a checkpoint
 * is written only while the writer still holds the lease, so a worker that lost its lease cannot move it.
 */
import { loadIoredis } from "../../../http/limits/index.js";
import { nodeCrypto } from "../../../http/send/index.js";
import { parseCheckpoint, type AuditCheckpoint, type AuditCheckpointStore } from "./checkpoint.js";

/** The part of an ioredis client the stream uses. */
export interface AuditRedis {
  set(key: string, value: string, px: "PX", ttl: number, nx: "NX"): Promise<string | null>;
  get(key: string): Promise<string | null>;
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  quit(): Promise<unknown>;
}

/**
 * Connects to Redis with ioredis (an optional peer dependency).
 * @example const redis = await connectAuditRedis("redis://127.0.0.1:6379");
 * @throws {SentryConfigError} when ioredis is not installed.
 */
export async function connectAuditRedis(url: string): Promise<AuditRedis> {
  const Redis = await loadIoredis<new (url: string, options?: Record<string, unknown>) => AuditRedis>("checkpoint", "a redis:// checkpoint");
  // Bounded: a dead Redis fails a command after a few tries instead of queueing it forever.
  return new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000, enableOfflineQueue: true });
}

const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const FENCED_SET = `if redis.call("get", KEYS[1]) == ARGV[1] then redis.call("set", KEYS[2], ARGV[2]) return 1 else return 0 end`;

/** A lease on one key: exactly one owner at a time, for `ttlMs` after each acquire or renew. */
export interface AuditLease {
  readonly key: string;
  readonly owner: string;
  acquire(): Promise<boolean>;
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A lease in Redis.
 * @example const lease = redisLease(redis, "sentry-rbac:audit:acme:lease", 15_000); if (await lease.acquire()) follow();
 */
export function redisLease(redis: AuditRedis, key: string, ttlMs: number, owner: string = nodeCrypto().randomUUID()): AuditLease {
  return {
    key,
    owner,
    async acquire() {
      return (await redis.set(key, owner, "PX", ttlMs, "NX")) === "OK";
    },
    async renew() {
      return Number(await redis.eval(RENEW, 1, key, owner, ttlMs)) === 1;
    },
    async release() {
      await redis.eval(RELEASE, 1, key, owner);
    },
  };
}

/**
 * The lease was lost (expired and taken by another worker): this worker must stop following the organization.
 * @example catch (e) { if (e instanceof AuditLeaseLostError) console.warn("another worker follows this organization now"); }
 */
export class AuditLeaseLostError extends Error {
  readonly kind: "audit-lease-lost";
  constructor(key: string) {
    super(`lease ${key} is held by another worker`);
    this.name = "AuditLeaseLostError";
    this.kind = "audit-lease-lost";
  }
}

/**
 * A checkpoint in Redis, optionally fenced by a lease (saved only while the lease is held).
 * @example const store = redisCheckpoint(redis, "sentry-rbac:audit:acme:checkpoint", "acme");
 */
export function redisCheckpoint(redis: AuditRedis, key: string, org: string, lease?: AuditLease): AuditCheckpointStore {
  return {
    async load() {
      const text = await redis.get(key);
      return text === null ? undefined : parseCheckpoint(JSON.parse(text), org);
    },
    async save(checkpoint: AuditCheckpoint) {
      const text = JSON.stringify(checkpoint);
      if (lease === undefined) {
        await redis.eval(`redis.call("set", KEYS[1], ARGV[1]) return 1`, 1, key, text);
        return;
      }
      if (Number(await redis.eval(FENCED_SET, 2, lease.key, key, lease.owner, text)) !== 1) throw new AuditLeaseLostError(lease.key);
    },
    async close() {},
  };
}

/** Key names under a prefix (default `sentry-rbac:audit`). */
export function auditKeys(prefix: string, org: string): { lease: string; checkpoint: string } {
  return { lease: `${prefix}:${org}:lease`, checkpoint: `${prefix}:${org}:checkpoint` };
}

/**
 * Parses `redis://host:port/db?prefix=name` into the connection URL and the key prefix.
 * @example parseRedisCheckpoint("redis://127.0.0.1:6379/0?prefix=siem") // { url: "redis://127.0.0.1:6379/0", prefix: "siem" }
 */
export function parseRedisCheckpoint(spec: string): { url: string; prefix: string } {
  const url = new URL(spec);
  const prefix = url.searchParams.get("prefix") ?? "sentry-rbac:audit";
  url.searchParams.delete("prefix");
  return { url: url.toString().replace(/\?$/, ""), prefix };
}
