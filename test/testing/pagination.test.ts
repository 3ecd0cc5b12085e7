import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";
import { asArray, asObject, call, demo, linkCursor, NOW, walk } from "./helpers.js";

const MEMBERS = "/api/0/organizations/acme/members/";

describe("Link header pagination", () => {
  it("walks members over 3+ pages with Sentry's exact Link format", async () => {
    const emu = demo();
    const first = await call(emu, "GET", `${MEMBERS}?per_page=10`);
    const link = first.headers.get("link") ?? "";
    expect(link).toMatch(
      /^<https:\/\/sentry\.test\/api\/0\/organizations\/acme\/members\/\?per_page=10&cursor=([^>]+)>; rel="previous"; results="false"; cursor="\1", <https:\/\/sentry\.test\/api\/0\/organizations\/acme\/members\/\?per_page=10&cursor=([^>]+)>; rel="next"; results="true"; cursor="\2"$/,
    );
    const { rows, pages } = await walk(emu, `${MEMBERS}?per_page=10`);
    expect(pages).toBeGreaterThanOrEqual(3);
    const ids = rows.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(emu.state.members.length);
  });

  it("writes `?&cursor=` when the request had no other query parameter, and goes back with the previous cursor", async () => {
    const emu = demo();
    const first = await call(emu, "GET", "/api/0/organizations/acme/teams/?per_page=2");
    const next = linkCursor(first.headers.get("link"), "next");
    const second = await call(emu, "GET", `/api/0/organizations/acme/teams/?cursor=${next?.cursor}&per_page=2`);
    const bare = await call(emu, "GET", "/api/0/organizations/acme/projects/");
    expect(bare.headers.get("link")).toContain("/api/0/organizations/acme/projects/?&cursor=");
    expect(linkCursor(bare.headers.get("link"), "next")?.results).toBe(false);
    const prev = linkCursor(second.headers.get("link"), "previous");
    expect(prev?.results).toBe(true);
    const back = await call(emu, "GET", `/api/0/organizations/acme/teams/?cursor=${prev?.cursor}&per_page=2`);
    expect(asArray(back.body).map((t) => t.slug)).toEqual(asArray(first.body).map((t) => t.slug));
  });

  it.each([
    ["0", "Invalid per_page value. Must be between 1 and 100."],
    ["101", "Invalid per_page value. Must be between 1 and 100."],
    ["ten", "Invalid per_page parameter."],
  ])("answers 400 for per_page=%s", async (perPage, text) => {
    const emu = demo();
    expect(await call(emu, "GET", `${MEMBERS}?per_page=${perPage}`)).toMatchObject({ status: 400, body: { detail: text } });
  });

  it("answers 400 for a malformed cursor", async () => {
    const emu = demo();
    expect(await call(emu, "GET", `${MEMBERS}?cursor=garbage`)).toMatchObject({ status: 400, body: { detail: "Invalid cursor parameter." } });
  });

  // src/sentry/api/paginator.py OffsetPaginator: team and member lists page by offset, so a row inserted
  // before the walk position shifts the next page and repeats a row — as against real Sentry.
  it("shifts offset pages when rows are inserted before the walk position, as Sentry's OffsetPaginator does", async () => {
    const emu = demo();
    const url = "/api/0/organizations/acme/teams/?per_page=2&detailed=0";
    const first = asArray((await call(emu, "GET", url)).body).map((t) => String(t.slug));
    const next = linkCursor((await call(emu, "GET", url)).headers.get("link"), "next");
    expect(next).toEqual({ cursor: "2:1:0", results: true });
    await call(emu, "POST", "/api/0/organizations/acme/teams/", { body: { slug: "aaa-early" } });
    const second = asArray((await call(emu, "GET", `${url}&cursor=${next?.cursor}`)).body).map((t) => String(t.slug));
    expect(second[0]).toBe(first[1]);
  });

});

describe("audit log pagination", () => {
  it("walks 50,000 generated rows newest first without gaps or repeats", async () => {
    const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => NOW, auditRows: 50_000 });
    const { rows, pages } = await walk(emu, "/api/0/organizations/acme/audit-logs/?per_page=100", undefined, (b) => asArray(asObject(b).rows));
    expect(pages).toBe(500);
    expect(rows).toHaveLength(50_000);
    expect(new Set(rows.map((r) => r.id)).size).toBe(50_000);
    const times = rows.map((r) => Date.parse(String(r.dateCreated)));
    for (let i = 1; i < times.length; i++) expect(times[i - 1] as number).toBeGreaterThanOrEqual(times[i] as number);
    expect(times[times.length - 1]).toBeGreaterThanOrEqual(NOW - 120 * 86_400_000);
  }, 60_000);

  it("does not skip or repeat older rows when entries are written during the walk", async () => {
    let clock = NOW;
    const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => clock });
    const total = emu.state.auditLog.length;
    const seen: string[] = [];
    let url = "/api/0/organizations/acme/audit-logs/?per_page=100";
    for (;;) {
      const res = await call(emu, "GET", url);
      seen.push(...asArray(asObject(res.body).rows).map((r) => String(r.id)));
      await call(emu, "POST", "/api/0/organizations/acme/teams/", { body: { slug: `walk-${seen.length}` } });
      clock += 1;
      const next = linkCursor(res.headers.get("link"), "next");
      if (!next?.results) break;
      url = `/api/0/organizations/acme/audit-logs/?per_page=100&cursor=${next.cursor}`;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("filters by event, actor and statsPeriod and always lists the registered event names", async () => {
    const emu = demo();
    const byEvent = asObject((await call(emu, "GET", "/api/0/organizations/acme/audit-logs/?event=member.invite&per_page=100")).body);
    expect(asArray(byEvent.rows).every((r) => r.event === "member.invite")).toBe(true);
    expect(byEvent.options).toContain("org-auth-token.remove");
    const unknown = asObject((await call(emu, "GET", "/api/0/organizations/acme/audit-logs/?event=no.such-event")).body);
    expect(unknown.rows).toEqual([]);
    const recent = asArray(asObject((await call(emu, "GET", "/api/0/organizations/acme/audit-logs/?statsPeriod=1d&per_page=100")).body).rows);
    expect(recent.every((r) => Date.parse(String(r.dateCreated)) >= NOW - 86_400_000)).toBe(true);
    const actor = asArray(asObject((await call(emu, "GET", "/api/0/organizations/acme/audit-logs/?actor=1&per_page=100")).body).rows);
    expect(actor.length).toBeGreaterThan(0);
    expect(actor.every((r) => asObject(r.actor).id === "1")).toBe(true);
    expect(await call(emu, "GET", "/api/0/organizations/acme/audit-logs/?actor=abc")).toMatchObject({ status: 400, body: { actor: ["A valid integer is required."] } });
  });
});
