import { afterEach, describe, expect, it } from "vitest";
import { isPermissionError, isValidationError } from "../../src/http/errors/errors.js";
import { type AuditLogEntry, createAuditLogsResource } from "../../src/resources/audit-logs.js";
import { closeClients, resourceHarness, thrown } from "./helpers.js";

afterEach(closeClients);

const AUDIT = "/api/0/organizations/acme/audit-logs/";

function setup() {
  const h = resourceHarness();
  const newestFirst = [...h.emu.state.auditLog].reverse();
  return { ...h, newestFirst, auditLogs: createAuditLogsResource(h.ctx) };
}

const isNewestFirst = (rows: AuditLogEntry[]) => rows.every((row, i) => i === 0 || row.dateCreated <= (rows[i - 1]?.dateCreated ?? ""));

describe("auditLogs", () => {
  it("list filters by event and walks every Link page, newest first", async () => {
    const { auditLogs, seen, newestFirst } = setup();
    const expected = newestFirst.filter((e) => e.event === "team.create").map((e) => e.id);
    expect(expected.length).toBeGreaterThan(6);
    const perPage = Math.ceil(expected.length / 3);
    const rows = await auditLogs.list({ event: "team.create", perPage }).toArray();
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(seen).toHaveLength(3);
    expect(seen.every((r) => r.method === "GET" && r.path === AUDIT)).toBe(true);
    expect(seen[0]?.query).toEqual({ event: "team.create", per_page: String(perPage) });
    expect(seen[1]?.query.cursor).toMatch(/^\d+:\d+:0$/);
    expect(rows[0]).toMatchObject({ event: "team.create", actor: expect.objectContaining({ name: expect.any(String) }) });
  });

  it("since alone stops paging at the first older row, with no extra request", async () => {
    const { auditLogs, seen, newestFirst } = setup();
    // The 12th newest entry: with 5 rows a page, rows 11-15 arrive on page 3 and row 13 is already too old.
    const since = newestFirst[11]?.dateCreated ?? "";
    const wanted = newestFirst.filter((e) => e.dateCreated >= since).map((e) => e.id);
    const rows = await auditLogs.list({ since, perPage: 5 }).toArray();
    expect(rows.map((r) => r.id)).toEqual(wanted);
    expect(seen).toHaveLength(Math.ceil((wanted.length + 1) / 5));
    expect(seen).toHaveLength(3);
    expect(seen[0]?.query).toEqual({ per_page: "5" });
  });

  it("since and until become start/end; rows stay inside the range across pages", async () => {
    const { auditLogs, seen, newestFirst } = setup();
    const since = new Date("2026-02-20T00:00:00Z");
    const until = "2026-02-21T00:00:00Z";
    const wanted = newestFirst.filter((e) => e.dateCreated >= since.toISOString() && e.dateCreated <= "2026-02-21T00:00:00.000Z");
    expect(wanted.length).toBeGreaterThan(6);
    const perPage = Math.ceil(wanted.length / 3);
    const rows = await auditLogs.list({ since, until, perPage }).toArray();
    expect(rows.map((r) => r.id)).toEqual(wanted.map((e) => e.id));
    expect(isNewestFirst(rows)).toBe(true);
    expect(seen).toHaveLength(3);
    expect(seen[0]?.query).toEqual({ start: "2026-02-20T00:00:00.000Z", end: "2026-02-21T00:00:00.000Z", per_page: String(perPage) });
  });

  it("until alone is sent with an open (epoch) start", async () => {
    const { auditLogs, seen, newestFirst } = setup();
    const until = newestFirst[50]?.dateCreated ?? "";
    const [first] = await auditLogs.list({ until, perPage: 3 }).toArray({ limit: 1 });
    expect(first?.id).toBe(newestFirst[50]?.id);
    expect(seen[0]?.query).toMatchObject({ start: "1970-01-01T00:00:00.000Z", end: until });
  });

  it("actor filters by user id (sent as an integer)", async () => {
    const { auditLogs, seen, newestFirst } = setup();
    const rows = await auditLogs.list({ actor: 4, perPage: 100 }).toArray({ limit: 20 });
    expect(rows.map((r) => r.id)).toEqual(
      newestFirst
        .filter((e) => e.actorUserId === "4")
        .slice(0, 20)
        .map((e) => e.id),
    );
    expect(seen[0]?.query).toMatchObject({ actor: "4" });
  });

  it("an event Sentry does not know yields no rows (not an error)", async () => {
    const { auditLogs, seen } = setup();
    expect(await auditLogs.list({ event: "made.up-event" }).toArray()).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("refuses bad filters before any request", async () => {
    const { auditLogs, emu } = setup();
    const cases: Array<[() => unknown, string]> = [
      [() => auditLogs.list({ actor: "ana@acme.test" }), "actor"],
      [() => auditLogs.list({ actor: 1.5 }), "actor"],
      [() => auditLogs.list({ since: "last week" }), "since"],
      [() => auditLogs.list({ until: new Date(Number.NaN) }), "until"],
      [() => auditLogs.list({ since: "2026-02-02", until: "2026-02-01" }), "since"],
      // Sentry's date-range helper answers 500 unless start < end (src/sentry/api/utils.py), and bounds actor.
      [() => auditLogs.list({ since: "2026-02-01", until: "2026-02-01T00:00:00Z" }), "since"],
      [() => auditLogs.list({ until: "1970-01-01T00:00:00Z" }), "until"],
      [() => auditLogs.list({ actor: 2_147_483_648 }), "actor"],
      [() => auditLogs.list({ event: "member.invite\n" }), "event"],
      [() => auditLogs.list({ perPage: 500 }), "perPage"],
    ];
    for (const [run, field] of cases) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  it("a token without org:write gets PermissionError naming org:write and the plan requirement", async () => {
    const { emu, clientWith } = resourceHarness();
    const { ctx } = clientWith({ token: emu.issueToken({ scopes: ["org:read", "member:read"] }) });
    const error = await thrown(() => createAuditLogsResource(ctx).list().toArray());
    expect(isPermissionError(error)).toBe(true);
    if (!isPermissionError(error)) return;
    expect(error.requiredScopes).toEqual(["org:write"]);
    expect(error.hint).toMatch(/org:write/);
  });
});

describe("sentry.auditLogs (wired into the client)", () => {
  it("lists through the client with the same early stop", async () => {
    const { sentry, seen, newestFirst } = setup();
    const since = newestFirst[4]?.dateCreated ?? "";
    const rows = await sentry.auditLogs.list({ since, perPage: 2 }).toArray();
    expect(rows.map((r) => r.id)).toEqual(newestFirst.filter((e) => e.dateCreated >= since).map((e) => e.id));
    expect(seen).toHaveLength(3);
  });
});
