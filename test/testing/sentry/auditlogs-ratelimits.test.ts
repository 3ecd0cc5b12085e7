/**
 * tests/sentry/core/endpoints/test_organization_auditlogs.py (src/sentry/core/endpoints/organization_auditlogs.py)
 * and the invitation caps of tests/sentry/utils/test_ratelimits.py (src/sentry/ratelimits/utils.py
 * `for_organization_member_invite`), on the emulator.
 */
import { describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../../../src/testing/index.js";
import { asArray, asObject, call, integrationToken, loginAs, NOW, ORG, OWNER } from "./helpers.js";

const HOUR = 3_600_000;
const AUDIT = `${ORG}/audit-logs/`;

/** An org with a second member and a clock the test moves. */
function clocked(): { emu: Emulator; at: (ms: number) => void } {
  let now = NOW;
  const emu = createEmulator({
    fixture: {
      org: { slug: "baz" },
      members: [
        { email: OWNER, orgRole: "owner" },
        { email: "user2@x.test", orgRole: "manager" },
      ],
    },
    rateLimit: false,
    now: () => now,
  });
  return {
    emu,
    at: (ms) => {
      now = ms;
    },
  };
}
const rows = async (emu: Emulator, query = "") => asArray(asObject((await call(emu, "GET", `${AUDIT}${query}`)).body).rows);
const ids = (list: Array<Record<string, unknown>>) => list.map((r) => r.id);
const userId = (emu: Emulator, email: string) => emu.state.members.find((m) => m.email === email)?.userId;

describe("test_organization_auditlogs.py", () => {
  it("OrganizationAuditLogsTest.test_simple", async () => {
    const { emu, at } = clocked();
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "first" } });
    at(NOW + 1000);
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "second" } });
    const listed = await rows(emu, "?event=team.create");
    expect(listed.map((r) => asObject(r.data).slug)).toEqual(["second", "first"]);
  });

  it("OrganizationAuditLogsTest.test_filter_by_event", async () => {
    const { emu, at } = clocked();
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "first" } });
    at(NOW + 1000);
    await call(emu, "POST", `${ORG}/members/`, { body: { email: "new@x.test", orgRole: "member" } });
    const listed = await rows(emu, "?event=member.invite");
    expect(listed.map((r) => r.event)).toEqual(["member.invite"]);
  });

  it("OrganizationAuditLogsTest.test_filter_by_user", async () => {
    const { emu } = clocked();
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "by-owner" } });
    await call(emu, "POST", `${ORG}/teams/`, { token: loginAs(emu, "user2@x.test"), body: { slug: "by-user2" } });
    const listed = await rows(emu, `?actor=${userId(emu, OWNER)}&event=team.create`);
    expect(listed.map((r) => asObject(r.data).slug)).toEqual(["by-owner"]);
  });

  it("OrganizationAuditLogsTest.test_filter_by_user_and_event", async () => {
    const { emu } = clocked();
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "by-owner" } });
    await call(emu, "POST", `${ORG}/teams/`, { token: loginAs(emu, "user2@x.test"), body: { slug: "by-user2" } });
    const listed = await rows(emu, `?event=team.create&actor=${userId(emu, OWNER)}`);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ event: "team.create" });
  });

  it("OrganizationAuditLogsTest.test_invalid_event", async () => {
    const { emu } = clocked();
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "first" } });
    expect(await rows(emu, "?event=wrong")).toEqual([]);
  });

  it("OrganizationAuditLogsTest.test_user_out_of_bounds", async () => {
    const { emu } = clocked();
    expect(await call(emu, "GET", `${AUDIT}?actor=111111111111`)).toMatchObject({
      status: 400,
      body: { actor: ["Ensure this value is less than or equal to 2147483647."] },
    });
  });

  it("OrganizationAuditLogsTest.test_options_data_included", async () => {
    const { emu } = clocked();
    const body = asObject((await call(emu, "GET", AUDIT)).body);
    expect(Object.keys(body).sort()).toEqual(["options", "rows"]);
    expect(body.options).toEqual(expect.arrayContaining(["member.invite", "team.create", "org.edit"]));
  });

  it("OrganizationAuditLogsTest.test_filter_by_date", async () => {
    const { emu, at } = clocked();
    at(NOW - 24 * HOUR);
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "old" } });
    at(NOW);
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "new" } });
    const start = new Date(NOW - 24 * HOUR).toISOString();
    const end = new Date(NOW - HOUR).toISOString();
    const listed = await rows(emu, `?event=team.create&start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`);
    expect(listed.map((r) => asObject(r.data).slug)).toEqual(["old"]);
  });

  it("OrganizationAuditLogsTest.test_filter_by_stats_period", async () => {
    const { emu, at } = clocked();
    at(NOW - 48 * HOUR);
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "old" } });
    at(NOW - 12 * HOUR);
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "recent" } });
    at(NOW);
    const listed = await rows(emu, "?statsPeriod=1d&event=team.create");
    expect(listed.map((r) => asObject(r.data).slug)).toEqual(["recent"]);
    expect(ids(listed)).toHaveLength(1);
  });
});

