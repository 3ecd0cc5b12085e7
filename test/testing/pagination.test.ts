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
    expect(await call(emu, "GET", "/api/0/organizations/acme/audit-logs/?actor=abc")).toMatchObject({
      status: 400,
      body: { actor: ["A valid integer is required."] },
    });
  });

  // organization_auditlogs.py AuditLogQueryParamSerializer; test_organization_auditlogs.py test_user_out_of_bounds.
  it("validates the query as Sentry's serializer does: actor bounds, blank fields, dates, all errors at once", async () => {
    const emu = demo();
    const url = "/api/0/organizations/acme/audit-logs/";
    expect(await call(emu, "GET", `${url}?actor=111111111111`)).toMatchObject({
      status: 400,
      body: { actor: ["Ensure this value is less than or equal to 2147483647."] },
    });
    expect(await call(emu, "GET", `${url}?event=%20&start=yesterday&actor=1.5`)).toMatchObject({
      status: 400,
      body: {
        event: ["This field may not be blank."],
        actor: ["A valid integer is required."],
        start: ["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."],
      },
    });
    // Empty optional values are skipped; "1.0" is DRF's integer 1; an event name is trimmed.
    const ok = asArray(asObject((await call(emu, "GET", `${url}?actor=1.0&event=%20member.invite%20&per_page=100`)).body).rows);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.every((r) => r.event === "member.invite" && asObject(r.actor).id === "1")).toBe(true);
    expect((await call(emu, "GET", `${url}?actor=&event=`)).status).toBe(200);
  });

  // src/sentry/api/utils.py get_date_range_from_stats_period raises InvalidParams, which src/sentry/api/handlers.py
  // does not turn into a 400: Sentry answers 500.
  it("answers 500 where Sentry's date-range helper raises, and filters statsPeriodStart/End and naive UTC dates", async () => {
    const emu = demo();
    const url = "/api/0/organizations/acme/audit-logs/";
    const day = new Date(NOW - 86_400_000).toISOString();
    for (const bad of [
      "statsPeriod=",
      "statsPeriod=1y",
      `start=${day}`,
      `start=${day}&end=${day}`,
      "statsPeriodStart=2d",
      "statsPeriodStart=1d&statsPeriodEnd=2d",
    ]) {
      expect(await call(emu, "GET", `${url}?${bad}`), bad).toMatchObject({ status: 500, body: { detail: "Internal Error" } });
    }
    const window = asArray(asObject((await call(emu, "GET", `${url}?statsPeriodStart=30d&statsPeriodEnd=2d&per_page=100`)).body).rows);
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((r) => Date.parse(String(r.dateCreated)) <= NOW - 2 * 86_400_000 && Date.parse(String(r.dateCreated)) >= NOW - 30 * 86_400_000)).toBe(
      true,
    );
    const naive = new Date(NOW - 2 * 86_400_000).toISOString().slice(0, 19);
    const rows = asArray(asObject((await call(emu, "GET", `${url}?start=2000-01-01&end=${naive}&per_page=100`)).body).rows);
    expect(rows.every((r) => Date.parse(String(r.dateCreated)) <= NOW - 2 * 86_400_000)).toBe(true);
  });
});

