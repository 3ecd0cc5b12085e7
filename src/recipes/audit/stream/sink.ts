/**
 * Where records go. A sink's `write` resolves only once the records are acknowledged: flushed to the OS for a
 * stream (stdout), fsynced for a file, a 2xx for HTTP. The follower advances its checkpoint only after that, so a
 * kill can repeat at most the write in flight (stdout, HTTP) and nothing for a file, which reads its own tail on
 * restart and reports the ids it already holds.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { Writable } from "node:stream";
import { ValidationError } from "../../../http/errors/index.js";
import { recordKey } from "./formats.js";
import { httpSink, type HttpSinkOptions } from "./sink-http.js";
import type { AuditSink } from "./sink-contract.js";

export type { AuditSink } from "./sink-contract.js";

/**
 * A sink writing NDJSON to a stream (stdout by default); it never ends the stream.
 * @example const sink = streamSink(process.stdout);
 */
export function streamSink(stream: Writable): AuditSink {
  return {
    write(records) {
      if (records.length === 0) return Promise.resolve();
      const chunk = records.map((record) => `${JSON.stringify(record)}\n`).join("");
      return new Promise((resolve, reject) => {
        stream.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
    },
    async close() {},
  };
}

const TAIL_BYTES = 8 << 20;

/** Reads the end of an NDJSON file: the keys of its complete records, and where a cut-off last line starts. */
async function readTail(handle: FileHandle): Promise<{ keys: string[]; size: number }> {
  const { size } = await handle.stat();
  if (size === 0) return { keys: [], size: 0 };
  const start = Math.max(0, size - TAIL_BYTES);
  const buffer = Buffer.alloc(size - start);
  await handle.read(buffer, 0, buffer.length, start);
  const lastNewline = buffer.lastIndexOf(0x0a);
  const complete = lastNewline === -1 ? Buffer.alloc(0) : buffer.subarray(0, lastNewline + 1);
  const lines = complete.toString("utf8").split("\n");
  // A tail that starts mid-file begins with a partial line.
  if (start > 0) lines.shift();
  const keys: string[] = [];
  for (const line of lines) {
    if (line === "") continue;
    try {
      const key = recordKey(JSON.parse(line));
      if (key !== undefined) keys.push(key);
    } catch {
      // Not one of our records (a hand edit); it cannot be a repeat of ours, so it is left as it is.
    }
  }
  return { keys, size: start + (lastNewline === -1 ? 0 : lastNewline + 1) };
}

/**
 * An NDJSON file sink, exact across kills: each batch is appended and fsynced before it is acknowledged, and on
 * open a cut-off last line is removed and the keys of the records at the end are reported.
 * @example const sink = fileSink("/var/log/sentry/audit.ndjson");
 */
export function fileSink(path: string): AuditSink {
  let handle: FileHandle | undefined;
  let position = 0;
  let opening: Promise<string[]> | undefined;
  const start = (): Promise<string[]> =>
    (opening ??= (async () => {
      const opened = await open(path, "a+");
      const tail = await readTail(opened);
      await opened.truncate(tail.size);
      handle = opened;
      position = tail.size;
      return tail.keys;
    })());
  return {
    open: start,
    async write(records) {
      if (records.length === 0) return;
      await start();
      const file = handle as FileHandle;
      const data = Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(""), "utf8");
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await file.write(data, written, data.length - written, position + written);
        written += bytesWritten;
      }
      position += data.length;
      await file.sync();
    },
    async close() {
      await handle?.close();
      handle = undefined;
      opening = undefined;
    },
  };
}

/** What `sink` accepts: "-" or undefined for stdout, "file:PATH", an http(s) URL, a Writable, or an AuditSink. */
export type AuditSinkSpec = string | Writable | AuditSink;

function isSink(value: unknown): value is AuditSink {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AuditSink).write === "function" &&
    typeof (value as AuditSink).close === "function" &&
    !("writable" in value)
  );
}

/**
 * Resolves a sink spec. An http(s) URL ending in `/services/collector/event` is Splunk HEC (token from
 * `SPLUNK_HEC_TOKEN` unless given); any other URL is a generic JSON webhook.
 * @example const sink = resolveSink("file:audit.ndjson");
 * @throws {ValidationError} for a spec that is none of these.
 */
export function resolveSink(spec: AuditSinkSpec | undefined, http: HttpSinkOptions = {}): AuditSink {
  if (spec === undefined || spec === "-") return streamSink(process.stdout);
  if (typeof spec !== "string") return isSink(spec) ? spec : streamSink(spec);
  if (spec.startsWith("file:")) {
    const path = spec.slice("file:".length);
    if (path === "") throw ValidationError.forInput("sink", "file: needs a path (file:audit.ndjson)");
    return fileSink(path);
  }
  if (/^https?:\/\//i.test(spec)) return httpSink(spec, http);
  throw ValidationError.forInput("sink", 'must be "-" (stdout), file:PATH or an http(s) URL');
}
