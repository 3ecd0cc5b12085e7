import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

describe("src/cli/main.ts as a process", () => {
  it("prints help and exits 0", async () => {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--help"], {
      cwd: root,
      env: { ...process.env, SENTRY_AUTH_TOKEN: "" },
    });
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^Usage: sentry-rbac \[options\] \[command\]/);
    expect(stdout).toContain("Exit codes:");
  });
});
