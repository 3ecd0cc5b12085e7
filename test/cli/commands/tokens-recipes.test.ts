import { describe, expect, it } from "vitest";
import { runShellHook, type HookRunner } from "../../../src/cli/commands/tokens-recipes.js";
import { createEmulator } from "../../../src/testing/index.js";
import { demoCli, runWith, type FakeIoOptions } from "../helpers.js";

// The CLI as users run it, with the rotate hooks answered by `runner` instead of the shell.
const run = (argv: string[], options: FakeIoOptions, runner?: HookRunner) => runWith(argv, runner ? { ...options, runHook: runner } : options);

const setup = () => demoCli();

const RECORDS = JSON.stringify([
  { id: "1", name: "ci-cd-pipeline-prod", scopes: ["project:releases", "org:read"], dateCreated: new Date().toISOString(), kind: "user" },
  { id: "2", name: "my token", scopes: ["org:admin"], dateCreated: "2020-01-01T00:00:00Z", kind: "user", token: "sntryu_shouldneverbeprinted0000" },
]);

describe("sentry-rbac tokens lint", () => {
  it("lints records from a file with no token configured, printing findings and exiting 1", async () => {
    const { code, stdout } = await run(["tokens", "lint", "--file", "t.json"], { files: { "t.json": RECORDS } });
    expect(code).toBe(1);
    expect(stdout).toContain("2 token(s), 1 clean");
    expect(stdout).toMatch(/name-convention\s+my token \(2\)/);
    expect(stdout).toMatch(/rotation-due\s+my token/);
    expect(stdout).not.toContain("ci-cd-pipeline-prod");
    expect(stdout).not.toContain("shouldneverbeprinted");
  });

  it("reads stdin with --file -, honours --max-age-days, and exits 0 when clean", async () => {
    const clean = JSON.stringify([
      { id: "1", name: "ci-cd-pipeline-prod", scopes: ["project:releases"], dateCreated: new Date(Date.now() - 40 * 86_400_000).toISOString() },
    ]);
    expect((await run(["tokens", "lint", "--file", "-"], { stdin: clean })).code).toBe(0);
    const strict = await run(["tokens", "lint", "--file", "-", "--max-age-days", "30", "--json"], { stdin: clean });
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ findings: [{ code: "rotation-due", tokenId: "1" }] });
  });

  it("without --file, explains that listing needs a browser session (exit 3) and sends nothing", async () => {
    const { emu, options } = setup();
    const { code, stderr } = await run(["tokens", "lint"], options());
    expect(code).toBe(3);
    expect(stderr).toContain("browser session");
    expect(stderr).toMatch(/hint: .*--file/);
    expect(emu.state.requests).toHaveLength(0);
  });

  it("exits 2 for a file that is not a list of token records", async () => {
    expect((await run(["tokens", "lint", "--file", "t.json"], { files: { "t.json": "{}" } })).code).toBe(2);
    expect((await run(["tokens", "lint", "--file", "t.json"], { files: { "t.json": '[{"name":1}]' } })).code).toBe(2);
  });
});