// src/sentry/api/paginator.py DateTimePaginator + src/sentry/utils/cursors.py build_cursor, as
// src/sentry/core/endpoints/organization_auditlogs.py pages the audit log.
describe("audit log cursors in Sentry's DateTimePaginator format", () => {
  const AUDIT = "/api/0/organizations/tick/audit-logs/";
  /** An org whose audit rows come in bursts sharing a millisecond: 4 teams at T, 3 at T+1s, 2 at T+2s. */
  async function bursts() {
    let clock = NOW;
    const emu = createEmulator({
      rateLimit: false,
      now: () => clock,
      fixture: { org: { slug: "tick" }, members: [{ email: "o@tick.test", orgRole: "owner" }] },
    });
    const start = emu.state.auditLog.length;
    for (const [offset, count] of [
      [0, 4],
      [1000, 3],
      [2000, 2],
    ] as const) {
      clock = NOW + offset;
      for (let i = 0; i < count; i++) await call(emu, "POST", "/api/0/organizations/tick/teams/", { body: { slug: `t${offset}-${i}` } });
    }
    return {
      emu,
      created: emu.state.auditLog.length - start,
      setClock: (ms: number) => {
        clock = ms;
      },
    };
  }
  const page = async (emu: Awaited<ReturnType<typeof bursts>>["emu"], query: string) => {
    const res = await call(emu, "GET", `${AUDIT}?${query}`);
    return {
      res,
      rows: asArray(asObject(res.body).rows),
      next: linkCursor(res.headers.get("link"), "next"),
      prev: linkCursor(res.headers.get("link"), "previous"),
    };
  };

  it("writes value:offset:is_prev cursors, the value the edge row's epoch ms and the offset the rows sharing it", async () => {
    const { emu } = await bursts();
    const all = asArray(asObject((await call(emu, "GET", `${AUDIT}?per_page=100`)).body).rows);
    const ms = (r: Record<string, unknown> | undefined) => Date.parse(String(r?.dateCreated));
    expect(ms(all[0])).toBe(NOW + 2000);
    const first = await page(emu, "per_page=2");
    expect(first.rows.map((r) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
    expect(first.prev).toEqual({ cursor: `${NOW + 2000}:0:1`, results: false });
    // The next cursor names the first row of the next page by (ms, rows before it at that ms on this walk).
    for (const perPage of [1, 2, 3, 5, 7]) {
      const res = await page(emu, `per_page=${perPage}`);
      const edge = ms(all[perPage]);
      const taken = all.slice(0, perPage).filter((r) => ms(r) === edge).length;
      expect(res.next, `per_page=${perPage}`).toEqual({ cursor: `${edge}:${taken}:0`, results: true });
      expect((await page(emu, `per_page=${perPage}&cursor=${res.next?.cursor}`)).rows[0]?.id).toBe(all[perPage]?.id);
    }
  });

  it("resumes a cursor written by real Sentry (value:offset:is_prev) and walks every row exactly once", async () => {
    const { emu } = await bursts();
    const all = asArray(asObject((await call(emu, "GET", `${AUDIT}?per_page=100`)).body).rows);
    const burst = all.filter((r) => Date.parse(String(r.dateCreated)) === NOW);
    expect(burst.length).toBeGreaterThanOrEqual(4);
    // What Sentry sends after a page ending on the 2nd row at T: value T, offset 2.
    const resumed = await page(emu, `per_page=1&cursor=${NOW}:2:0`);
    expect(resumed.rows.map((r) => r.id)).toEqual([burst[2]?.id]);
    expect(resumed.next).toEqual({ cursor: `${NOW}:3:0`, results: true });
    for (const perPage of [1, 2, 3, 100]) {
      const { rows } = await walk(emu, `${AUDIT}?per_page=${perPage}`, undefined, (b) => asArray(asObject(b).rows));
      expect(
        rows.map((r) => r.id),
        `per_page=${perPage}`,
      ).toEqual(all.map((r) => r.id));
    }
  });

  it("goes back with previous cursors, one row late inside a shared millisecond as Sentry's own TODO says", async () => {
    const { emu } = await bursts();
    const all = asArray(asObject((await call(emu, "GET", `${AUDIT}?per_page=100`)).body).rows);
    // Rows a millisecond apart each (the usual case with Sentry's microsecond timestamps): back exactly.
    let clock = NOW;
    const spread = createEmulator({
      rateLimit: false,
      now: () => clock,
      fixture: { org: { slug: "tick" }, members: [{ email: "o@tick.test", orgRole: "owner" }] },
    });
    for (let i = 0; i < 6; i++) {
      clock += 10;
      await call(spread, "POST", "/api/0/organizations/tick/teams/", { body: { slug: `s${i}` } });
      clock += 10;
      await call(spread, "PUT", `/api/0/organizations/tick/teams/s${i}/`, { body: { name: `S ${i}` } });
    }
    const everything = asArray(asObject((await call(spread, "GET", `${AUDIT}?per_page=100`)).body).rows);
    const firstPage = await page(spread, "per_page=3");
    const nextPage = await page(spread, `per_page=3&cursor=${firstPage.next?.cursor}`);
    const back = await page(spread, `per_page=3&cursor=${nextPage.prev?.cursor}`);
    expect(back.rows.map((r) => r.id)).toEqual(everything.slice(0, 3).map((r) => r.id));
    // Inside a millisecond ("does not yet work correctly for is_prev when the key is not unique"): shifted by one.
    const inside = await page(emu, `per_page=2&cursor=${(await page(emu, "per_page=2")).next?.cursor}`);
    expect(inside.prev?.results).toBe(true);
    const shifted = await page(emu, `per_page=2&cursor=${inside.prev?.cursor}`);
    expect(shifted.rows.map((r) => r.id)).toEqual(all.slice(1, 3).map((r) => r.id));
  });

  it("repeats (never loses) rows when some are written at the cursor's millisecond during a walk, as Sentry's offset does", async () => {
    const { emu, setClock } = await bursts();
    const before = asArray(asObject((await call(emu, "GET", `${AUDIT}?per_page=100&cursor=${NOW}:0:0`)).body).rows).map((r) => String(r.id));
    const seen: string[] = [];
    let url = `${AUDIT}?per_page=2&cursor=${NOW}:0:0`;
    for (let pages = 0; ; pages++) {
      const res = await page(emu, url.slice(AUDIT.length + 1));
      seen.push(...res.rows.map((r) => String(r.id)));
      if (pages === 0) {
        setClock(NOW);
        await call(emu, "POST", "/api/0/organizations/tick/teams/", { body: { slug: "late" } });
      }
      if (!res.next?.results) break;
      url = `${AUDIT}?per_page=2&cursor=${res.next.cursor}`;
    }
    expect(before.every((id) => seen.includes(id))).toBe(true);
    expect(seen.length).toBeGreaterThan(new Set(seen).size);
  });

  it("refuses malformed cursors (400) and answers 500 where Sentry's paginator raises (negative offset)", async () => {
    const { emu } = await bursts();
    for (const bad of ["garbage", "1:2", "1:2:3:4", "abc:0:0", "1:x:0"]) {
      expect(await call(emu, "GET", `${AUDIT}?cursor=${bad}`), bad).toMatchObject({ status: 400, body: { detail: "Invalid cursor parameter." } });
    }
    expect((await call(emu, "GET", `${AUDIT}?cursor=${NOW}:-1:0`)).status).toBe(500);
    expect((await call(emu, "GET", `${AUDIT}?cursor=${NOW}.0:0:0`)).status).toBe(200);
  });
});
