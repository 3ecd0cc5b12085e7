/**
 * Where the follower remembers how far it got: the lower bound of what may still be missing, the ids already
 * delivered at or above it, and the detector's pending threshold matches. Saved after every acknowledged batch.
 * Stores: a file (written to a temporary file, fsynced, renamed over the old one, directory fsynced: a kill at any
 * instant leaves either the old or the new checkpoint), Redis (see redis.ts), memory, or your own.
 */
import { open, rename, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { isSentryErrorOfKind, SentryError, ValidationError } from "../../../http/errors/errors.js";
import type { AuditDetectorState } from "./detect.js";

/** What a checkpoint holds. */
export interface AuditCheckpoint {
  v: 1;
  org: string;
  /** Epoch ms: every row dated before it has been delivered (or will never appear). */
  lowerBound: number;
  /** Row id → epoch ms of the rows delivered at or after `lowerBound`. */
  seen: Record<string, number>;
  detector: AuditDetectorState;
}

/** A checkpoint store. `save` resolves once the checkpoint is durable. */
export interface AuditCheckpointStore {
  load(): Promise<AuditCheckpoint | undefined>;
  save(checkpoint: AuditCheckpoint): Promise<void>;
  close(): Promise<void>;
}

/**
 * Checks a parsed checkpoint's shape.
 * @example const checkpoint = parseCheckpoint(JSON.parse(text), "acme");
 * @throws {ValidationError} when it is not a checkpoint of this organization.
 */
export function parseCheckpoint(value: unknown, org: string): AuditCheckpoint {
  const c = value as Partial<AuditCheckpoint> | null;
  if (
    c === null ||
    typeof c !== "object" ||
    c.v !== 1 ||
    typeof c.org !== "string" ||
    !Number.isFinite(c.lowerBound) ||
    c.seen === null ||
    typeof c.seen !== "object"
  ) {
    throw ValidationError.forInput("checkpoint", "is not an audit-stream checkpoint");
  }
  if (c.org !== org) throw ValidationError.forInput("checkpoint", `belongs to organization ${c.org}, not ${org}`);
  return { v: 1, org: c.org, lowerBound: c.lowerBound as number, seen: c.seen, detector: c.detector ?? {} };
}

/**
 * A checkpoint kept in a local file, replaced atomically.
 * @example const store = fileCheckpoint("/var/lib/sentry-rbac/acme.checkpoint.json", "acme");
 */
export function fileCheckpoint(path: string, org: string): AuditCheckpointStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      return parseCheckpoint(JSON.parse(text), org);
    },
    async save(checkpoint) {
      const temporary = `${path}.tmp`;
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(JSON.stringify(checkpoint));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
      // The rename is durable only once the directory entry is on disk.
      const directory = await open(dirname(path), "r");
      try {
        await directory.sync();
      } catch {
        // Some filesystems refuse fsync on a directory (EINVAL); the rename is then as durable as they allow.
      } finally {
        await directory.close();
      }
    },
    async close() {},
  };
}

/**
 * A checkpoint kept in memory (tests, or a caller that persists `AuditTailReport` itself).
 * @example const store = memoryCheckpoint(); await tailAuditLog(sentry, { checkpoint: store });
 */
export function memoryCheckpoint(initial?: AuditCheckpoint): AuditCheckpointStore & { readonly current: AuditCheckpoint | undefined } {
  let current = initial === undefined ? undefined : structuredClone(initial);
  return {
    get current() {
      return current;
    },
    async load() {
      return current === undefined ? undefined : structuredClone(current);
    },
    async save(checkpoint) {
      current = structuredClone(checkpoint);
    },
    async close() {},
  };
}

/**
 * Another process follows this checkpoint: a file checkpoint's lock file names a live process, or (without
 * `follow`) a Redis checkpoint's lease is held. Nothing was delivered.
 * @example catch (e) { if (e instanceof AuditCheckpointBusyError) console.error(e.message); }
 */
