import type { Command } from "commander";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { registerScimCheckCommand } from "../../../src/cli/commands/scim-check.js";
import { printError } from "../../../src/cli/errors.js";
import { exitCodeFor } from "../../../src/cli/exit-codes.js";
import { buildProgram } from "../../../src/cli/program.js";
import { createEmulator } from "../../../src/testing/index.js";
import { createFakeIo, type FakeIoOptions } from "../helpers.js";

// `scim` belongs to the resource commands; until they hook `check` in, the test adds it itself.
async function run(argv: string[], options: FakeIoOptions) {
  const io = createFakeIo(options);
  const program = buildProgram(io);
  const scim: Command = program.commands.find((c) => c.name() === "scim") ?? program.command("scim");
  if (!scim.commands.some((c) => c.name() === "check")) registerScimCheckCommand(scim, io);
  let code = 0;
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) printError(io.stderr, error);
    code = exitCodeFor(error);
  }
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

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
