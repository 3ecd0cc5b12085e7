/**
 * Where audit-export rows go: a file or a caller's Writable. A checkpoint is taken only once its page is durable:
 * for a file, written at a known offset and fsynced (so a kill -9 right after the checkpoint loses nothing); for a
 * Writable, accepted by the stream's own write callback. A resumed file is cut back to the offset its checkpoint
 * recorded, so resuming from any checkpoint the export ever reported is exact: whatever the file holds after that
 * offset is fetched and written again, never duplicated.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { Writable } from "node:stream";
import { ValidationError } from "../../../http/errors/index.js";
import { CSV_HEADER, encodeRow, readTailIds, type AuditExportFormat, type AuditExportRow } from "./format.js";

/** The position of a file export at a checkpoint: bytes durable on disk, rows in them, the last row's id. */
export interface FilePosition {
  bytes: number;
  rows: number;
  last: string | undefined;
}

/** An open export target. */
export interface ExportSink {
  /** Ids of the rows just before the resume point (a page boundary may repeat them). */
  readonly tailIds: readonly string[];
  /** Writes one page; resolves once it is durable (file: fsynced; Writable: accepted by its callback). */
  writeRows(rows: readonly AuditExportRow[]): Promise<void>;
  /** Where a file export stands after the last durable page; undefined for a Writable. */
  position(): FilePosition | undefined;
  /**
   * Closes a JSON array (also after a failure, so the file stays valid) and a file this sink opened. `complete`
   * false with nothing written leaves no file at all.
   */
  close(complete: boolean): Promise<void>;
}

/** How to open a file target. */
export interface FileTarget {
  path: string;
  /** The checkpoint to continue from; undefined for a fresh export. */
  resume: FilePosition | undefined;
  /** Replace an existing file on a fresh export (else one that exists is refused). */
  overwrite: boolean;
}

function prefixOf(format: AuditExportFormat): string {
  return format === "csv" ? CSV_HEADER : format === "json" ? "[" : "";
}

/** The text of a page; `first` tells whether the JSON array holds no row yet. */
function encodePage(rows: readonly AuditExportRow[], format: AuditExportFormat, first: boolean): string {
  let chunk = "";
  let empty = first;
  for (const row of rows) {
    // JSON: the separator goes before a row, so the file after a row (a checkpoint) ends with a whole row.
    if (format === "json") chunk += empty ? "\n" : ",\n";
    chunk += encodeRow(row, format);
    empty = false;
  }
  return chunk;
}

/**
 * Opens a file target. Nothing is created until the first page (or the end of an empty export) is written, so an
 * export that fails before any row (a 403, say) leaves no file behind.
 * @throws {ValidationError} (field `to`) for a fresh export onto an existing file without `overwrite`; (field
 * `cursor`) when the file does not hold what the checkpoint says.
 */
export async function openFileSink(target: FileTarget, format: AuditExportFormat): Promise<ExportSink> {
  let handle: FileHandle | undefined;
  let tailIds: string[] = [];
  let position: FilePosition = { bytes: 0, rows: 0, last: undefined };
  if (target.resume) {
    handle = await open(target.path, "r+").catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException | null)?.code ?? "error";
      throw ValidationError.forInput("cursor", `cannot reopen ${target.path} to resume (${code})`);
    });
    const { size } = await handle.stat();
    const tail = size >= target.resume.bytes ? await readTailIds(handle, target.resume.bytes, format) : undefined;
    if (tail === undefined || tail.at(-1) !== target.resume.last) {
      await handle.close();
      throw ValidationError.forInput("cursor", `${target.path} does not hold the rows this checkpoint was reported for`);
    }
    tailIds = tail;
    position = { ...target.resume };
    // Whatever follows the checkpoint (a page not yet checkpointed, a cut-off record, a closing bracket) goes.
    await handle.truncate(position.bytes);
  } else {
    try {
      const existing = await open(target.path, "r");
      await existing.close();
      if (!target.overwrite) throw ValidationError.forInput("to", `${target.path} exists; pass overwrite: true to replace it, or a cursor to resume it`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  const writeAt = async (text: string, advance: boolean): Promise<void> => {
    if (handle === undefined) {
      // wx: a file that appeared since the check above is still not overwritten unless asked.
      handle = await open(target.path, target.overwrite ? "w" : "wx");
      const prefix = Buffer.from(prefixOf(format));
      await handle.write(prefix, 0, prefix.length, 0);
      position = { bytes: prefix.length, rows: 0, last: undefined };
    }
    if (text === "") return;
    const bytes = Buffer.from(text);
    await handle.write(bytes, 0, bytes.length, position.bytes);
    if (advance) position = { ...position, bytes: position.bytes + bytes.length };
  };

  let opened = target.resume !== undefined;
  return {
    tailIds,
    async writeRows(rows) {
      opened = true;
      await writeAt(encodePage(rows, format, position.rows === 0), true);
      await handle?.datasync();
      const last = rows.at(-1);
      if (last !== undefined) position = { ...position, rows: position.rows + rows.length, last: last.id };
    },
    position: () => (opened ? { ...position } : undefined),
    async close(complete) {
      if (handle === undefined && !opened && !complete) return; // failed before any row: leave nothing behind
      if (format === "json") await writeAt(position.rows > 0 ? "\n]\n" : "]\n", false);
      else await writeAt("", false);
      await handle?.datasync();
      await handle?.close();
    },
  };
}

/** Opens a sink over a caller's Writable: written to as is and never ended (it belongs to the caller). */
export function openStreamSink(stream: Writable, format: AuditExportFormat): ExportSink {
  let rows = 0;
  let started = false;
  const put = (chunk: string): Promise<void> => {
    if (!started) {
      started = true;
      chunk = prefixOf(format) + chunk;
    }
    return chunk === "" ? Promise.resolve() : writeStream(stream, chunk);
  };
  return {
    tailIds: [],
    async writeRows(page) {
      await put(encodePage(page, format, rows === 0));
      rows += page.length;
    },
    position: () => undefined,
    async close() {
      if (format === "json") await put(rows > 0 ? "\n]\n" : "]\n");
      else await put("");
    },
  };
}

/** Resolves once the stream's write callback says the chunk was handled, and any backpressure has eased. */
function writeStream(stream: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once("error", onError);
    let written = false;
    let drained = false;
    const done = () => {
      if (!written || !drained) return;
      stream.off("error", onError);
      resolve();
    };
    drained = stream.write(chunk, (error) => {
      if (error) return reject(error);
      written = true;
      done();
    });
    if (!drained)
      stream.once("drain", () => {
        drained = true;
        done();
      });
  });
}
