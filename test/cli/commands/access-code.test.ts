import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoCli, runWith } from "../helpers.js";
import { readBack, writesOf } from "../../recipes/access/helpers.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sentry-rbac-access-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dumpText(cli: ReturnType<typeof demoCli>): Promise<string> {
  const run = await runWith(["dump"], cli.options());
  expect(run.code).toBe(0);
  return run.stdout;
}

const withTeam = (text: string) => text.replace(/^teams:\n/m, "teams:\n  contractors-q1:\n    name: Q1 Contractors\n    projects: [mobile-redesign]\n");

describe("sentry-rbac schema | dump | plan | apply", () => {
  it("schema prints the JSON Schema", async () => {
    const run = await runWith(["schema"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ title: "sentry-rbac access file", required: ["version", "organization"] });
  });

  it("dump marks IdP-owned objects; plan on a fresh dump exits 0 with no changes", async () => {
    const cli = demoCli();
    const text = await dumpText(cli);
    expect(text).toMatch(/# IdP-owned \(SCIM\).*\n {2}okta-engineering:/);
    const run = await runWith(["plan", "-"], cli.options({ stdin: text }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/No changes: the organization matches the file/);
  });

  it("plan shows changes as text, markdown and JSON and exits 5", async () => {
    const cli = demoCli();
    const files = { "acme.yaml": withTeam(await dumpText(cli)) };
    const text = await runWith(["plan", "acme.yaml"], cli.options({ files }));
    expect(text.code).toBe(5);
    expect(text.stdout).toMatch(/^ {2}\+ team contractors-q1 create/m);
    expect(text.stdout).toMatch(/^ {2}- team-member contractors-q1\/ada\.smith@acme\.test remove/m);
    const md = await runWith(["plan", "acme.yaml", "--format", "markdown"], cli.options({ files }));
    expect(md.stdout).toMatch(/```diff\n\+ team contractors-q1 create/);
    const json = await runWith(["--json", "plan", "acme.yaml"], cli.options({ files }));
    const plan = JSON.parse(json.stdout) as { changes: Array<{ kind: string; action: string; subject: string }>; fingerprint: string };
    expect(plan.changes[0]).toMatchObject({ kind: "team", action: "create", subject: "contractors-q1" });
    expect(plan.fingerprint).toMatch(/^sha256:/);
    // Several files: several plans through one client (one limiter), as a JSON array.
    const two = await runWith(["--json", "plan", "acme.yaml", "acme.yaml"], cli.options({ files }));
    expect((JSON.parse(two.stdout) as unknown[]).length).toBe(2);
    expect(writesOf(cli.emu)).toEqual([]);
  });

  it("plan prints the fingerprint itself in text, markdown and JSON (tokens are masked by their format, not any 64-hex)", async () => {
    const cli = demoCli();
    const files = { "acme.yaml": withTeam(await dumpText(cli)) };
    const fingerprint = /sha256:[0-9a-f]{64}/;
    const text = await runWith(["plan", "acme.yaml"], cli.options({ files }));
    expect(text.stdout).toMatch(new RegExp(`Fingerprint: ${fingerprint.source}`));
    const md = await runWith(["plan", "acme.yaml", "--format", "markdown"], cli.options({ files }));
    expect(md.stdout).toMatch(new RegExp(`fingerprint \`${fingerprint.source}\``));
    const json = await runWith(["--json", "plan", "acme.yaml"], cli.options({ files }));
    expect((JSON.parse(json.stdout) as { fingerprint: string }).fingerprint).toMatch(new RegExp(`^${fingerprint.source}$`));
    for (const run of [text, md, json]) expect(run.stdout).not.toContain("[REDACTED]");
  });

  it("a saved plan applies with --yes; applied again after drift it is refused as stale (exit 6)", async () => {
    const cli = demoCli();
    const files = { "acme.yaml": withTeam(await dumpText(cli)) };
    const out = join(dir, "plan.json");
    expect((await runWith(["plan", "acme.yaml", "--out", out], cli.options({ files }))).code).toBe(5);
    const saved = await readFile(out, "utf8");
    const applied = await runWith(["apply", "plan.json", "--yes"], cli.options({ files: { "plan.json": saved } }));
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/3 applied, 0 failed, 0 skipped/);
    expect((await readBack(cli.emu)).teams["contractors-q1"]).toEqual({ name: "Q1 Contractors", projects: ["mobile-redesign"], idp: false });
    const writes = writesOf(cli.emu).length;
    const stale = await runWith(["apply", "plan.json", "--yes"], cli.options({ files: { "plan.json": saved } }));
    expect(stale.code).toBe(6);
    expect(stale.stderr).toMatch(/acme changed since the plan was computed/);
    expect(writesOf(cli.emu).length).toBe(writes);
    expect((await runWith(["plan", "acme.yaml"], cli.options({ files }))).code).toBe(0);
  });

  it("apply asks for confirmation: refused off a terminal without --yes; --dry-run sends no write", async () => {
    const cli = demoCli();
    const files = { "acme.yaml": withTeam(await dumpText(cli)) };
    const refused = await runWith(["apply", "acme.yaml"], cli.options({ files }));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/stdin is not a terminal/);
    const declined = await runWith(["apply", "acme.yaml"], cli.options({ files, stdinTTY: true, answers: ["n"] }));
    expect(declined.code).toBe(1);
    const dry = await runWith(["apply", "acme.yaml", "--dry-run"], cli.options({ files }));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run: nothing sent/);
    expect(writesOf(cli.emu)).toEqual([]);
    const yes = await runWith(["apply", "acme.yaml"], cli.options({ files, stdinTTY: true, answers: ["y"] }));
    expect(yes.code).toBe(0);
    expect(writesOf(cli.emu)).toHaveLength(3);
  });

  it("a rail refuses the plan (exit 6) and apply changes nothing", async () => {
    const cli = demoCli();
    const text = (await dumpText(cli)).replace(/(ben\.garcia@acme\.test:\n {4}role:) owner/, "$1 manager");
    const files = { "acme.yaml": text };
    const plan = await runWith(["plan", "acme.yaml"], cli.options({ files }));
    expect(plan.code).toBe(6);
    expect(plan.stdout).toMatch(/REFUSED by the safety rails[\s\S]*minOwners/);
    const apply = await runWith(["apply", "acme.yaml", "--yes"], cli.options({ files }));
    expect(apply.code).toBe(6);
    expect(writesOf(cli.emu)).toEqual([]);
  });

  it("an invalid file exits 2 naming the file, line and column; nothing is read from Sentry", async () => {
    const cli = demoCli();
    const run = await runWith(
      ["plan", "bad.yaml"],
      cli.options({ files: { "bad.yaml": "version: 1\norganization: acme\nmembers:\n  a@acme.test: { role: admn }\n" } }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml: invalid access file[\s\S]*line 4, column 24: unknown org role "admn" \(did you mean "admin"\?\)/);
    expect(cli.emu.state.requests).toEqual([]);
  });
});
