/**
 * Where audit-export rows go: a file (created, or continued on resume after repairing its end) or a caller's Writable.
 * Every page is one write; when the stream's buffer is full the export waits for `drain` before fetching on.
 */
import { createWriteStream } from "node:fs";
import { truncate } from "node:fs/promises";
import type { Writable } from "node:stream";
import { CSV_HEADER, encodeRow, findResumePoint, type AuditExportFormat, type AuditExportRow } from "./audit-export-format.js";

/** An open export target. */
export interface ExportSink {
  /** Ids of rows already at the end of a resumed file. */
  readonly tailIds: readonly string[];
  writeRows(rows: readonly AuditExportRow[]): Promise<void>;
  /** Closes a JSON array (also after a failure, so the file stays valid) and closes a file this sink opened. */
  close(): Promise<void>;
}

function write(stream: Writable, chunk: string): Promise<void> {
  if (chunk === "") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once("error", onError);
    const flushed = stream.write(chunk, (error) => {
      if (error) reject(error);
    });
    const done = () => {
      stream.off("error", onError);
      resolve();
    };
    // Backpressure: a full buffer means wait for `drain` before the next page is fetched.
    if (flushed) done();
    else stream.once("drain", done);
  });
}

function endFile(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

/**
 * Opens the sink: a path is created fresh, or continued when `resume` is set (repairing a cut-off last record and
 * reopening a closed JSON array); a Writable is written to as is and never ended (it belongs to the caller).
 */
export async function openSink(to: string | Writable, format: AuditExportFormat, resume: boolean): Promise<ExportSink> {
  let stream: Writable;
  let hasRows = false;
  let tailIds: string[] = [];
  let prefix = "";
  if (typeof to === "string") {
    const point = resume ? await findResumePoint(to, format) : undefined;
    if (point?.exists) {
      await truncate(to, point.truncateTo);
      hasRows = point.hasRows;
      tailIds = point.tailIds;
    }
    const continuing = point?.exists === true && point.truncateTo > 0;
    stream = createWriteStream(to, { flags: continuing ? "a" : "w", encoding: "utf8" });
    if (!continuing) prefix = format === "csv" ? CSV_HEADER : format === "json" ? "[" : "";
  } else {
    stream = to;
    prefix = format === "csv" ? CSV_HEADER : format === "json" ? "[" : "";
  }
  await write(stream, prefix);

  return {
    tailIds,
    async writeRows(rows) {
      let chunk = "";
      for (const row of rows) {
        if (format === "json") chunk += hasRows ? ",\n" : "\n";
        chunk += encodeRow(row, format);
        hasRows = true;
      }
      await write(stream, chunk);
    },
    async close() {
      if (format === "json") await write(stream, hasRows ? "\n]\n" : "]\n");
      if (typeof to === "string") await endFile(stream);
    },
  };
}
