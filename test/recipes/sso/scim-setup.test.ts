import { afterEach, describe, expect, it } from "vitest";
import { checkScimSetup, type ScimSetupCheck } from "../../../src/recipes/sso/scim-setup.js";
import { demoFixture } from "../../../src/testing/index.js";
import { closeClients, resourceHarness } from "../../resources/helpers.js";

afterEach(closeClients);

const byName = (checks: ScimSetupCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

describe("checkScimSetup", () => {
  it("passes every check with the SCIM token and counts users and groups, reading only", async () => {
    const { sentry, emu } = resourceHarness();
    const report = await checkScimSetup(sentry);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(["scim-token", "sso-provider", "scim-enabled", "scim-users", "scim-groups"]);
    expect(report.counts).toEqual({ users: emu.state.members.length, groups: emu.state.teams.length });
    expect(byName(report.checks)["sso-provider"]?.detail).toContain("okta");
    expect(emu.state.requests.every((r) => r.method === "GET")).toBe(true);
    expect(emu.state.requests.map((r) => r.operationId)).toEqual([
      "getOrganizationAuthProvider",
      "listOrganizationScimV2Users",
      "listOrganizationScimV2Groups",
    ]);
  });

  // Sentry answers an org auth token on SCIM with 403 from the scope check (scim/utils.py
  // OrganizationSCIMPermission), not the seed's 401.
  it("explains a 403 from an org auth token used instead of the SCIM token", async () => {
    const h = resourceHarness();
    const orgToken = h.emu.issueToken({ kind: "org", name: "ci-release-upload-prod", scopes: ["org:ci"] });
    const { sentry } = h.clientWith({ token: h.emu.adminToken, scimToken: orgToken });
    const report = await checkScimSetup(sentry);
    const users = byName(report.checks)["scim-users"];
    expect(report.ok).toBe(false);
    expect(users).toMatchObject({ ok: false, detail: expect.stringContaining("403") });
    expect(users?.fix).toMatch(/SCIM token.*not an org auth token/);
    expect(JSON.stringify(report)).not.toContain(orgToken);
  });

  it("explains a 403 from a token without member:read", async () => {
    const h = resourceHarness();
    const weak = h.emu.issueToken({ kind: "user", name: "reporting-prod", scopes: ["org:read"] });
    const { sentry } = h.clientWith({ token: h.emu.adminToken, scimToken: weak });
    const checks = byName((await checkScimSetup(sentry)).checks);
    expect(checks["scim-users"]).toMatchObject({ ok: false, detail: expect.stringContaining("403") });
    expect(checks["scim-users"]?.fix).toContain("member:read");
    expect(checks["scim-groups"]?.fix).toContain("team:read");
  });

  it("says SCIM is not enabled when the provider has it off", async () => {
    const fixture = demoFixture();
    fixture.authProvider = { provider: "okta", scimEnabled: false };
    const h = resourceHarness({ fixture });
    const { sentry } = h.clientWith({ token: h.emu.adminToken });
    const report = await checkScimSetup(sentry);
    const checks = byName(report.checks);
    expect(checks["scim-token"]?.ok).toBe(false);
    expect(checks["scim-enabled"]).toMatchObject({ ok: false, fix: expect.stringContaining("Enable SCIM") });
    expect(checks["scim-users"]?.fix).toContain("SCIM is not enabled");
  });

  it("says SSO must come first when no provider is configured", async () => {
    const fixture = demoFixture();
    fixture.authProvider = null;
    const h = resourceHarness({ fixture });
    const { sentry } = h.clientWith({ token: h.emu.adminToken });
    const checks = byName((await checkScimSetup(sentry)).checks);
    expect(checks["sso-provider"]).toMatchObject({ ok: false, fix: expect.stringContaining("SAML2") });
    expect(checks["scim-enabled"]).toBeUndefined();
    expect(checks["scim-users"]?.ok).toBe(false);
  });
});