describe("sentry-rbac tokens rotate", () => {
  function mintingRunner(emu: ReturnType<typeof createEmulator>, calls: Array<{ command: string; input: unknown }>): HookRunner {
    return async (command, input) => {
      const parsed = JSON.parse(input) as { name: string; scopes: string[]; kind: "user" };
      calls.push({ command, input: parsed });
      if (command === "mint") {
        const token = emu.issueToken({ kind: parsed.kind, name: parsed.name, scopes: parsed.scopes });
        const id = emu.state.tokens.find((t) => t.name === parsed.name)?.id;
        return { exitCode: 0, stdout: JSON.stringify({ id, token }) };
      }
      return { exitCode: command === "publish-fails" ? 7 : 0, stdout: "" };
    };
  }

  it("mints through the mint hook, hands the value to publish on stdin, revokes the old token, never prints it", async () => {
    const { emu, options } = setup();
    emu.issueToken({ kind: "user", name: "ci-cd-pipeline-prod", scopes: ["project:releases", "org:read"] });
    const current = emu.state.tokens.find((t) => t.name === "ci-cd-pipeline-prod")?.id ?? "";
    const calls: Array<{ command: string; input: unknown }> = [];
    const { code, stdout, stderr } = await run(
      ["tokens", "rotate", "--kind", "user", "--id", current, "--mint-command", "mint", "--publish-command", "publish"],
      options(),
      mintingRunner(emu, calls),
    );
    expect(stderr).toContain("Rotated: successor ci-cd-pipeline-prod-");
    expect(code).toBe(0);
    expect(calls.map((c) => c.command)).toEqual(["mint", "publish"]);
    const published = calls[1]?.input as { token: string; name: string };
    expect(published.token).toMatch(/^sntryu_/);
    expect(stdout + stderr).not.toContain(published.token);
    expect(stdout).toMatch(/revoke\s+done/);
    expect(emu.state.tokens.find((t) => t.id === current)?.active ?? false).toBe(false);
    expect(emu.state.tokens.find((t) => t.name === published.name)?.active).toBe(true);
  });

  it("--dry-run plans without hooks and changes nothing; a failing publish rolls back (exit 1)", async () => {
    const { emu, options } = setup();
    emu.issueToken({ kind: "user", name: "deploy-staging", scopes: ["project:releases"] });
    const current = emu.state.tokens.find((t) => t.name === "deploy-staging")?.id ?? "";
    // dateLastUsed moves on every read; what a dry run must not change is which tokens exist and are active.
    const tokens = () => JSON.stringify(emu.state.tokens.map((t) => [t.id, t.name, t.active]));
    const before = tokens();
    const dry = await run(["tokens", "rotate", "--kind", "user", "--id", current, "--dry-run"], options());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/mint\s+planned/);
    expect(tokens()).toBe(before);

    const calls: Array<{ command: string; input: unknown }> = [];
    const failed = await run(
      ["tokens", "rotate", "--kind", "user", "--id", current, "--mint-command", "mint", "--publish-command", "publish-fails"],
      options(),
      mintingRunner(emu, calls),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("token rotation failed at publish");
    expect(failed.stdout).toMatch(/rollback\s+done/);
    expect(emu.state.tokens.find((t) => t.id === current)?.active).toBe(true);
    expect(emu.state.tokens.filter((t) => t.name.startsWith("deploy-staging-")).map((t) => t.active)).toEqual([false]);
  });

  it("hook commands get the environment without the admin's Sentry credentials", async () => {
    const { emu, env, options } = demoCli();
    emu.issueToken({ kind: "user", name: "ci-cd-pipeline-prod", scopes: ["project:releases"] });
    const current = emu.state.tokens.find((t) => t.name === "ci-cd-pipeline-prod")?.id ?? "";
    const envs: Array<Record<string, string | undefined>> = [];
    const calls: Array<{ command: string; input: unknown }> = [];
    const minting = mintingRunner(emu, calls);
    const spy: HookRunner = async (command, input, hookOptions) => {
      envs.push({ ...hookOptions.env });
      return minting(command, input, hookOptions);
    };
    const pasted = `${env.SENTRY_AUTH_TOKEN} `;
    const { code } = await run(
      ["tokens", "rotate", "--kind", "user", "--id", current, "--mint-command", "mint", "--publish-command", "publish"],
      options({
        env: {
          ...env,
          SENTRY_SCIM_TOKEN: "scim-secret-value-123456",
          VAULT_ADDR: "https://vault.internal",
          PATH: "/usr/bin",
          COPY_OF_TOKEN: pasted,
          OTHER_SENTRY: "sntrys_eyJvcmciOiJhY21lIn0abcdef",
        },
      }),
      spy,
    );
    expect(code).toBe(0);
    expect(envs).toHaveLength(2);
    for (const hookEnv of envs) {
      expect(hookEnv).toMatchObject({ VAULT_ADDR: "https://vault.internal", PATH: "/usr/bin", SENTRY_ORG: "acme" });
      for (const name of ["SENTRY_AUTH_TOKEN", "SENTRY_SCIM_TOKEN", "COPY_OF_TOKEN", "OTHER_SENTRY"]) expect(hookEnv).not.toHaveProperty(name);
      expect(JSON.stringify(hookEnv)).not.toContain((env.SENTRY_AUTH_TOKEN ?? "").slice(7));
    }
  });

  it("requires the hooks unless --dry-run (exit 2, nothing sent)", async () => {
    const { emu, options } = setup();
    const { code, stderr } = await run(["tokens", "rotate", "--kind", "user", "--id", "5"], options());
    expect(code).toBe(2);
    expect(stderr).toContain("--mint-command and --publish-command are required");
    expect(emu.state.requests).toHaveLength(0);
  });

  it("the shell runner passes input on stdin (not argv or env) and masks secrets in the child's stderr", async () => {
    let forwarded = "";
    const secret = "sntryu_abcdefghijklmnop";
    const script =
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{process.stdout.write(JSON.stringify({argv:process.argv.slice(1),got:JSON.parse(s),env:JSON.stringify(process.env).includes('abcdefghijklmnop')}));process.stderr.write('leak '+JSON.parse(s).token)})";
    const result = await runShellHook(`node -e "${script}"`, JSON.stringify({ token: secret }), {
      env: { PATH: process.env.PATH },
      stderr: (text) => {
        forwarded += text;
      },
      secrets: () => [secret],
    });
    expect(result.exitCode).toBe(0);
    const seen = JSON.parse(result.stdout) as { argv: string[]; got: { token: string }; env: boolean };
    expect(seen.got.token).toBe(secret);
    expect(seen.argv.join(" ")).not.toContain(secret);
    expect(seen.env).toBe(false);
    expect(forwarded).toBe("leak [REDACTED]");
  });
});
