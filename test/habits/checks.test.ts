// Each check `npm run check` runs (and so `npm test`) fails on a planted violation: an un-awaited promise (ESLint),
// a misformatted file (Prettier), resources/ importing recipes/ (dependency-cruiser), an unused export (knip).
// Every check runs with the repository's own config, over a small temporary project, so a config that stopped
// catching its violation fails here.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ESLint, type Linter } from "eslint";
import * as prettier from "prettier";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
const dirs: string[] = [];

/** A temporary project holding the given files (paths relative to its root). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sentry-rbac-habits-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs a package's CLI with the repository's node_modules; resolves to its exit code and output. */
async function cli(bin: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, "node_modules", bin), ...args], { cwd, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [] },
  include: ["src"],
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.concurrent("planted violations fail the checks", { timeout: 90_000 }, () => {
  it("ESLint (the repository config) reports an un-awaited promise in src/, and passes the awaited one", async () => {
    const dir = project({
      "tsconfig.json": TSCONFIG,
      "src/planted.ts": "async function send(): Promise<number> {\n  return 1;\n}\nexport function fire(): void {\n  send();\n}\n",
      "src/fixed.ts": "async function send(): Promise<number> {\n  return 1;\n}\nexport async function fire(): Promise<void> {\n  await send();\n}\n",
    });
    // The config file is plain JavaScript outside tsconfig: loaded by URL, typed by ESLint's own types.
    const { default: repoEslintConfig } = (await import(pathToFileURL(join(ROOT, "eslint.config.js")).href)) as { default: Linter.Config[] };
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      baseConfig: repoEslintConfig,
      overrideConfig: { languageOptions: { parserOptions: { tsconfigRootDir: dir } } },
    });
    const [planted, fixed] = await eslint.lintFiles(["src/planted.ts", "src/fixed.ts"]);
    expect(planted?.messages.map((m) => m.ruleId)).toContain("@typescript-eslint/no-floating-promises");
    expect(planted?.errorCount).toBeGreaterThan(0);
    expect(fixed?.messages).toEqual([]);
  });

  it("Prettier (the repository options) flags a misformatted file, and passes it once formatted", async () => {
    const options = await prettier.resolveConfig(join(ROOT, "src/index.ts"), { editorconfig: false });
    expect(options?.printWidth).toBe(160);
    const filepath = join(ROOT, "src/planted.ts");
    const misformatted = "export const answer = {value:42,label:'life'}\n";
    expect(await prettier.check(misformatted, { ...options, filepath })).toBe(false);
    const formatted = await prettier.format(misformatted, { ...options, filepath });
    expect(formatted).toBe('export const answer = { value: 42, label: "life" };\n');
    expect(await prettier.check(formatted, { ...options, filepath })).toBe(true);
  });

  it("dependency-cruiser (the repository rules) refuses resources/ importing recipes/, and a circle", async () => {
    const layered = {
      "tsconfig.json": TSCONFIG,
      "src/recipes/roles.ts": 'export const ROLES = ["member", "admin"] as const;\n',
      "src/http/send.ts": "export const send = (): number => 1;\n",
    };
    const clean = project({ ...layered, "src/resources/teams.ts": 'import { send } from "../http/send.js";\nexport const list = (): number => send();\n' });
    const planted = project({
      ...layered,
      "src/resources/teams.ts": 'import { ROLES } from "../recipes/roles.js";\nexport const roles = (): readonly string[] => ROLES;\n',
      "src/http/a.ts": 'import { b } from "./b.js";\nexport const a = (): number => b() + 1;\n',
      "src/http/b.ts": 'import { a } from "./a.js";\nexport const b = (): number => (a.length > 5 ? 0 : 1);\n',
    });
    const config = join(ROOT, ".dependency-cruiser.cjs");
    const ok = await cli("dependency-cruiser/bin/dependency-cruise.mjs", ["src", "--config", config, "--output-type", "err"], clean);
    expect(ok.output).not.toMatch(/error/);
    expect(ok.code).toBe(0);
    const bad = await cli("dependency-cruiser/bin/dependency-cruise.mjs", ["src", "--config", config, "--output-type", "err"], planted);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain("resources-not-up: src/resources/teams.ts → src/recipes/roles.ts");
    expect(bad.output).toMatch(/no-circular: src\/http\/(a|b)\.ts/);
  });

  it("knip reports an unused export, and passes once it is used", async () => {
    const files = {
      "package.json": JSON.stringify({ name: "planted", version: "0.0.0", type: "module", private: true }),
      "knip.json": JSON.stringify({ entry: ["src/index.ts"], project: ["src/**/*.ts"] }),
      "src/index.ts": 'import { used } from "./util.js";\nexport const main = (): number => used();\n',
    };
    const planted = project({ ...files, "src/util.ts": "export const used = (): number => 1;\nexport const forgotten = (): number => 2;\n" });
    const clean = project({ ...files, "src/util.ts": "export const used = (): number => 1;\n" });
    const bad = await cli("knip/bin/knip.js", ["--no-progress", "--no-config-hints"], planted);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/Unused exports \(1\)[\s\S]*forgotten/);
    const ok = await cli("knip/bin/knip.js", ["--no-progress", "--no-config-hints"], clean);
    expect(ok.output).toBe("");
    expect(ok.code).toBe(0);
  });
});
