import { describe, expect, it } from "vitest";
import { createEmulator } from "../../../src/testing/index.js";
import { runWith, type FakeIoOptions } from "../helpers.js";

const run = (argv: string[], options: FakeIoOptions) => runWith(argv, options);

describe("sentry-rbac scim check", () => {
  const emu = createEmulator({ fixture: "demo", rateLimit: false, baseUrl: "https://sentry.test" });
  const base = { SENTRY_AUTH_TOKEN: emu.adminToken, SENTRY_ORG: emu.org, SENTRY_URL: "https://sentry.test" };

  it("passes every check with the SCIM token and reports the counts", async () => {
    const { code, stdout } = await run(["scim", "check"], { env: { ...base, SENTRY_SCIM_TOKEN: emu.scimToken }, fetch: emu.fetch });
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok\s+sso-provider/);
    expect(stdout).toMatch(/ok\s+scim-users/);
    expect(stdout).toMatch(/SCIM sees \d+ user\(s\) and \d+ group\(s\)\./);
    expect(stdout).not.toContain("FAIL");
  });

  it("fails (exit 1) with a fix when the SCIM calls use an org auth token instead, and prints no token", async () => {
    const wrong = emu.issueToken({ kind: "org", name: "ci-release-upload-prod", scopes: ["org:ci"] });
    const { code, stdout, stderr } = await run(["scim", "check", "--json"], { env: { ...base, SENTRY_SCIM_TOKEN: wrong }, fetch: emu.fetch });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; fix?: string }> };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === "scim-users")).toMatchObject({ ok: false, fix: expect.any(String) });
    expect(stderr).toContain("SCIM check(s) failed");
    expect(stdout + stderr).not.toContain(wrong);
    expect(stdout + stderr).not.toContain(emu.adminToken);
  });
});
