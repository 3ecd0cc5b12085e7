import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const examples = readdirSync(new URL("../../examples/", import.meta.url))
  .filter((name) => name.endsWith(".ts"))
  .sort();

function run(file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `examples/${file}`], {
      cwd: root,
      env: { ...process.env, SENTRY_AUTH_TOKEN: "", SENTRY_ORG: "", SENTRY_URL: "", SENTRY_SCIM_TOKEN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

// The guides in docs/ quote these scripts; each checks its own claims and exits non-zero when one fails.
describe("examples/", () => {
  it("has the guides' examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });
  for (const file of examples) {
    it(`${file} runs to completion against the emulator`, async () => {
      const { code, output } = await run(file);
      expect(output.slice(-2000) && code).toBe(0);
    }, 60_000);
  }
});
