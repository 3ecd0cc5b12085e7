// Issue 21: what a team adopting access as code ran into — typos, blocked changes, rail refusals, dump --out.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoCli, runWith } from "../helpers.js";
import { readBack, writesOf } from "../../recipes/access/helpers.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sentry-rbac-adoption-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dumpText(cli: ReturnType<typeof demoCli>): Promise<string> {
  const run = await runWith(["dump"], cli.options());
  expect(run.code).toBe(0);
  return run.stdout;
}

/** The 1-based line and column of the first `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  expect(at).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

describe("a reference to something that does not exist is an error of the file (exit 2)", () => {
  it("a project typo: plan and apply exit 2 naming line, column and the project it resembles; nothing is sent", async () => {
    const cli = demoCli();
    // identity links auth-service and web-frontend; the typo would have planned the real link's removal.
    const text = (await dumpText(cli)).replace(/(identity:\n {4}name: Identity\n {4}projects:\n {6}- auth-service\n {6}- )web-frontend/, "$1web-frontnd");
    expect(text).toContain("web-frontnd");
    const at = positionOf(text, "web-frontnd");
    const files = { "acme.yaml": text };
    const plan = await runWith(["plan", "acme.yaml"], cli.options({ files }));
    expect(plan.code).toBe(2);
    expect(plan.stdout).toBe("");
    expect(plan.stderr).toContain(`acme.yaml: `);
    expect(plan.stderr).toContain(`line ${at.line}, column ${at.column}: there is no project "web-frontnd" in acme (did you mean "web-frontend"?)`);
    const apply = await runWith(["apply", "acme.yaml", "--yes"], cli.options({ files }));
    expect(apply.code).toBe(2);
    expect(writesOf(cli.emu)).toEqual([]);
    expect((await readBack(cli.emu)).teams.identity?.projects).toEqual(["auth-service", "web-frontend"]);
  });

  it("a member's teams map naming a team neither the file nor Sentry has; a required owner nobody is", async () => {
    const cli = demoCli();
    const text = (await dumpText(cli))
      .replace(/(alex\.nguyen@acme\.test:\n {4}role: member\n {4}teams:\n {6})identity:/, "$1identty:")
      .replace(/^policy:\n/m, "policy:\n  requiredOwners: [ada.smth@acme.test]\n");
    const team = positionOf(text, "identty");
    const owner = positionOf(text, "ada.smth@acme.test");
    const run = await runWith(["plan", "acme.yaml"], cli.options({ files: { "acme.yaml": text } }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`line ${team.line}, column ${team.column}: there is no team "identty" in the file or in acme (did you mean "identity"?)`);
    expect(run.stderr).toContain(
      `line ${owner.line}, column ${owner.column}: there is no member "ada.smth@acme.test" in the file or in acme (did you mean "ada.smith@acme.test"?)`,
    );
    expect(writesOf(cli.emu)).toEqual([]);
  });

  it("with teams: authoritative, a member's team that the file does not declare would be deleted: an error too", async () => {
    const cli = demoCli();
    const text = (await dumpText(cli)).replace("  teams: additive", "  teams: authoritative").replace(/^ {2}notifications:\n(?: {4}.*\n)+/m, "");
    const run = await runWith(["plan", "acme.yaml"], cli.options({ files: { "acme.yaml": text } }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `line ${positionOf(text, "notifications: contributor").line}, column 7: team "notifications" is not in the file, so the plan deletes it (teams: authoritative)`,
    );
  });

  it("a team declared in the file counts as existing", async () => {
    const cli = demoCli();
    const text = (await dumpText(cli))
      .replace(/^teams:\n/m, "teams:\n  growth:\n    projects: [web-frontend]\n")
      .replace(/(alex\.nguyen@acme\.test:\n {4}role: member\n {4}teams:\n)/, "$1      growth: contributor\n");
    const run = await runWith(["plan", "acme.yaml"], cli.options({ files: { "acme.yaml": text } }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/\+ team growth create/);
    expect(run.stdout).toMatch(/\+ team-member growth\/alex\.nguyen@acme\.test add/);
  });
});

describe("apply with blocked changes", () => {
  it("makes the others, then exits 1 saying how many were blocked and why", async () => {
    const cli = demoCli();
    // The retired admin org role cannot be assigned: Sentry refuses it, so the plan blocks that change.
    const text = (await dumpText(cli))
      .replace(/(alex\.nguyen@acme\.test:\n {4}role:) member/, "$1 admin")
      .replace(/^teams:\n/m, "teams:\n  growth:\n    projects: [web-frontend]\n");
    const run = await runWith(["apply", "acme.yaml", "--yes"], cli.options({ files: { "acme.yaml": text } }));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/3 applied, 0 failed/); // the team, its link, and the creator taken off it
    expect(run.stderr).toMatch(/error: 1 change was blocked and not applied/);
    expect(run.stderr).toMatch(/member alex\.nguyen@acme\.test update role member → admin: the admin org role is retired/);
    const after = await readBack(cli.emu);
    expect(after.teams.growth?.projects).toEqual(["web-frontend"]);
    expect(after.members["alex.nguyen@acme.test"]?.role).toBe("member");
  });

  it("a plan with only blocked changes does not say the organization matches the file; apply exits 1", async () => {
    const cli = demoCli();
    const text = (await dumpText(cli)).replace(/(alex\.nguyen@acme\.test:\n {4}role:) member/, "$1 admin");
    const files = { "acme.yaml": text };
    const plan = await runWith(["plan", "acme.yaml"], cli.options({ files }));
    expect(plan.code).toBe(5);
    expect(plan.stdout).not.toMatch(/matches the file/);
    const apply = await runWith(["apply", "acme.yaml", "--yes"], cli.options({ files }));
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/1 change was blocked/);
    expect(writesOf(cli.emu)).toEqual([]);
  });
});

describe("a rail refusal says which rail, the numbers and the next step", () => {
  it("minOwners: stderr names the rail, the counts and the policy key", async () => {
    const cli = demoCli();
    const text = (await dumpText(cli)).replace(/(ben\.garcia@acme\.test:\n {4}role:) owner/, "$1 manager");
    const files = { "acme.yaml": text };
    for (const argv of [
      ["plan", "acme.yaml"],
      ["apply", "acme.yaml", "--yes"],
    ]) {
      const run = await runWith(argv, cli.options({ files }));
      expect(run.code).toBe(6);
      expect(run.stderr).toMatch(/error: refused by the safety rails \(acme\): minOwners: the plan leaves 1 owner\(s\) \(2 now\); policy\.minOwners is 2/);
      expect(run.stderr).toMatch(/hint: .*policy\.minOwners/);
    }
    expect(writesOf(cli.emu)).toEqual([]);
  });

  it("maxRemovals: stderr says how to split the change", async () => {
    const cli = demoCli();
    let text = (await dumpText(cli)).replace("  members: additive", "  members: authoritative\n  maxRemovals: 2");
    for (const email of ["alex.nguyen", "dev.kim", "kai.rossi"])
      text = text.replace(new RegExp(`  ${email.replace(".", "\\.")}@acme\\.test:\\n(?: {4}.*\\n)+`), "");
    const run = await runWith(["plan", "acme.yaml"], cli.options({ files: { "acme.yaml": text } }));
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/maxRemovals: the plan removes \d+ of \d+ members; policy\.maxRemovals allows 2 \(2\)/);
    expect(run.stderr).toMatch(/hint: .*(split|at most 2)/);
  });

  it('a refused self-demotion does not also print "No changes"', async () => {
    const cli = demoCli();
    const text = (await dumpText(cli)).replace(/(ada\.smith@acme\.test:\n {4}role:) owner/, "$1 manager");
    const run = await runWith(["plan", "acme.yaml"], cli.options({ files: { "acme.yaml": text } }));
    expect(run.code).toBe(6);
    expect(run.stdout).not.toMatch(/No changes/);
    expect(run.stderr).toMatch(/self: the plan demotes the calling user ada\.smith@acme\.test \(owner → manager\)/);
    expect(run.stderr).toMatch(/hint: /);
  });
});

describe("dump --out", () => {
  it("refuses an existing file without --force (exit 2, file untouched); --force replaces it", async () => {
    const cli = demoCli();
    const file = join(dir, "sentry-access.yaml");
    await writeFile(file, "# hand-edited\n", "utf8");
    const refused = await runWith(["dump", "--out", file], cli.options());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/exists/);
    expect(refused.stderr).toMatch(/--force/);
    expect(await readFile(file, "utf8")).toBe("# hand-edited\n");
    const forced = await runWith(["dump", "--out", file, "--force"], cli.options());
    expect(forced.code).toBe(0);
    expect(await readFile(file, "utf8")).toMatch(/^organization: acme$/m);
    const fresh = await runWith(["dump", "--out", join(dir, "new.yaml")], cli.options());
    expect(fresh.code).toBe(0);
  });
});

describe("messages", () => {
  it("a 403 on an IdP-managed team says the identity provider manages it, not that an owner's role is too low", async () => {
    const cli = demoCli();
    const run = await runWith(["members", "add-to-team", "alex.nguyen@acme.test", "okta-engineering"], cli.options());
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/managed through your organization's identity provider/);
    expect(run.stderr).toMatch(/hint: .*identity provider/);
    expect(run.stderr).not.toMatch(/too low/);
  });
});
