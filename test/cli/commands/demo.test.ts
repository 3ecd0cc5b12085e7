import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDemo } from "../../../src/cli/demo/run-demo.js";
import { createEmulator } from "../../../src/testing/index.js";
import { runWith } from "../helpers.js";

const TOKEN_SHAPE = /sntry[usai]_|\b[a-f0-9]{64}\b/;

describe("sentry-rbac demo", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("runs the seed's three examples, a token lint and an access review, and exits 0 with no env at all", async () => {
    const { code, stdout, stderr } = await runWith(["demo"], { env: {} });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    for (const heading of [
      "== 1. Team isolation (seed example 1) ==",
      "== 2. Contractor access (seed example 2) ==",
      "== 3. Quarterly audit export (seed example 3) ==",
      "== 4. Token lint ==",
      "== 5. Access review ==",
      "== 6. Access as code ==",
    ])
      expect(stdout).toContain(heading);
    expect(stdout).toMatch(/sentry-rbac apply --yes: \d+ applied, 0 failed/);
    expect(stdout).toContain("sentry-rbac plan again: 0 change(s)");
    expect(stdout).toContain("+ team sre create");
    expect(stdout).toContain("revoke platform's access to payment-api");
    expect(stdout).toContain("re-run plans 0 change(s)");
    expect(stdout).toContain("done: create team contractors-q1");
    expect(stdout).toContain("done: invite ana.contractor@vendor.test as member of contractors-q1");
    expect(stdout).toContain("- delete team contractors-q1");
    expect(stdout).toMatch(/Exported \d+ audit entries/);
    expect(stdout).toMatch(/7 token\(s\): \d+ clean, \d+ finding\(s\)/);
    expect(stdout).toContain("sso-not-linked");
    expect(stdout).toMatch(/Done: \d+ API requests answered by the emulator, 0 failed step\(s\)\./);
  });

  it("never prints a token: neither the emulator's own nor anything token-shaped", async () => {
    const reference = createEmulator({ fixture: "demo", baseUrl: "https://sentry.test" });
    const { stdout, stderr } = await runWith(["demo"]);
    expect(stdout + stderr).not.toMatch(TOKEN_SHAPE);
    expect(stdout).not.toContain(reference.adminToken);
    expect(stdout).not.toContain("emulator admin");
  });

  it("exports exactly the number of entries it reports, within the 90-day window, to --out-dir", async () => {
    const dir = await mkdtemp(join(tmpdir(), "demo-test-"));
    dirs.push(dir);
    const now = new Date();
    let text = "";
    const result = await runDemo({
      write: (chunk) => {
        text += chunk;
      },
      outDir: dir,
      now,
    });
    const rows = JSON.parse(await readFile(join(dir, "sentry-audit-90d.json"), "utf8")) as Array<{ dateCreated: string }>;
    expect(result.failures).toBe(0);
    expect(text).toContain(`Exported ${rows.length} audit entries`);
    expect(rows.length).toBeGreaterThan(0);
    const oldest = Math.min(...rows.map((row) => Date.parse(row.dateCreated)));
    expect(now.getTime() - oldest).toBeLessThanOrEqual(90 * 86_400_000);
    expect(result.requests).toBeGreaterThan(10);
  });
});
