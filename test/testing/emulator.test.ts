import { describe, expect, it } from "vitest";
import { createEmulator, type Fixture } from "../../src/testing/index.js";
import { asObject, call, demo, NOW } from "./helpers.js";

describe("createEmulator", () => {
  it("builds the demo fixture the seed's examples need", () => {
    const state = demo().state;
    expect(state.orgs.map((o) => o.slug)).toEqual(["acme"]);
    expect(state.projects.map((p) => p.slug)).toEqual(expect.arrayContaining(["payment-api", "billing-worker", "auth-service", "mobile-redesign"]));
    expect(state.teams.map((t) => t.slug)).toEqual(expect.arrayContaining(["payments", "identity", "notifications", "platform"]));
    expect(state.members.length).toBeGreaterThanOrEqual(40);
    expect(new Set(state.members.map((m) => m.orgRole))).toEqual(new Set(["owner", "manager", "admin", "member", "billing"]));
    const invites = state.members.filter((m) => m.pending);
    expect(invites.some((m) => NOW - Date.parse(m.dateCreated) > 14 * 86_400_000)).toBe(true);
    expect(invites.some((m) => m.expired)).toBe(true);
    expect(state.members.some((m) => m.flags["sso:linked"]) && state.members.some((m) => !m.flags["sso:linked"])).toBe(true);
    expect(state.members.some((m) => m.flags["idp:provisioned"])).toBe(true);
    expect(state.teams.some((t) => t.idpProvisioned)).toBe(true);
    expect(state.tokens.filter((t) => t.kind === "org").length).toBeGreaterThanOrEqual(2);
    expect(state.auditLog.length).toBeGreaterThan(3000);
    expect(Math.min(...state.auditLog.map((a) => Date.parse(a.dateCreated)))).toBeGreaterThanOrEqual(NOW - 120 * 86_400_000);
  });

  it("generates the same history and tokens for the same seed, different ones for another seed", () => {
    const a = createEmulator({ seed: 9, now: () => NOW });
    const b = createEmulator({ seed: 9, now: () => NOW });
    const c = createEmulator({ seed: 10, now: () => NOW });
    expect(a.adminToken).toBe(b.adminToken);
    expect(a.state.auditLog).toEqual(b.state.auditLog);
    expect(c.adminToken).not.toBe(a.adminToken);
    expect(c.state.auditLog.map((e) => e.event)).not.toEqual(a.state.auditLog.map((e) => e.event));
  });

  it("generates the same history even when the model changed before the log was first read", async () => {
    const untouched = createEmulator({ seed: 4, now: () => NOW, rateLimit: false });
    const changed = createEmulator({ seed: 4, now: () => NOW, rateLimit: false });
    await call(changed, "DELETE", "/api/0/teams/acme/payments/");
    const history = (emu: typeof changed) => emu.state.auditLog.filter((e) => Date.parse(e.dateCreated) < NOW);
    expect(history(changed)).toEqual(history(untouched));
  });

  it("answers 204 for the auth provider of an organization without SSO", async () => {
    const emu = createEmulator({ fixture: "empty", rateLimit: false });
    const res = await call(emu, "GET", "/api/0/organizations/acme/auth-provider/");
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
  });

  it("resets to the fixture, keeping the admin and SCIM tokens valid", async () => {
    const emu = demo();
    await call(emu, "POST", "/api/0/organizations/acme/teams/", { body: { slug: "temporary" } });
    const issued = emu.issueToken({ scopes: ["org:read"] });
    emu.reset();
    expect(emu.state.teams.map((t) => t.slug)).not.toContain("temporary");
    expect(emu.state.requests).toEqual([]);
    expect((await call(emu, "GET", "/api/0/organizations/acme/teams/")).status).toBe(200);
    expect((await call(emu, "GET", "/api/0/organizations/acme/scim/v2/Users", { token: emu.scimToken })).status).toBe(200);
    expect((await call(emu, "GET", "/api/0/organizations/acme/teams/", { token: issued })).status).toBe(401);
  });

  it("returns a frozen snapshot detached from the live model", async () => {
    const emu = demo();
    const before = emu.state;
    expect(Object.isFrozen(before.teams)).toBe(true);
    await call(emu, "POST", "/api/0/organizations/acme/teams/", { body: { slug: "later" } });
    expect(before.teams.map((t) => t.slug)).not.toContain("later");
    expect(emu.state.requests.at(-1)).toEqual({
      method: "POST",
      path: "/api/0/organizations/acme/teams/",
      query: "",
      status: 201,
      operationId: "createOrganizationTeam",
      fault: null,
    });
  });

  it("accepts a custom fixture object and a custom base URL", async () => {
    const fixture: Fixture = {
      org: { slug: "globex" },
      teams: [{ slug: "core" }],
      members: [
        { email: "boss@globex.test", orgRole: "owner" },
        { email: "dev@globex.test", orgRole: "member", teams: [{ team: "core" }] },
      ],
    };
    const emu = createEmulator({ fixture, baseUrl: "https://globex.example", rateLimit: false });
    expect(emu.org).toBe("globex");
    const res = await emu.fetch("https://globex.example/api/0/teams/globex/core/members/", { headers: { Authorization: `Bearer ${emu.adminToken}` } });
    expect(((await res.json()) as Array<{ email: string }>).map((m) => m.email)).toEqual(["dev@globex.test"]);
  });

  it("validates options at construction", () => {
    expect(() => createEmulator({ fixture: "demo-large" as "demo" })).toThrow(TypeError);
    expect(() => createEmulator({ rateLimit: { limit: 0 } })).toThrow(RangeError);
    expect(() => createEmulator({ faults: { rules: [{ probability: 2, fault: 503 }] } })).toThrow(RangeError);
    expect(() => createEmulator({ faults: { script: [{ nth: 0, fault: 503 }] } })).toThrow(RangeError);
    expect(() => createEmulator({ faults: { script: [{ nth: 1, fault: 418 as 500 }] } })).toThrow(TypeError);
    expect(() => createEmulator({ baseUrl: "http://sentry.test/api/0" })).toThrow(TypeError);
    expect(() => createEmulator({ fixture: { org: { slug: "x" }, members: [{ email: "a@x.test", orgRole: "member" }] } })).toThrow(/needs an owner/);
  });

  it("refuses to issue a user token for someone who is not an active member", () => {
    const emu = demo();
    expect(() => emu.issueToken({ scopes: ["org:read"], userEmail: "new.hire@acme.test" })).toThrow(/no active member/);
  });
});

describe("member reinvites", () => {
  it("resends pending invites, requires regenerate for expired ones, and audits member.reinvite", async () => {
    const emu = demo();
    const fresh = emu.state.members.find((m) => m.email === "new.hire@acme.test")?.id;
    const expired = emu.state.members.find((m) => m.email === "expired.one@acme.test")?.id;
    const url = (id?: string) => `/api/0/organizations/acme/members/${id}/`;
    expect((await call(emu, "PUT", url(fresh), { body: { reinvite: true } })).status).toBe(200);
    expect(emu.state.auditLog.at(-1)?.event).toBe("member.reinvite");
    expect(await call(emu, "PUT", url(expired), { body: { reinvite: true } })).toMatchObject({
      status: 400,
      body: { detail: "You cannot resend an expired invitation without regenerating the token." },
    });
    const renewed = await call(emu, "PUT", url(expired), { body: { reinvite: true, regenerate: true } });
    expect(asObject(renewed.body).expired).toBe(false);
    expect((await call(emu, "PUT", url(fresh), { body: { reinvite: true, orgRole: "manager" } })).status).toBe(403);
  });
});
