// The emulator's live audit mode: rows appear on the emulator clock, newest first in the list (Sentry's
// DateTimePaginator over order_by="-datetime", src/sentry/api/paginator.py and
// src/sentry/core/endpoints/organization_auditlogs.py), with equal timestamps and late commits (rows dated before
// rows already visible, as outbox-delivered events are: src/sentry/audit_log/services/log/impl.py).
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");

async function listAll(emu: ReturnType<typeof createEmulator>): Promise<Array<{ id: string; dateCreated: string }>> {
  const rows: Array<{ id: string; dateCreated: string }> = [];
  let cursor = "";
  for (;;) {
    const res = await emu.fetch(`/api/0/organizations/${emu.org}/audit-logs/?per_page=100${cursor ? `&cursor=${cursor}` : ""}`, {
      headers: { Authorization: `Bearer ${emu.adminToken}` },
    });
    rows.push(...((await res.json()) as { rows: typeof rows }).rows);
    const next = /rel="next"; results="true"; cursor="([^"]+)"/.exec(res.headers.get("link") ?? "");
    if (!next?.[1]) return rows;
    cursor = next[1];
  }
}

describe("emulator live audit mode", () => {
  it("appends rows due by its clock, groups equal timestamps, and commits some late", async () => {
    let t = T0;
    const emu = createEmulator({ fixture: "demo", rateLimit: false, auditRows: 0, now: () => t });
    const live = emu.liveAudit({ ratePerSecond: 10, maxRows: 50, sameTimestamp: 5, lateFraction: 0.2, lateByMs: 3_000, seed: 4 });
    expect((await listAll(emu)).length).toBe(5); // the first group is due at once
    t += 2_000;
    const rows = await listAll(emu);
    expect(rows.length).toBe(25);
    expect(live.written).toBe(25);
    // Newest first by date; ids grow in visibility order, so a late row has a higher id than newer-dated ones.
    const dates = rows.map((r) => Date.parse(r.dateCreated));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const late = rows.filter((r) => Date.parse(r.dateCreated) < T0 + Math.floor((Number(r.id) - 1) / 5) * 500);
    expect(late.length).toBeGreaterThan(0);
    const groups = new Map<string, number>();
    for (const r of rows) groups.set(r.dateCreated, (groups.get(r.dateCreated) ?? 0) + 1);
    expect(Math.max(...groups.values())).toBeGreaterThanOrEqual(2);
    t += 60_000;
    expect((await listAll(emu)).length).toBe(50);
  });

  it("adds bursts and late commits on demand, and stops", async () => {
    let t = T0;
    const emu = createEmulator({ fixture: "demo", rateLimit: false, auditRows: 0, now: () => t });
    const live = emu.liveAudit({ ratePerSecond: 1, seed: 1 });
    live.stop();
    const burst = live.burst(3, "member.remove");
    const lateId = live.lateCommit(10_000, "sso.disable");
    t += 5_000;
    const log = emu.state.auditLog;
    expect(log.filter((e) => burst.includes(e.id)).map((e) => e.dateCreated)).toEqual(Array(3).fill(new Date(T0).toISOString()));
    const late = log.find((e) => e.id === lateId);
    expect(late).toMatchObject({ event: "sso.disable", dateCreated: new Date(T0 - 10_000).toISOString() });
    // Oldest first in the snapshot: the late row sorts before the burst although it got the highest id.
    expect(log[0]?.id).toBe(lateId);
    expect(log.length).toBe(4);
    expect(() => emu.liveAudit({ ratePerSecond: 0 })).toThrow(RangeError);
  });
});
