/** What every audit-stream sink is (sink.ts for streams and files, sink-http.ts for HTTP), apart from both. */

/** A destination for audit-stream records (NDJSON lines, JSON objects, HTTP batches...). */
export interface AuditSink {
  /** Keys (a row id, or `alert:<id>`) of records already delivered by an earlier run; only sinks that can read back have it. */
  open?(): Promise<Iterable<string>>;
  /** Resolves once the records are acknowledged. */
  write(records: readonly unknown[], signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
