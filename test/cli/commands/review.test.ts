import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decide } from "../../recipes/review/sheet.js";
import { demoCli, runWith } from "../helpers.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function campaign() {
  const cli = demoCli();
  const root = await mkdtemp(join(tmpdir(), "review-cli-"));
  dirs.push(root);
  const dir = join(root, "q1");
  const files = { "reviewers.yaml": "'*': security@acme.test\npayments: ada.smith@acme.test\n" };
  const started = await runWith(["review", "start", "--out", dir, "--name", "2026 Q1", "--reviewers", "reviewers.yaml"], cli.options({ files }));
  expect(started.code).toBe(0);
  return { ...cli, dir, started };
}

describe("sentry-rbac review", () => {
  it("start, close --dry-run, close --yes --sign-key, verify --public-key: the quarterly run end to end", async () => {
    const { dir, emu, options, started } = await campaign();
    expect(started.stdout).toMatch(/Started "2026 Q1" for acme at .*: \d+ subjects/);
    await decide(dir, { "kai.rossi@acme.test": { decision: "revoke" }, "omar.nguyen@acme.test": { decision: "revoke" } });

    const dry = await runWith(["review", "close", dir, "--dry-run"], options());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("kai.rossi@acme.test");
    expect(dry.stdout).toContain("IdP: deprovision omar.nguyen@acme.test");
    expect(dry.stderr).toContain("Dry run");
    expect((await readdir(dir)).sort()).toEqual(["decisions.csv", "manifest.json", "snapshot.json"]);

    // Off a terminal without --yes: refused, nothing changed.
    const unasked = await runWith(["review", "close", dir], options());
    expect(unasked.code).toBe(2);
    expect(emu.state.members.some((m) => m.email === "kai.rossi@acme.test")).toBe(true);

    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const files = {
      "key.pem": privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      "key.pub.pem": publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    const closed = await runWith(["review", "close", dir, "--yes", "--sign-key", "key.pem"], options({ files }));
    expect(closed.stderr).toBe("");
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(/kai\.rossi@acme\.test\s+revoke\s+ada\.smith@acme\.test\s+revoked/);
    expect(closed.stdout).toMatch(/omar\.nguyen@acme\.test\s+revoke\s+\S+\s+pending-idp/);
    expect(emu.state.members.some((m) => m.email === "kai.rossi@acme.test")).toBe(false);
    expect(await readdir(dir)).toContain("manifest.sig");

    const verified = await runWith(["review", "verify", dir, "--public-key", "key.pub.pem"], options({ files }));
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("signature: valid");

    await writeFile(join(dir, "report.csv"), (await readFile(join(dir, "report.csv"), "utf8")).replace("revoked", "kept"));
    const tampered = await runWith(["review", "verify", dir], options());
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain("report.csv differs from manifest.json");
  });

  it("close refuses a bad row with exit 2 naming the line, before any request", async () => {
    const { dir, emu, options } = await campaign();
    await decide(dir, { "kai.rossi@acme.test": { decision: "fire" } });
    const before = emu.state.requests.length;
    const run = await runWith(["review", "close", dir, "--yes"], options());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/decisions\.csv line \d+: unknown decision "fire"/);
    expect(emu.state.requests.length).toBe(before);
  });

  it("close exits 1 when a decision fails, 6 when a rail refuses", async () => {
    const { dir, emu, env, options } = await campaign();
    await decide(dir, { "kai.rossi@acme.test": { decision: "revoke" } });
    const weak = emu.issueToken({ scopes: ["org:read", "member:read", "team:read"], name: "weak" });
    const failed = await runWith(["review", "close", dir, "--yes"], options({ env: { ...env, SENTRY_AUTH_TOKEN: weak } }));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/kai\.rossi@acme\.test\s+revoke\s+\S+\s+failed/);

    const other = await campaign();
    await decide(other.dir, { "kai.rossi@acme.test": { decision: "revoke" } });
    const refused = await runWith(["review", "close", other.dir, "--yes", "--max-removals", "0"], other.options());
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain("maxRemovals");
  });
});
