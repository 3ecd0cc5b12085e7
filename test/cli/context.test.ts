import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createCommandContext, type CommandContext } from "../../src/cli/context.js";
import { CliError, UsageError } from "../../src/cli/errors.js";
import { buildProgram } from "../../src/cli/program.js";
import { createEmulator } from "../../src/testing/index.js";
import { createFakeIo, type FakeIoOptions } from "./helpers.js";

const TOKEN = `sntryu_${"cd34".repeat(16)}`;

/** Parses argv with a probe command added the way real commands are registered, and returns its context. */
async function contextFor(argv: string[], options: FakeIoOptions = {}): Promise<CommandContext> {
  const io = createFakeIo(options);
  const program = buildProgram(io);
  let captured: CommandContext | undefined;
  program.command("probe").action((_options: unknown, command) => {
    captured = createCommandContext(io, command);
  });
  await program.parseAsync(argv, { from: "user" });
  if (!captured) throw new Error("probe did not run");
  return captured;
}

describe("createCommandContext", () => {
  it("takes --org over SENTRY_ORG, and global flags before or after the command", async () => {
    expect((await contextFor(["probe"], { env: { SENTRY_ORG: "acme" } })).org).toBe("acme");
    expect((await contextFor(["--org", "globex", "probe"], { env: { SENTRY_ORG: "acme" } })).org).toBe("globex");
    expect((await contextFor(["probe", "--org", "globex", "--csv"])).format).toBe("csv");
  });

  it("asks for an organization when none is given", async () => {
    const ctx = await contextFor(["probe"]);
    expect(() => ctx.requireOrg()).toThrow(UsageError);
    expect(() => ctx.requireOrg()).toThrow("no organization given");
  });

  it("refuses --url with --region, and two output formats", async () => {
    await expect(contextFor(["probe", "--url", "https://sentry.example.com", "--region", "de"])).rejects.toThrow("--url and --region cannot be combined");
    await expect(contextFor(["probe", "--json", "--ndjson"])).rejects.toBeInstanceOf(UsageError);
  });

  it("fails with exit 3 and a hint when no token is configured", async () => {
    const ctx = await contextFor(["probe"], { env: { SENTRY_ORG: "acme" } });
    expect(() => ctx.clientOptions()).toThrow(CliError);
    try {
      ctx.clientOptions();
    } catch (error) {
      expect(error).toMatchObject({ exitCode: 3, hint: expect.stringContaining("SENTRY_AUTH_TOKEN") });
    }
  });

  it("builds client options from flags over env, with tokens as providers that never show in a dump", async () => {
    const env = { SENTRY_AUTH_TOKEN: TOKEN, SENTRY_SCIM_TOKEN: `${TOKEN}-scim`, SENTRY_ORG: "acme", SENTRY_URL: "https://sentry.example.com" };
    const fromEnv = (await contextFor(["probe"], { env })).clientOptions();
    expect(fromEnv).toMatchObject({ org: "acme", baseUrl: "https://sentry.example.com" });
    expect(typeof fromEnv.token).toBe("function");
    expect(await (fromEnv.token as () => Promise<string> | string)()).toBe(TOKEN);
    expect(await (fromEnv.scimToken as () => Promise<string> | string)()).toBe(`${TOKEN}-scim`);
    expect(JSON.stringify(fromEnv)).not.toContain(TOKEN);
    expect(inspect(fromEnv, { depth: 5 })).not.toContain(TOKEN);

    const fromFlags = (await contextFor(["probe", "--org", "globex", "--region", "de"], { env })).clientOptions();
    expect(fromFlags).toMatchObject({ org: "globex", region: "de" });
    expect(fromFlags.baseUrl).toBeUndefined();
  });

  it("gives commands a working SDK client against the configured server", async () => {
    const emu = createEmulator({ fixture: "demo" });
    const ctx = await contextFor(["probe"], {
      env: { SENTRY_AUTH_TOKEN: emu.adminToken, SENTRY_ORG: emu.org, SENTRY_URL: "http://127.0.0.1:9" },
      fetch: emu.fetch,
    });
    const { response } = await ctx.client().raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
      params: { path: { organization_id_or_slug: emu.org } },
    });
    expect(response.status).toBe(200);
    expect(ctx.client()).toBe(ctx.client());
    await ctx.close();
  });

  it("masks the configured tokens in what commands write", async () => {
    const ctx = await contextFor(["probe"], { env: { SENTRY_AUTH_TOKEN: "plain-secret-123456" } });
    ctx.write("value plain-secret-123456\n");
    ctx.note("note plain-secret-123456");
    const io = ctx.io as ReturnType<typeof createFakeIo>;
    expect(io.stdoutText()).toBe("value [REDACTED]\n");
    expect(io.stderrText()).toBe("note [REDACTED]\n");
  });
});
