import { describe, expect, it } from "vitest";
import { loadCliConfig, parseIni } from "../../src/cli/config-file.js";
import { demoCli, runWith } from "./helpers.js";

describe("sentry-cli's config files", () => {
  it("parses INI sections, comments, quotes and both separators", () => {
    expect(parseIni("; c\n# c\n[auth]\ntoken = 'abc'\n[defaults]\nurl: https://x.test\norg=acme\n[profile  eu]\norg = acme-eu")).toEqual({
      "": {},
      auth: { token: "abc" },
      defaults: { url: "https://x.test", org: "acme" },
      "profile eu": { org: "acme-eu" },
    });
  });

  it("home, then the nearest project file, then SENTRY_PROPERTIES; later wins; every token is a secret", () => {
    const config = loadCliConfig({
      env: { SENTRY_PROPERTIES: "/p/sentry.properties" },
      cwd: "/work/app/src",
      homeDir: "/home/ada",
      readTextFileSync: (path) =>
        ({
          "/home/ada/.sentryclirc":
            "[auth]\ntoken=home-token-value\n[defaults]\norg=home-org\nurl=https://home.test\n[profile eu]\ntoken=eu-token-value\norg=acme-eu",
          "/work/app/.sentryclirc": "[defaults]\norg=project-org",
          "/p/sentry.properties": "defaults.url=https://props.test\n",
        })[path],
    });
    expect(config.defaults).toEqual({ token: "home-token-value", org: "project-org", url: "https://props.test" });
    expect(config.files).toEqual(["/home/ada/.sentryclirc", "/work/app/.sentryclirc", "/p/sentry.properties"]);
    expect(config.profiles.eu).toEqual({ token: "eu-token-value", org: "acme-eu" });
    expect(config.secrets).toEqual(["home-token-value", "eu-token-value"]);
  });
});

describe("the CLI reads them below flags and env", () => {
  const rcToken = (token: string) => `[auth]\ntoken = ${token}\n[defaults]\norg = acme\nurl = https://sentry.test\n[profile other]\norg = nosuch\n`;

  it("token, org and url from ~/.sentryclirc alone; the token is never printed", async () => {
    const { emu, options } = demoCli();
    const run = await runWith(["whoami", "--json"], { ...options(), env: {}, homeDir: "/home/u", files: { "/home/u/.sentryclirc": rcToken(emu.adminToken) } });
    expect(run.code).toBe(0);
    const me = JSON.parse(run.stdout) as { org: string; scopes: string[]; orgRole: string | null };
    expect(me.org).toBe("acme");
    expect(me.scopes.length).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).not.toContain(emu.adminToken);
  });

  it("--org and SENTRY_ORG beat the file; --profile picks a section and env still wins over it, with a note", async () => {
    const { emu, options } = demoCli();
    const files = { "/home/u/.sentryclirc": rcToken(emu.adminToken) };
    const base = { ...options(), homeDir: "/home/u", files };
    const viaProfile = await runWith(["--profile", "other", "teams", "list"], { ...base, env: {} });
    expect(viaProfile.code).toBe(4);
    expect(viaProfile.stderr).toContain("organization 'nosuch' not found");
    const envWins = await runWith(["--profile", "other", "teams", "list", "--json"], { ...base, env: { SENTRY_ORG: "acme" } });
    expect(envWins.code).toBe(0);
    expect(envWins.stderr).toContain("SENTRY_ORG in the environment overrides profile 'other''s org");
    const flagWins = await runWith(["--org", "acme", "--profile", "other", "teams", "list", "--json"], { ...base, env: {} });
    expect(flagWins.code).toBe(0);
    const unknown = await runWith(["--profile", "nope", "teams", "list"], { ...base, env: {} });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Known profiles: other");
  });

  it("masks a config-file token in everything printed even when another token is in use", async () => {
    const { options } = demoCli();
    const fileOnly = "file-only-secret-value-42";
    const run = await runWith(["teams", "get", fileOnly], { ...options(), homeDir: "/h", files: { "/h/.sentryclirc": `[profile x]\ntoken=${fileOnly}` } });
    expect(run.code).toBe(4);
    expect(run.stderr).not.toContain(fileOnly);
  });
});

describe("--verbose", () => {
  it("logs each request with status, time and rate-limit headers to stderr, never the token", async () => {
    const { emu, options } = demoCli({ rateLimit: { limit: 500, windowMs: 60_000 } });
    const run = await runWith(["--verbose", "teams", "list", "--json"], options());
    expect(run.code).toBe(0);
    JSON.parse(run.stdout);
    expect(run.stderr).toMatch(/^> GET \/api\/0\/organizations\/acme\/teams\/\?per_page=100 200 \d+ ms \[rate-limit remaining=\d+ limit=500 reset=\d+/m);
    expect(run.stderr).not.toContain(emu.adminToken);
  });
});
