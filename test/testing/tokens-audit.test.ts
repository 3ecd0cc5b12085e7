import { describe, expect, it } from "vitest";
import { operationTable } from "../../src/generated/operations.js";
import { asArray, asObject, call, demo } from "./helpers.js";

const ORG = "/api/0/organizations/acme";
const table = operationTable as unknown as Record<string, { sessionOnly: boolean }>;

describe("API tokens", () => {
  it("treats bearer tokens on the session-only /api-tokens/ routes as unauthenticated", async () => {
    const emu = demo();
    for (const [method, body] of [
      ["GET", undefined],
      ["POST", { scopes: ["org:read"] }],
      ["DELETE", { tokenId: "1" }],
    ] as const) {
      expect(await call(emu, method, "/api/0/api-tokens/", { body })).toMatchObject({
        status: 401,
        body: { detail: "Authentication credentials were not provided." },
      });
    }
  });

  it("reads, renames and deletes the caller's own user token, never returning its value", async () => {
    const emu = demo();
    const value = emu.issueToken({ scopes: ["org:read"], name: "mine" });
    const id = emu.state.tokens.at(-1)?.id;
    const read = await call(emu, "GET", `/api/0/api-tokens/${id}/`, { token: value });
    expect(read).toMatchObject({ status: 200, body: { name: "mine", tokenLastCharacters: value.slice(-4), expiresAt: null } });
    expect(JSON.stringify(read.body)).not.toContain(value);
    expect(await call(emu, "PUT", `/api/0/api-tokens/${id}/`, { token: value, body: { name: "renamed" } })).toMatchObject({
      status: 200,
      body: { name: "renamed" },
    });
    const someoneElses = emu.state.tokens.find((t) => t.name === "onboarding-bot-prod")?.id;
    expect(await call(emu, "GET", `/api/0/api-tokens/${someoneElses}/`, { token: value })).toMatchObject({ status: 404, body: { detail: "Invalid token ID" } });
    expect((await call(emu, "DELETE", `/api/0/api-tokens/${id}/`, { token: value })).status).toBe(204);
    expect((await call(emu, "GET", `${ORG}/teams/`, { token: value })).status).toBe(401);
  });

  it("answers the API root with the calling token's own scopes and user, as Sentry's IndexEndpoint does", async () => {
    const emu = demo();
    const value = emu.issueToken({ scopes: ["team:read", "member:read"], name: "reader" });
    const own = await call(emu, "GET", "/api/0/", { token: value });
    expect(own.status).toBe(200);
    expect(asObject(own.body)).toMatchObject({ version: "0", auth: { scopes: ["team:read", "member:read"] } });
    expect(asObject(asObject(own.body).user)).toHaveProperty("email");
    const org = emu.issueToken({ scopes: [], kind: "org" });
    expect(await call(emu, "GET", "/api/0/", { token: org })).toMatchObject({ status: 200, body: { auth: { scopes: ["org:ci"] }, user: null } });
    expect(await call(emu, "GET", "/api/0/", { token: null })).toMatchObject({ status: 200, body: { version: "0", auth: null, user: null } });
    expect(await call(emu, "GET", "/api/0/", { token: "sntryu_not-a-real-token" })).toMatchObject({ status: 401, body: { detail: "Invalid token" } });
  });

  it("never exposes token values in the state snapshot", () => {
    const emu = demo();
    const value = emu.issueToken({ scopes: ["org:read"] });
    const snapshot = JSON.stringify(emu.state);
    expect(snapshot).not.toContain(value);
    expect(snapshot).not.toContain(emu.adminToken);
    expect(snapshot).not.toContain(emu.scimToken as string);
  });
});

describe("org auth tokens", () => {
  it("gets, renames (204) and deactivates (204) org auth tokens, always with scope org:ci", async () => {
    const emu = demo();
    const id = emu.state.tokens.find((t) => t.kind === "org")?.id;
    expect(await call(emu, "GET", `${ORG}/org-auth-tokens/${id}/`)).toMatchObject({ status: 200, body: { scopes: ["org:ci"] } });
    expect((await call(emu, "PUT", `${ORG}/org-auth-tokens/${id}/`, { body: { name: "ci-prod" } })).status).toBe(204);
    expect(await call(emu, "PUT", `${ORG}/org-auth-tokens/${id}/`, { body: { name: " " } })).toMatchObject({
      status: 400,
      body: { detail: "The name cannot be blank." },
    });
    expect((await call(emu, "DELETE", `${ORG}/org-auth-tokens/${id}/`)).status).toBe(204);
    expect((await call(emu, "GET", `${ORG}/org-auth-tokens/${id}/`)).status).toBe(404);
    expect(emu.state.tokens.find((t) => t.id === id)?.active).toBe(false);
  });

  it("lists and creates org auth tokens only where the operation table allows bearer tokens", async () => {
    const emu = demo();
    const list = await call(emu, "GET", `${ORG}/org-auth-tokens/`);
    const create = await call(emu, "POST", `${ORG}/org-auth-tokens/`, { body: { name: "deploys" } });
    if (table.listOrganizationAuthTokens?.sessionOnly) expect(list.status).toBe(401);
    else expect(asArray(list.body).every((t) => (t.scopes as string[]).join() === "org:ci")).toBe(true);
    if (table.createOrganizationAuthToken?.sessionOnly) expect(create.status).toBe(401);
    else expect(String(asObject(create.body).token)).toMatch(/^sntrys_/);
  });

  it("reports the SSO provider with its SCIM flag, or 204 without one", async () => {
    const emu = demo();
    expect(await call(emu, "GET", `${ORG}/auth-provider/`)).toMatchObject({ status: 200, body: { provider_name: "okta", scim_enabled: true } });
  });
});

