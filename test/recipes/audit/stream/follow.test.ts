// tailAuditLog against the emulator's live audit mode: every row once, oldest first, late commits and equal
// timestamps included; checkpoints; idle cost; transient failures. The emulator models Sentry's newest-first
// DateTimePaginator order (src/sentry/api/paginator.py) and outbox-delayed rows (audit_log/services/log/impl.py).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileSink, memoryCheckpoint, tailAuditLog, type AuditCheckpointStore } from "../../../../src/recipes/audit/stream/index.js";
import { harness, memorySink, rowIds, START } from "./helpers.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-stream-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectedIds(h: ReturnType<typeof harness>, from: number): string[] {
  return h.emu.state.auditLog.filter((e) => Date.parse(e.dateCreated) >= from).map((e) => e.id);
}

describe("tailAuditLog", () => {
  it("delivers every live row exactly once, oldest first, with equal timestamps and late commits", async () => {
    const h = harness();
    const live = h.emu.liveAudit({ ratePerSecond: 40, maxRows: 3_000, sameTimestamp: 4, lateFraction: 0.05, lateByMs: 8_000, seed: 3 });
    const sink = memorySink();
    const controller = new AbortController();
    const report = await tailAuditLog(h.sentry, {
      follow: true,
      since: new Date(START),
      intervalMs: 5_000,
      lookbackMs: 15_000,
      sink,
      rules: false,
      clock: h.clock,
      signal: controller.signal,
      onProgress: (p) => {
        if (live.written === 3_000 && p.caughtUp && h.clock.now() > START + (3_000 / 40) * 1000 + 60_000) controller.abort();
      },
    });
    const ids = rowIds(sink.records);
    expect(new Set(ids).size).toBe(ids.length);
    // Rows dated before `since` (late commits from the first seconds) are outside the range asked for.
    const expected = expectedIds(h, START);
    expect(expected.length).toBeGreaterThan(2_950);
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(report.rows).toBe(expected.length);
    // Oldest first within what each poll found: dates never go backwards except for a late row.
    const dates = sink.records.map((r) => Date.parse(String(r.dateCreated)));
    const backwards = dates.filter((d, i) => i > 0 && d < (dates[i - 1] as number)).length;
    expect(backwards).toBeLessThanOrEqual(3_000 * 0.05 + 5);
    await h.close();
  });

  it("resumes from its checkpoint (which wins over since) and a file sink's tail: nothing lost, nothing repeated", async () => {
    const h = harness({ auditRows: 1_500 });
    h.emu.liveAudit({ ratePerSecond: 20, maxRows: 400, sameTimestamp: 3, lateFraction: 0.1, lateByMs: 10_000, seed: 5 });
    const path = join(dir, "resume.ndjson");
    const saved = memoryCheckpoint();
    let saves = 0;
    // A checkpoint store that "crashes" on its 4th save: the batch is in the file, the checkpoint is not.
    const crashing: AuditCheckpointStore = {
      load: () => saved.load(),
      save: async (c) => {
        if (++saves === 4) throw new Error("killed");
        await saved.save(c);
      },
      close: async () => {},
    };
    const since = new Date(START - 200 * 86_400_000);
    await expect(
      tailAuditLog(h.sentry, { since, sink: fileSink(path), checkpoint: crashing, batchSize: 200, rules: false, clock: h.clock, lookbackMs: 20_000 }),
    ).rejects.toThrow("killed");
    // Restart with a later `since`: the checkpoint wins, so the backfill still starts where the first run stopped.
    const controller = new AbortController();
    await tailAuditLog(h.sentry, {
      follow: true,
      since: new Date(START),
      sink: fileSink(path),
      checkpoint: saved,
      batchSize: 200,
      rules: false,
      clock: h.clock,
      lookbackMs: 20_000,
      intervalMs: 5_000,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.caughtUp && h.clock.now() > START + 80_000) controller.abort();
      },
    });
    const ids = (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((line) => String((JSON.parse(line) as { id: string }).id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(1_900);
    expect([...ids].sort()).toEqual(expectedIds(h, since.getTime()).sort());
    await h.close();
  });

  it("costs one request per interval when idle", async () => {
    const h = harness({ auditRows: 300 });
    const controller = new AbortController();
    let polls = 0;
    await tailAuditLog(h.sentry, {
      follow: true,
      since: new Date(START - 86_400_000),
      sink: memorySink(),
      rules: false,
      clock: h.clock,
      intervalMs: 30_000,
      signal: controller.signal,
      onProgress: (p) => {
        polls = p.polls;
        if (p.polls >= 12) controller.abort();
      },
    });
    const before = h.auditRequests();
    expect(polls).toBe(12);
    // The backfill reads a few pages; later polls, past the look-back, read one page each.
    const controller2 = new AbortController();
    const checkpoint = memoryCheckpoint();
    await tailAuditLog(h.sentry, { since: new Date(START - 86_400_000), sink: memorySink(), rules: false, clock: h.clock, checkpoint });
    const afterCatchUp = h.auditRequests();
    await tailAuditLog(h.sentry, {
      follow: true,
      sink: memorySink(),
      rules: false,
      clock: h.clock,
      checkpoint,
      intervalMs: 30_000,
      signal: controller2.signal,
      onProgress: (p) => {
        if (p.polls >= 10) controller2.abort();
      },
    });
    expect(h.auditRequests() - afterCatchUp).toBe(10);
    expect(before).toBeGreaterThan(0);
    await h.close();
  });

  it("waits out 503s from Sentry and a failing sink while following, losing nothing", async () => {
    const h = harness({ faults: { rules: [{ operation: "listOrganizationAuditLogs", probability: 0.2, fault: 503 }] }, seed: 9 });
    h.emu.liveAudit({ ratePerSecond: 10, maxRows: 300, seed: 2 });
    const sink = memorySink();
    sink.failNext = 3;
    const controller = new AbortController();
    const errors: number[] = [];
    await tailAuditLog(h.sentry, {
      follow: true,
      since: new Date(START),
      sink,
      rules: false,
      clock: h.clock,
      intervalMs: 2_000,
      lookbackMs: 10_000,
      signal: controller.signal,
      onError: (_e, wait) => errors.push(wait),
      onProgress: (p) => {
        if (p.caughtUp && h.clock.now() > START + 60_000) controller.abort();
      },
    });
    const ids = rowIds(sink.records);
    expect(errors.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(300);
    await h.close();
  });

  it("splits a long backfill into bounded reads", async () => {
    const h = harness({ auditRows: 4_000 });
    const sink = memorySink();
    const report = await tailAuditLog(h.sentry, { since: new Date(START - 130 * 86_400_000), sink, rules: false, clock: h.clock, maxRowsPerRead: 500 });
    const ids = rowIds(sink.records);
    expect(ids.length).toBe(4_000);
    expect(new Set(ids).size).toBe(4_000);
    expect(report.polls).toBeGreaterThan(8);
    const dates = sink.records.map((r) => Date.parse(String(r.dateCreated)));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    await h.close();
  });

  it("keeps the lag under two intervals at 50 events/s", async () => {
    const h = harness({ auditRows: 0 });
    h.emu.liveAudit({ ratePerSecond: 50, maxRows: 3_000, seed: 8 });
    let worst = 0;
    const sink = memorySink();
    const timed = {
      ...sink,
      write: async (records: readonly unknown[]) => {
        for (const r of records as Array<{ dateCreated?: string }>) if (r.dateCreated) worst = Math.max(worst, h.clock.now() - Date.parse(r.dateCreated));
        await sink.write(records);
      },
    };
    const controller = new AbortController();
    await tailAuditLog(h.sentry, {
      follow: true,
      since: new Date(START),
      sink: timed,
      rules: false,
      clock: h.clock,
      intervalMs: 10_000,
      lookbackMs: 20_000,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.caughtUp && h.clock.now() >= START + 60_000) controller.abort();
      },
    });
    expect(rowIds(sink.records).length).toBe(3_000);
    expect(worst).toBeLessThan(2 * 10_000);
    await h.close();
  });

  it("adapts to Sentry's rate limit: a 429 pauses until the window's reset, then the follow goes on, exactly", async () => {
    const h = harness({ auditRows: 0, rateLimit: { perEndpoint: { listOrganizationAuditLogs: { limit: 3, windowMs: 60_000 } } } });
    h.emu.liveAudit({ ratePerSecond: 5, maxRows: 400, seed: 6 });
    const sink = memorySink();
    const waits: number[] = [];
    const controller = new AbortController();
    await tailAuditLog(h.sentry, {
      follow: true,
      since: new Date(START),
      sink,
      rules: false,
      clock: h.clock,
      intervalMs: 5_000,
      lookbackMs: 10_000,
      signal: controller.signal,
      onError: (_e, wait) => waits.push(wait),
      onProgress: (p) => {
        if (p.caughtUp && h.clock.now() >= START + 300_000) controller.abort();
      },
    });
    expect(waits.length).toBeGreaterThan(0);
    // Each pause reaches the window's reset (X-Sentry-Rate-Limit-Reset), not just the poll interval.
    expect(Math.max(...waits)).toBeGreaterThan(5_000);
    const ids = rowIds(sink.records);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(400);
    await h.close();
  });
});
