import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { VERSION } from "../../src/version.js";
import { createFakeIo, runWith } from "./helpers.js";

const TOKEN = `sntryu_${"ef56".repeat(16)}`;

describe("runCli", () => {
  it("prints help to stdout with exit 0, listing commands, environment and exit codes", async () => {
    const { code, stdout, stderr } = await runWith(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage: sentry-rbac");
    for (const command of ["sso", "scopes", "emulator"]) expect(stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(stdout).toContain("SENTRY_AUTH_TOKEN");
    expect(stdout).toContain("3 authentication or permission error");
    expect(stdout).not.toMatch(/--(auth-|scim-)?token </);
  });

  it("prints the version with exit 0", async () => {
    const { code, stdout } = await runWith(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(VERSION);
  });

  it("exits 2 with help on stderr when no command is given", async () => {
    const { code, stdout, stderr } = await runWith([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: sentry-rbac");
  });

  it("exits 2 for an unknown command or option", async () => {
    const unknownCommand = await runWith(["nonsense"]);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'nonsense'");
    const unknownOption = await runWith(["scopes", "org.teams.list", "--frobnicate"]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--frobnicate'");
  });

  it("exits 2 for a bad --region choice and for two output formats", async () => {
    expect((await runWith(["--region", "eu", "scopes", "org.teams.list"])).code).toBe(2);
    const both = await runWith(["scopes", "org.teams.list", "--json", "--csv"]);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe("");
    expect(both.stderr).toContain("error: --json and --csv cannot be combined");
  });

  it.each([["--token", TOKEN], [`--token=${TOKEN}`], ["--auth-token", TOKEN], [`--scim-token=${TOKEN}`]])(
    "refuses %s without echoing the value",
    async (...args) => {
      const { code, stdout, stderr } = await runWith(["scopes", "org.teams.list", ...args]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain("there is no --token flag");
      expect(stderr).toContain("SENTRY_AUTH_TOKEN");
      expect(stderr + stdout).not.toContain(TOKEN);
    },
  );

  it("masks a token pasted into a mistyped option in commander's own error", async () => {
    const { code, stderr } = await runWith(["scopes", "org.teams.list", `--tokne=${TOKEN}`]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--tokne=[REDACTED]'");
    expect(stderr).not.toContain(TOKEN);
  });

  it("masks the configured token wherever it shows up in output", async () => {
    const secret = "legacy-token-without-prefix";
    const { stderr, stdout } = await runWith(["scopes", secret], { env: { SENTRY_AUTH_TOKEN: secret } });
    expect(stderr).toContain("unknown method or operation: [REDACTED]");
    expect(stderr + stdout).not.toContain(secret);
  });

  it("accepts `--` so a later argument that looks like a flag is not refused", async () => {
    const { code, stderr } = await runWith(["scopes", "--", "--token"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown method or operation: --token");
  });
});

describe("buildProgram", () => {
  it("lets a new command be added with one registration and inherit output and exit handling", async () => {
    const io = createFakeIo();
    const program = buildProgram(io);
    program.command("hello").action(() => io.stdout.write("hi\n"));
    await program.parseAsync(["hello"], { from: "user" });
    expect(io.stdoutText()).toBe("hi\n");
    await expect(program.parseAsync(["hello", "--nope"], { from: "user" })).rejects.toMatchObject({ code: "commander.unknownOption" });
    expect(io.stderrText()).toContain("unknown option '--nope'");
  });
});