describe("audit entries for every mutation", () => {
  it("records Sentry's event names with actor, IP, target and time", async () => {
    const emu = demo();
    const kai = emu.state.members.find((m) => m.email === "kai.rossi@acme.test")?.id;
    const orgTokenId = emu.state.tokens.find((t) => t.kind === "org")?.id;
    const steps: Array<[string, string, unknown, string | string[], string | undefined]> = [
      // organization_teams.py: the creating member joins first (member.join-team), then team.create.
      ["POST", `${ORG}/teams/`, { slug: "audited" }, ["member.join-team", "team.create"], undefined],
      ["PUT", "/api/0/teams/acme/audited/", { name: "Audited" }, "team.edit", undefined],
      ["POST", `${ORG}/members/`, { email: "audit.me@acme.test" }, "member.invite", undefined],
      ["PUT", `${ORG}/members/${kai}/`, { orgRole: "member", teamRoles: [{ teamSlug: "payments", role: null }] }, "member.edit", undefined],
      ["POST", `${ORG}/members/${kai}/teams/audited/`, undefined, "member.join-team", undefined],
      ["PUT", `${ORG}/members/${kai}/teams/audited/`, { teamRole: "admin" }, "member.edit", undefined],
      ["DELETE", `${ORG}/members/${kai}/teams/audited/`, undefined, "member.leave-team", undefined],
      ["POST", "/api/0/projects/acme/payment-api/teams/audited/", undefined, "project-team.add", undefined],
      ["DELETE", "/api/0/projects/acme/payment-api/teams/audited/", undefined, "project-team.remove", undefined],
      ["DELETE", "/api/0/teams/acme/audited/", undefined, "team.remove", undefined],
      ["DELETE", `${ORG}/members/${kai}/`, undefined, "member.remove", undefined],
      ["DELETE", `${ORG}/org-auth-tokens/${orgTokenId}/`, undefined, "org-auth-token.remove", undefined],
      ["POST", `${ORG}/scim/v2/Users`, { userName: "scim.audit@acme.test" }, "member.invite", "scim"],
      ["POST", `${ORG}/scim/v2/Groups`, { displayName: "Scim Audit" }, "team.create", "scim"],
    ];
    for (const [method, path, body, event, who] of steps) {
      const before = emu.state.auditLog.length;
      const res = await call(emu, method, path, { body, token: who === "scim" ? emu.scimToken : emu.adminToken });
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
      const entries = emu.state.auditLog.slice(before);
      expect(
        entries.map((e) => e.event),
        `${method} ${path}`,
      ).toEqual(Array.isArray(event) ? event : [event]);
      const entry = entries[0];
      expect(entry?.ipAddress).toBe("127.0.0.1");
      expect(entry?.targetObject).not.toBeNull();
      if (who === "scim") expect(entry?.actorLabel).toMatch(/^SCIM Internal Integration \([0-9a-f]{6}\)$/);
      else expect(entry?.actorUserId).toBe("1");
    }
    const page = asObject((await call(emu, "GET", `${ORG}/audit-logs/?per_page=3`)).body);
    const newest = asArray(page.rows)[0];
    expect(newest).toMatchObject({
      event: "team.create",
      actor: { name: expect.stringMatching(/^SCIM Internal Integration/) },
      note: "created team scim-audit",
    });
  });

  it("audits org auth tokens issued outside the API as org-auth-token.create", () => {
    const emu = demo();
    emu.issueToken({ kind: "org", scopes: ["org:ci"], name: "deploy-bot" });
    expect(emu.state.auditLog.at(-1)).toMatchObject({ event: "org-auth-token.create", actorUserId: "1", data: { name: "deploy-bot" } });
  });

  it("writes no audit entry for reads or refused requests", async () => {
    const emu = demo();
    const before = emu.state.auditLog.length;
    await call(emu, "GET", `${ORG}/teams/`);
    await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "payments" } });
    expect(emu.state.auditLog.length).toBe(before);
  });
});
