/**
 * The packed tarball, installed into a fresh project the way a user installs it: imported from ESM and CJS,
 * type-checked from a consumer file, and its CLI run (`--help` and the demo). Needs `dist/` (run after the build).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "sentry-rbac-smoke-"));
const project = join(work, "consumer");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(command: string, args: string[], cwd = project) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, SENTRY_AUTH_TOKEN: "", NO_COLOR: "1" }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  execFileSync(npm, ["pack", "--silent", "--pack-destination", work], { cwd: root, stdio: "pipe" });
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack produced no tarball");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  // Dependencies come from the npm cache when they are there; msw and ioredis (optional peers) are not installed.
  execFileSync(npm, ["install", join(work, tarball), "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: project, stdio: "pipe" });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the published package", () => {
  it("ships only what users need", () => {
    const files = readdirSync(join(project, "node_modules/sentry-rbac")).sort();
    expect(files).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "dist", "package.json", "rules"]);
    // The detection rules ship as YAML for users to copy and extend (the same content as DEFAULT_AUDIT_RULES).
    expect(readdirSync(join(project, "node_modules/sentry-rbac/rules"))).toEqual(["sentry-audit-rules.yaml"]);
  });

  it("imports from ESM: client, emulator and recipes work together", () => {
    const script = `
      import { createSentryClient, isPermissionError } from "sentry-rbac";
      import { createEmulator } from "sentry-rbac/testing";
      import { requiredScopes } from "sentry-rbac/recipes";
      const emu = createEmulator({ fixture: "demo", rateLimit: false });
      const sentry = createSentryClient({ token: emu.adminToken, org: emu.org, baseUrl: emu.baseUrl, fetch: emu.fetch });
      const teams = await sentry.org.teams.list().toArray();
      console.log(JSON.stringify({ teams: teams.length, scopes: requiredScopes(["org.teams.list"]).scopes, guard: typeof isPermissionError }));
      await sentry.close();`;
    const result = run(process.execPath, ["--input-type=module", "-e", script]);
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as { teams: number; scopes: string[]; guard: string };
    expect(out.teams).toBeGreaterThan(3);
    expect(out.scopes).toHaveLength(1);
    expect(out.guard).toBe("function");
  });

  it("requires from CJS", () => {
    const script = `
      const { createSentryClient, VERSION } = require("sentry-rbac");
      const { createEmulator } = require("sentry-rbac/testing");
      const { samlServiceProviderUrls } = require("sentry-rbac/recipes");
      const emu = createEmulator({ fixture: "empty", rateLimit: false });
      const sentry = createSentryClient({ token: emu.adminToken, org: emu.org, baseUrl: emu.baseUrl, fetch: emu.fetch });
      sentry.whoami().then((me) => {
        console.log(JSON.stringify({ version: VERSION, scopes: me.auth.scopes.length, acs: samlServiceProviderUrls("acme").acsUrl }));
        return sentry.close();
      });`;
    const result = run(process.execPath, ["-e", script]);
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as { version: string; scopes: number; acs: string };
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(out.scopes).toBeGreaterThan(10);
    expect(out.acs).toBe("https://sentry.io/saml/acs/acme/");
  });

  it('sender "undici" names the missing optional peer, then sends through it from ESM and CJS once undici is installed', () => {
    // A loopback server answering one team; the client reads it through the undici sender.
    const body = (load: (name: string) => string) => `
      const http = ${load("node:http")};
      const { createSentryClient, isSentryConfigError } = ${load("sentry-rbac")};
      const server = http.createServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ slug: "payments", name: "Payments", seen: req.headers["sec-fetch-mode"] ?? null })));
      server.listen(0, "127.0.0.1", async () => {
        const sentry = createSentryClient({ token: "sntryu_" + "0".repeat(64), org: "acme", baseUrl: "http://127.0.0.1:" + server.address().port, sender: "undici", retry: false });
        try {
          const team = await sentry.org.teams.get("payments");
          console.log(JSON.stringify({ slug: team.slug, viaFetch: team.seen !== null }));
        } catch (error) {
          console.log(JSON.stringify({ config: isSentryConfigError(error), message: error.message }));
        } finally {
          await sentry.close();
          server.close();
        }
      });`;
    const esm = body((name) => `(await import(${JSON.stringify(name)}))`);
    const cjs = body((name) => `require(${JSON.stringify(name)})`);
    const missing = run(process.execPath, ["--input-type=module", "-e", esm]);
    expect(JSON.parse(missing.stdout)).toEqual({
      config: true,
      message: 'Invalid option `sender`: sender "undici" needs the optional peer dependency `undici` (npm i undici@7)',
    });
    const undici = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies.undici;
    execFileSync(npm, ["install", `undici@${undici}`, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: project, stdio: "pipe" });
    for (const [flags, script] of [[["--input-type=module"], esm], [[], cjs]] as const) {
      const result = run(process.execPath, [...flags, "-e", script]);
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toEqual({ slug: "payments", viaFetch: false });
    }
  });

  it("type-checks a consumer file, and rejects a wrong call", () => {
    writeFileSync(join(project, "ok.ts"), `
      import { createSentryClient, type PermissionError } from "sentry-rbac";
      import { createEmulator } from "sentry-rbac/testing";
      import { requiredScopes } from "sentry-rbac/recipes";
      import type {} from "sentry-rbac/raw";
      const emu = createEmulator({ fixture: "demo" });
      const sentry = createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: emu.baseUrl, fetch: emu.fetch });
      export const team: Promise<{ slug: string }> = sentry.org.teams.get("payments");
      export const rawSlug: Promise<string | undefined> = sentry.raw
        .GET("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/", { params: { path: { organization_id_or_slug: "acme", team_id_or_slug: "payments" } } })
        .then(({ data }) => data?.slug);
      export const plan: string[] = requiredScopes(["org.members.invite"]).scopes;
      export type Scopes = PermissionError["requiredScopes"];
    `);
    writeFileSync(join(project, "bad.ts"), `
      import { createSentryClient } from "sentry-rbac";
      import type {} from "sentry-rbac/raw";
      const sentry = createSentryClient();
      export const x = sentry.org.members.invite({ email: "a@b.co", orgRole: "emperor" });
      export const y = sentry.raw.GET("/api/0/nope/", {});
    `);
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const flags = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022",
      "--skipLibCheck", "--types", "node", "--typeRoots", join(root, "node_modules/@types")];
    const ok = run(process.execPath, [tsc, ...flags, "ok.ts"]);
    expect(ok.stdout + ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const bad = run(process.execPath, [tsc, ...flags, "bad.ts"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/emperor/);
    // sentry-rbac/raw types raw per path: an unknown path is an error.
    expect(bad.stdout).toMatch(/bad\.ts\(6,\d+\): error TS2345: Argument of type '"\/api\/0\/nope\/"'/);
  });

  it("runs the CLI: --help and the demo, without printing a token", () => {
    const help = run(join(project, "node_modules/.bin/sentry-rbac"), ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: sentry-rbac/);
    const demo = run(join(project, "node_modules/.bin/sentry-rbac"), ["demo"]);
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/Exported \d+ audit entries/);
    expect(demo.stdout).not.toMatch(/sntry[usai]_[0-9a-f]{8,}/);
  });
});

describe("what a user of the package sees", () => {
  it("error classes keep their names through the build (error.name, ESM and CJS)", () => {
    const esm = run(process.execPath, ["--input-type=module", "-e", `
      import { ValidationError, NotFoundError, SentryNetworkError } from "sentry-rbac";
      console.log(JSON.stringify([ValidationError.forInput("slug", "bad").name, NotFoundError.name, SentryNetworkError.name]));`]);
    expect(JSON.parse(esm.stdout)).toEqual(["ValidationError", "NotFoundError", "SentryNetworkError"]);
    const cjs = run(process.execPath, ["-e", `console.log(require("sentry-rbac").ValidationError.forInput("slug", "bad").name)`]);
    expect(cjs.stdout.trim()).toBe("ValidationError");
  });

  it("every exported class is named as it is exported, ESM and CJS (the build keeps no names for us)", () => {
    // Classes only: their names show in error.name, stack traces and util.inspect. The bundler renames a class that
    // collides with another name or refers to itself inside its body; this catches either.
    const probe = `
      const out = [];
      for (const [key, value] of Object.entries(mod)) {
        if (typeof value === "function" && /^class[\\s{]/.test(Function.prototype.toString.call(value))) out.push([key, value.name]);
      }
      console.log(JSON.stringify(out));`;
    for (const entry of ["sentry-rbac", "sentry-rbac/recipes"]) {
      const esm = run(process.execPath, ["--input-type=module", "-e", `import * as mod from "${entry}";${probe}`]);
      const cjs = run(process.execPath, ["-e", `const mod = require("${entry}");${probe}`]);
      for (const out of [esm, cjs]) {
        const classes = JSON.parse(out.stdout) as Array<[string, string]>;
        expect(classes.length, `${entry}: ${out.stderr}`).toBeGreaterThanOrEqual(entry === "sentry-rbac" ? 20 : 5);
        for (const [exported, name] of classes) expect(name, `${entry} ${exported}`).toBe(exported);
      }
    }
  });

  it("the installed package.json has no install-time scripts (no prepare), so consumers get no install-script warning", () => {
    const installed = JSON.parse(readFileSync(join(project, "node_modules/sentry-rbac/package.json"), "utf8")) as { scripts?: Record<string, string> };
    for (const hook of ["prepare", "preinstall", "install", "postinstall"]) expect(installed.scripts?.[hook]).toBeUndefined();
  });

  it("npm publish --dry-run succeeds with the built files, and the release workflow publishes with provenance", () => {
    const dry = spawnSync(npm, ["publish", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(dry.status).toBe(0);
    expect(dry.stderr).not.toMatch(/errors corrected|invalid and removed/);
    const report = JSON.parse(dry.stdout.slice(dry.stdout.indexOf("{"))) as Record<string, { files: Array<{ path: string }> }>;
    const files = Object.values(report)[0]?.files.map((f) => f.path) ?? [];
    expect(files).toEqual(expect.arrayContaining(["dist/cli/main.js", "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "README.md", "LICENSE"]));
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
    const workflow = readFileSync(join(root, ".github/workflows/release.yml"), "utf8");
    expect(workflow).toMatch(/id-token: write/);
    expect(workflow).toMatch(/bash \.ci\/run/);
    expect(workflow).toMatch(/npm publish --dry-run --provenance/);
    expect(workflow).toMatch(/npm publish --provenance/);
  });
});
