/**
 * Invite expiry, automatic audit rows and list contents/cursors, each from the Sentry file named.
 */
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";
import { asArray, call, demo, linkCursor, NOW } from "./helpers.js";

const ORG = "/api/0/organizations/acme";
const DAY = 86_400_000;

describe("invites (src/sentry/tasks/clear_expired_invites.py, src/sentry/models/organizationmember.py)", () => {
  it("marks an invite expired after 30 days and deletes it once its token expired more than 90 days ago", async () => {
    let clock = NOW;
    const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => clock });
    expect((await call(emu, "POST", `${ORG}/members/`, { body: { email: "later@acme.test" } })).status).toBe(201);
    clock = NOW + 31 * DAY;
    const listed = asArray((await call(emu, "GET", `${ORG}/members/?query=${encodeURIComponent("email:later@acme.test")}`)).body);
    expect(listed[0]).toMatchObject({ pending: true, expired: true });
    clock = NOW + 119 * DAY;
    expect(asArray((await call(emu, "GET", `${ORG}/members/?query=${encodeURIComponent("email:later@acme.test")}`)).body)).toHaveLength(1);
    const before = emu.state.auditLog.length;
    clock = NOW + 121 * DAY;
    expect(asArray((await call(emu, "GET", `${ORG}/members/?query=${encodeURIComponent("email:later@acme.test")}`)).body)).toEqual([]);
    expect(emu.state.members.some((m) => m.email === "later@acme.test")).toBe(false);
    // A bulk queryset delete: no audit row.
    expect(emu.state.auditLog.length).toBe(before);
  });
});

describe("automatic audit rows (src/sentry/core/endpoints/organization_teams.py)", () => {
  it("logs the creator joining a new team before team.create, with no stored team role", async () => {
    const emu = demo();
    const token = emu.issueToken({ scopes: ["team:write", "org:read"], userEmail: "chen.nguyen@acme.test" });
    const before = emu.state.auditLog.length;
    expect((await call(emu, "POST", `${ORG}/teams/`, { token, body: { slug: "data" } })).status).toBe(201);
    expect(emu.state.auditLog.slice(before).map((e) => e.event)).toEqual(["member.join-team", "team.create"]);
    const chen = emu.state.members.find((m) => m.email === "chen.nguyen@acme.test");
    expect(chen?.teams).toContainEqual({ team: "data", role: null });
  });

  it("adds no creator for a token without a member (integration)", async () => {
    const emu = demo();
    const token = emu.issueToken({ kind: "integration", scopes: ["team:write"] });
    const before = emu.state.auditLog.length;
    expect((await call(emu, "POST", `${ORG}/teams/`, { token, body: { slug: "bots" } })).status).toBe(201);
    expect(emu.state.auditLog.slice(before).map((e) => e.event)).toEqual(["team.create"]);
  });
});

describe("listings (team_members.py, organization_teams.py, src/sentry/api/paginator.py OffsetPaginator)", () => {
  it("lists pending invites on a team with the stored team role (null for the minimum)", async () => {
    const emu = demo();
    const rows = asArray((await call(emu, "GET", "/api/0/teams/acme/okta-engineering/members/")).body);
    expect(rows.some((r) => r.pending === true && r.email === "scim.user1@acme.test")).toBe(true);
    const payments = asArray((await call(emu, "GET", "/api/0/teams/acme/payments/members/")).body);
    const ada = payments.find((r) => r.email === "ada.smith@acme.test");
    expect(ada?.teamRole).toBeNull();
    // Ordered by the member's email column, NULL once a user joined (test_team_members.py
    // test_team_members_list_does_not_include_invite_requests): pending invites first by email, then the others.
    const pending = payments.filter((r) => r.pending === true).map((r) => String(r.email));
    expect(payments.slice(0, pending.length).map((r) => String(r.email))).toEqual([...pending].sort());
    const joined = payments.slice(pending.length).map((r) => Number(r.id));
    expect(joined).toEqual([...joined].sort((a, b) => a - b));
  });

  it("answers an unknown team query key with no teams", async () => {
    const emu = demo();
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=${encodeURIComponent("colour:blue")}`)).body)).toEqual([]);
  });

  it("pages members and teams with Sentry's per_page:page:is_prev cursors, so a cursor from real Sentry resumes", async () => {
    const emu = demo();
    const first = await call(emu, "GET", `${ORG}/members/?per_page=10`);
    expect(linkCursor(first.headers.get("link"), "previous")).toEqual({ cursor: "10:-1:1", results: false });
    expect(linkCursor(first.headers.get("link"), "next")).toEqual({ cursor: "10:1:0", results: true });
    const all = asArray((await call(emu, "GET", `${ORG}/members/?per_page=100`)).body).map((m) => m.id);
    const second = asArray((await call(emu, "GET", `${ORG}/members/?per_page=10&cursor=10:1:0`)).body).map((m) => m.id);
    expect(second).toEqual(all.slice(10, 20));
    const teams = await call(emu, "GET", `${ORG}/teams/?per_page=2&cursor=2:1:0`);
    expect(asArray(teams.body).map((t) => t.slug)).toEqual(["notifications", "okta-engineering"]);
    expect((await call(emu, "GET", `${ORG}/teams/?cursor=abc`)).status).toBe(400);
  });
});
