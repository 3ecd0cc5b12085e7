/**
 * The guide's notebooks (examples/notebooks/*.ipynb) executed as a user runs them: Jupyter's nbconvert with Deno's
 * kernel, in a scratch project where the packed tarball is installed, against an emulator server named by the
 * SENTRY_* environment (as docs/notebooks.md says to start Jupyter). In CI (CI=true) a missing Jupyter or Deno
 * kernel fails the run: .ci/run installs both, so a skip there would hide a broken guide.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const notebooks = join(root, "examples/notebooks");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const inCi = process.env.CI === "true" || process.env.CI === "1";

function has(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
  return result.status === 0 ? true : false;
}

const jupyter = has("jupyter-nbconvert", ["--version"]);
const denoKernel = jupyter && (spawnSync("jupyter", ["kernelspec", "list"], { encoding: "utf8", timeout: 60_000 }).stdout ?? "").includes("deno");
const available = jupyter && denoKernel && has("deno", ["--version"]);
const work = mkdtempSync(join(tmpdir(), "sentry-rbac-nb-"));

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Cell { cell_type: string; outputs?: Array<{ text?: string | string[]; output_type: string; ename?: string }> }

describe.skipIf(!available && !inCi)("the notebooks under examples/notebooks", () => {
  it("execute top to bottom with Deno's kernel against the emulator, and print no token", async () => {
    if (!available) {
      throw new Error("CI=true but Jupyter (jupyter-nbconvert) or Deno's kernel is missing: .ci/run installs both (apt jupyter-nbconvert, npm deno + `deno jupyter --install`)");
    }
    execFileSync(npm, ["pack", "--silent", "--pack-destination", work], { cwd: root, stdio: "pipe" });
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz")) ?? "";
    const project = join(work, "notebooks");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "notebooks", private: true, type: "module" }));
    execFileSync(npm, ["install", join(work, tarball), "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: project, stdio: "pipe" });
    const names = readdirSync(notebooks).filter((name) => name.endsWith(".ipynb")).sort();
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) copyFileSync(join(notebooks, name), join(project, name));

    const emu = createEmulator({ fixture: "demo", rateLimit: false });
    const server = await emu.listen({ port: 0 });
    try {
      const env = { ...process.env, SENTRY_AUTH_TOKEN: emu.adminToken, SENTRY_ORG: emu.org, SENTRY_URL: server.url, NO_COLOR: "1" };
      for (const name of names) {
        // Asynchronous on purpose: the emulator answers from this process.
        const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
          execFile("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180", "--output-dir", join(project, "out"), name],
            { cwd: project, env, timeout: 300_000 }, (error, _stdout, stderr) => resolve({ code: error === null ? 0 : 1, stderr }));
        });
        expect(result.stderr, name).not.toMatch(/CellExecutionError/);
        expect(result.code, `${name}: ${result.stderr.slice(-2000)}`).toBe(0);
        const executed = JSON.parse(readFileSync(join(project, "out", name), "utf8")) as { cells: Cell[] };
        const outputs = executed.cells.flatMap((cell) => cell.outputs ?? []);
        expect(outputs.filter((o) => o.output_type === "error")).toEqual([]);
        const text = outputs.map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join("");
        expect(text.length).toBeGreaterThan(0);
        expect(text).not.toContain(emu.adminToken);
        if (name === "access-review.ipynb") {
          expect(text).toMatch(/\d+ members/);
          expect(text).toContain("team 'no-such-team' not found in acme");
        }
      }
    } finally {
      await server.close();
    }
  });
});
