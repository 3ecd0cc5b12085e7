/**
 * Where the follower remembers how far it got: the lower bound of what may still be missing, the ids already
 * delivered at or above it, and the detector's pending threshold matches. Saved after every acknowledged batch.
 * Stores: a file (written to a temporary file, fsynced, renamed over the old one, directory fsynced: a kill at any
 * instant leaves either the old or the new checkpoint), Redis (see redis.ts), memory, or your own.
 */
import { open, rename, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ValidationError } from "../../../http/errors/index.js";
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
  if (c === null || typeof c !== "object" || c.v !== 1 || typeof c.org !== "string" || !Number.isFinite(c.lowerBound) || c.seen === null || typeof c.seen !== "object") {
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
