import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellExport } from "../../../src/cli/emulator-command.js";
import { runCli } from "../../../src/cli/program.js";
import { createFakeIo } from "../helpers.js";

/** The banner as a POSIX shell sees it after `eval`: every SENTRY_* variable it exports. */
function banner(stdout: string): Record<string, string> {
  const out = execFileSync("sh", ["-c", 'eval "$1"; env', "sh", stdout], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  return Object.fromEntries(
    out
      .split("\n")
      .filter((line) => line.startsWith("SENTRY_"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("sentry-rbac emulator", () => {
  it("serves the demo org on a real port until shutdown, printing how to reach it", async () => {
    const io = createFakeIo();
    const exit = runCli(["emulator", "--port", "0"], io);
    await io.waiting;
    const env = banner(io.stdoutText());
    expect(env.SENTRY_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.SENTRY_ORG).toBeTruthy();
    expect(io.stderrText()).toContain("Press Ctrl+C to stop.");

    const teams = await fetch(`${env.SENTRY_URL}/api/0/organizations/${env.SENTRY_ORG}/teams/`, {
      headers: { Authorization: `Bearer ${env.SENTRY_AUTH_TOKEN}` },
    });
    expect(teams.status).toBe(200);
    expect(((await teams.json()) as unknown[]).length).toBeGreaterThan(0);

    io.shutdown();
    expect(await exit).toBe(0);
    await expect(fetch(`${env.SENTRY_URL}/api/0/`)).rejects.toThrow();
  });

  it("quotes exported values so any value survives eval", () => {
    const value = 'it\'s $HOME `id` \\ "x"';
    const out = execFileSync("sh", ["-c", 'eval "$1"; printf %s "$X"', "sh", shellExport("X", value)], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(out).toBe(value);
    expect(shellExport("SENTRY_ORG", "acme")).toBe("export SENTRY_ORG='acme'");
  });

  it("starts the empty fixture on request", async () => {
    const io = createFakeIo();
    const exit = runCli(["emulator", "--port", "0", "--fixture", "empty"], io);
    await io.waiting;
    expect(io.stdoutText()).toContain("fixture: empty");
    io.shutdown();
    expect(await exit).toBe(0);
  });

  it("exits 2 for a bad port or fixture before starting anything", async () => {
    for (const argv of [
      ["emulator", "--port", "http"],
      ["emulator", "--port", "70000"],
      ["emulator", "--fixture", "prod"],
    ]) {
      const io = createFakeIo();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.stdoutText()).toBe("");
    }
  });
});
