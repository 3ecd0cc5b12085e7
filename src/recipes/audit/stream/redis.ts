/**
 * Redis for the fleet: leases (one worker per organization) and checkpoints. ioredis is an optional peer loaded on
 * first use, by the same loader as the shared rate limiter's (src/http/limits/ioredis.ts). A lease is `SET key owner NX PX ttl`,
 * renewed while the worker lives and deleted on stop, both only by its owner (compare-and-act scripts); a checkpoint
 * is written only while the writer still holds the lease, so a worker that lost its lease cannot move it.
 */
import { describeNetworkCode, isSentryErrorOfKind, SentryError } from "../../../http/errors/errors.js";
import { nodeCrypto } from "../../../http/send/node-crypto.js";
import { loadIoredis } from "../../../http/limits/index.js";
import { parseCheckpoint, type AuditCheckpoint, type AuditCheckpointStore } from "./checkpoint.js";

/** The part of an ioredis client the stream uses. */
export interface AuditRedis {
  set(key: string, value: string, px: "PX", ttl: number, nx: "NX"): Promise<string | null>;
  get(key: string): Promise<string | null>;
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  quit(): Promise<unknown>;
}

/**
 * Redis could not be reached when the stream connected. `url` has no password; `reason` is the cause in words.
 * @example catch (e) { if (e instanceof AuditRedisUnavailableError) console.error(e.message); } // "cannot reach Redis at redis://redis:6379: connection refused (ECONNREFUSED)"
 */
export class AuditRedisUnavailableError extends SentryError {
  override readonly kind: "audit-redis-unavailable";
  readonly url: string;
  readonly code: string | undefined;
  readonly reason: string;
  constructor(url: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const known = typeof code === "string" ? describeNetworkCode(code) : undefined;
    const reason = known && known.reason !== "network error" ? known.reason : cause instanceof Error ? cause.message : "unreachable";
    const shown = withoutPassword(url);
    super("audit-redis-unavailable", `cannot reach Redis at ${shown}: ${reason}${typeof code === "string" ? ` (${code})` : ""}`, {
      cause,
      hint: "Check that the Redis of --checkpoint answers (host, port, password, TLS), or use a file checkpoint.",
    });
    this.name = "AuditRedisUnavailableError";
    this.kind = "audit-redis-unavailable";
    this.url = shown;
    this.code = typeof code === "string" ? code : undefined;
    this.reason = reason;
  }
}

/**
 * True for an {@link AuditRedisUnavailableError}, also across duplicate copies of the package.
 * @example catch (e) { if (isAuditRedisUnavailableError(e)) console.error(e.url, e.reason); }
 */
export function isAuditRedisUnavailableError(value: unknown): value is AuditRedisUnavailableError {
  return isSentryErrorOfKind(value, "audit-redis-unavailable");
}

/** The URL with its password (if any) removed, for messages. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return parsed.toString();
    parsed.password = "";
    return parsed.toString().replace(/:@/, "@");
  } catch {
    return "the configured Redis URL";
  }
}

interface IoRedisClient extends AuditRedis {
  connect(): Promise<void>;
  disconnect(): void;
  on(event: "error", listener: (error: unknown) => void): unknown;
}

/**
 * Connects to Redis with ioredis (an optional peer dependency). The first connection is awaited, so an unreachable
 * Redis fails here, once, naming the URL and the cause; later connection errors surface through the failing
 * commands (ioredis' own "Unhandled error event" printing is switched off).
 * @example const redis = await connectAuditRedis("redis://127.0.0.1:6379");
 * @throws {SentryConfigError} when ioredis is not installed.
 * @throws {AuditRedisUnavailableError} when Redis does not answer.
 */
export async function connectAuditRedis(url: string): Promise<AuditRedis> {
  const Redis = await loadIoredis<new (url: string, options?: Record<string, unknown>) => IoRedisClient>("checkpoint", "a redis:// checkpoint");
  // Bounded: a dead Redis fails a command after a few tries instead of queueing it forever.
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5_000, enableOfflineQueue: true });
  let firstError: unknown;
  client.on("error", (error) => {
    firstError ??= error;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new AuditRedisUnavailableError(url, firstError ?? error);
  }
  return client;
}

const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const PTTL = `return redis.call("pttl", KEYS[1])`;
const FENCED_SET = `if redis.call("get", KEYS[1]) == ARGV[1] then redis.call("set", KEYS[2], ARGV[2]) return 1 else return 0 end`;

/** A lease on one key: exactly one owner at a time, for `ttlMs` after each acquire or renew. */
export interface AuditLease {
  readonly key: string;
  readonly owner: string;
  acquire(): Promise<boolean>;
  renew(): Promise<boolean>;
  release(): Promise<void>;
  /** Milliseconds until the lease expires unless renewed (negative when nobody holds it); absent: unknown. */
  remainingMs?(): Promise<number>;
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
    async remainingMs() {
      return Number(await redis.eval(PTTL, 1, key));
    },
  };
}

/**
 * The lease was lost (expired and taken by another worker): this worker must stop following the organization.
 * @example catch (e) { if (e instanceof AuditLeaseLostError) console.warn("another worker follows this organization now"); }
 */
export class AuditLeaseLostError extends SentryError {
  override readonly kind: "audit-lease-lost";
  constructor(key: string) {
    super("audit-lease-lost", `lease ${key} is held by another worker`, {
      hint: "Another worker follows this organization now; this one stops. Start it again to stand by for the lease.",
    });
    this.name = "AuditLeaseLostError";
    this.kind = "audit-lease-lost";
  }
}

/**
 * True for an {@link AuditLeaseLostError}, also across duplicate copies of the package.
 * @example catch (e) { if (isAuditLeaseLostError(e)) console.warn("another worker follows this organization now"); }
 */
export function isAuditLeaseLostError(value: unknown): value is AuditLeaseLostError {
  return isSentryErrorOfKind(value, "audit-lease-lost");
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