describe("test_ratelimits.py", () => {
  /** RELAXED_CONFIG: 5 per inviting user, 5 per org, 2 per email per org (per day). */
  function capped(caps: { perUser?: number; perOrg?: number; perEmail?: number }): Emulator {
    return createEmulator({
      fixture: {
        org: { slug: "baz" },
        members: [
          { email: OWNER, orgRole: "owner" },
          { email: "biz@example.com", orgRole: "manager" },
        ],
      },
      rateLimit: { invites: { perUser: 100, perOrg: 100, perEmail: 100, ...caps } },
      now: () => NOW,
    });
  }
  const invite = (emu: Emulator, email: string, token?: string) => call(emu, "POST", `${ORG}/members/`, { token, body: { email, orgRole: "member" } });
  // Every attempt counts, so a revoked invite's address can be tried again to reach the per-email cap.
  const revoke = async (emu: Emulator, email: string) => {
    const id = emu.state.members.find((m) => m.email === email)?.id;
    if (id) await call(emu, "DELETE", `${ORG}/members/${id}/`);
  };

  it("ForOrganizationMemberTestCase.test_by_email", async () => {
    const emu = capped({ perEmail: 2 });
    for (let n = 0; n < 2; n++) {
      expect((await invite(emu, "foo@example.com")).status).toBe(201);
      await revoke(emu, "foo@example.com");
    }
    expect((await invite(emu, "foo@example.com")).status).toBe(429);
  });

  it("ForOrganizationMemberTestCase.test_by_organization", async () => {
    const emu = capped({ perOrg: 5 });
    const manager = loginAs(emu, "biz@example.com");
    for (let n = 0; n < 5; n++) expect((await invite(emu, `${n}@example.com`, n % 2 ? manager : undefined)).status).toBe(201);
    expect((await invite(emu, "anything@example.com", manager)).status).toBe(429);
  });

  it("ForOrganizationMemberTestCase.test_by_api_token (one organization: the cap follows the integration)", async () => {
    const emu = capped({ perUser: 5 });
    const token = integrationToken(emu, ["member:write"]);
    for (let n = 0; n < 5; n++) expect((await invite(emu, `${n}@example.com`, token)).status).toBe(201);
    expect((await invite(emu, "anything@example.com", token)).status).toBe(429);
    expect((await invite(emu, "other@example.com", integrationToken(emu, ["member:write"]))).status).toBe(201);
  });

  it("ForOrganizationMemberTestCase.test_by_user (one organization: the cap follows the user)", async () => {
    const emu = capped({ perUser: 5 });
    const manager = loginAs(emu, "biz@example.com");
    for (let n = 0; n < 5; n++) expect((await invite(emu, `${n}@example.com`, manager)).status).toBe(201);
    expect((await invite(emu, "anything@example.com", manager)).status).toBe(429);
    expect((await invite(emu, "other@example.com")).status).toBe(201);
  });
});