export class AuditCheckpointBusyError extends SentryError {
  override readonly kind: "audit-checkpoint-busy";
  /** The checkpoint (file path, or Redis lease key). */
  readonly checkpoint: string;
  constructor(checkpoint: string, holder: string, next: string) {
    super("audit-checkpoint-busy", `checkpoint ${checkpoint} is in use by ${holder}; ${next}`, {
      hint: "One process writes a checkpoint: stop the other one, or give this one its own checkpoint.",
    });
    this.name = "AuditCheckpointBusyError";
    this.kind = "audit-checkpoint-busy";
    this.checkpoint = checkpoint;
  }
}

/**
 * True for an {@link AuditCheckpointBusyError}, also across duplicate copies of the package.
 * @example catch (e) { if (isAuditCheckpointBusyError(e)) console.error(e.checkpoint, "is in use"); }
 */
export function isAuditCheckpointBusyError(value: unknown): value is AuditCheckpointBusyError {
  return isSentryErrorOfKind(value, "audit-checkpoint-busy");
}

interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

function readHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === "number" && typeof value.host === "string" ? { pid: value.pid, host: value.host, since: String(value.since ?? "") } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// A lock file with no readable holder is being written by its creator (between create and write) unless it is older.
const UNREADABLE_LOCK_STALE_MS = 10_000;

/**
 * Takes `<checkpoint>.lock` exclusively for this process: created with O_EXCL, holding the pid and host name. A lock
 * left by a process that died without removing it (kill -9) is taken over when it names this host and a pid that no
 * longer runs; a lock from another host is never guessed stale. Resolves with the release function.
 * @example const release = await lockFileCheckpoint("acme.checkpoint.json"); try { follow(); } finally { await release(); }
 * @throws {AuditCheckpointBusyError} when a live process holds the lock.
 */
export async function lockFileCheckpoint(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`;
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const release = async () => {
    const text = await readFile(lockPath, "utf8").catch(() => "");
    const holder = readHolder(text);
    if (holder?.pid === me.pid && holder.host === me.host) await unlink(lockPath).catch(() => undefined);
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(lockPath, "wx");
      try {
        await handle.writeFile(JSON.stringify(me));
        await handle.sync();
      } finally {
        await handle.close();
      }
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const text = await readFile(lockPath, "utf8").catch(() => undefined);
    if (text === undefined) continue; // removed meanwhile: try again
    const holder = readHolder(text);
    const age = Date.now() - ((await stat(lockPath).catch(() => undefined))?.mtimeMs ?? Date.now());
    const stale = holder === undefined ? age > UNREADABLE_LOCK_STALE_MS : holder.host === me.host && holder.pid !== me.pid && !isAlive(holder.pid);
    if (!stale) {
      const who = holder === undefined ? "another process" : `process ${holder.pid} on ${holder.host}${holder.since ? ` since ${holder.since}` : ""}`;
      throw new AuditCheckpointBusyError(
        path,
        `${who} (lock file ${lockPath})`,
        "one process per checkpoint: stop the other one, or remove the lock file if that process is gone",
      );
    }
    // Stale: move it aside under a name only this process uses (rename is atomic, so of two processes finding the same
    // stale lock only one moves it), check that what moved is the stale lock, then try to create ours again.
    const aside = `${lockPath}.${me.pid}.stale`;
    try {
      await rename(lockPath, aside);
    } catch {
      continue;
    }
    const moved = await readFile(aside, "utf8").catch(() => undefined);
    if (moved !== text) {
      // A live lock was created between our read and the rename: put it back and report it held.
      await rename(aside, lockPath).catch(() => undefined);
      const holderNow = moved === undefined ? undefined : readHolder(moved);
      throw new AuditCheckpointBusyError(
        path,
        `${holderNow ? `process ${holderNow.pid} on ${holderNow.host}` : "another process"} (lock file ${lockPath})`,
        "one process per checkpoint",
      );
    }
    await unlink(aside).catch(() => undefined);
  }
  throw new AuditCheckpointBusyError(path, `another process (lock file ${lockPath})`, "one process per checkpoint");
}
