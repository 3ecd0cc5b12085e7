/**
 * Shared by the audit-stream tests: an emulator on a clock the follower's sleeps advance (so polling needs no real
 * waiting), a client over it, and a sink that keeps what it was given.
 */
import { createSentryClient, type SentryClient } from "../../../../src/client.js";
import type { AuditSink } from "../../../../src/recipes/audit/stream/index.js";
import type { Emulator, EmulatorOptions } from "../../../../src/testing/index.js";
import { demoEmulator, NOW } from "../../../support/emulator.js";

export const START = NOW;

export interface Harness {
  emu: Emulator;
  sentry: SentryClient;
  clock: { now: () => number; sleep: (ms: number, signal?: AbortSignal) => Promise<void> };
  /** Requests that reached the audit-log route. */
  auditRequests: () => number;
  advance(ms: number): void;
  close(): Promise<void>;
}

/** An emulator whose clock moves only when the follower sleeps (or the test advances it). */
export function harness(options: EmulatorOptions = {}): Harness {
  let t = START;
  const emu = demoEmulator({ now: () => t, ...options });
  // The client reads the emulator's clock too, so a rate-limit reset is measured against the same time.
  const sentry = createSentryClient({
    org: emu.org,
    token: emu.adminToken,
    baseUrl: emu.baseUrl,
    fetch: emu.fetch,
    retry: false,
    rateLimit: false,
    clock: { now: () => t },
  });
  const clock = {
    now: () => t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      t += ms;
    },
  };
  return {
    emu,
    sentry,
    clock,
    auditRequests: () => emu.state.requests.filter((r) => r.operationId === "listOrganizationAuditLogs").length,
    advance: (ms) => {
      t += ms;
    },
    close: () => sentry.close(),
  };
}

/** A sink that keeps every record (in write order) and can be told to fail. */
export function memorySink(): AuditSink & { records: Array<Record<string, unknown>>; failNext: number } {
  const sink = {
    records: [] as Array<Record<string, unknown>>,
    failNext: 0,
    async write(records: readonly unknown[]) {
      if (sink.failNext > 0) {
        sink.failNext -= 1;
        throw Object.assign(new Error("sink down"), { kind: "audit-sink", status: 503 });
      }
      sink.records.push(...(records as Array<Record<string, unknown>>));
    },
    async close() {},
  };
  return sink;
}

/** Row ids of the records, rows only (alerts left out). */
export function rowIds(records: ReadonlyArray<Record<string, unknown>>): string[] {
  return records.filter((r) => r.type !== "alert").map((r) => String(r.id));
}
