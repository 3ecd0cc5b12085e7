import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoCli, runWith } from "../helpers.js";
import { outside, writesOf } from "../../recipes/access/helpers.js";
import { DEMO_INSTANCES, DEMO_RESOURCES, commands, fixture, removedFroms } from "../../recipes/terraform/helpers.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sentry-rbac-import-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = { "demo.tfstate": fixture("demo.tfstate"), "demo.show.json": fixture("demo.show.json") };

describe("sentry-rbac import terraform", () => {
  it("writes the access file, removed.tf and state-rm.sh; plan of the file exits 0; a second run writes the same", async () => {
    const cli = demoCli();
    const out = join(dir, "sentry-access.yaml");
    const tf = join(dir, "tf");
    const argv = ["import", "terraform", "--state", "demo.tfstate", "--out", out, "--terraform-out", tf];
    const run = await runWith(argv, cli.options({ files }));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Imported 31 instance\(s\) of 15 resource\(s\) for acme: 5 teams, 8 members, 10 team memberships, 8 project links\.$/m);
    expect(run.stdout).toMatch(/Left to Terraform \(2\):\n {2}random_id\.suffix\n {2}sentry_key\.payment_api\n/);
    // The pitfalls, each a warning line with its address.
    expect(run.stderr).toMatch(/^warning: sentry_organization_member\.people\["ada"\]: the deprecated `teams` list \(provider #343/m);
    expect(run.stderr).toMatch(/^warning: sentry_organization_member\.people\["expired"\]: the invite of expired\.one@acme\.test expired \(provider #755/m);
    expect(run.stderr).toMatch(/^warning: sentry_team_member\.memberships\["chen\/mobile"\]: effective_role admin is above role contributor/m);
    expect(run.stderr).toMatch(/^warning: sentry_team_member\.memberships\["dara\/platform"\]: role empty in state \(provider #364/m);
    const written = [await readFile(out, "utf8"), await readFile(join(tf, "removed.tf"), "utf8"), await readFile(join(tf, "state-rm.sh"), "utf8")];
    expect(removedFroms(written[1] ?? "")).toEqual(DEMO_RESOURCES);
    expect(commands(written[2] ?? "")).toHaveLength(DEMO_INSTANCES.length);
    expect((await stat(join(tf, "state-rm.sh"))).mode & 0o111).not.toBe(0);
    const plan = await runWith(["plan", "sentry-access.yaml"], cli.options({ files: { "sentry-access.yaml": written[0] ?? "" } }));
    expect(plan.stdout).toMatch(/No changes/);
    expect(plan.code).toBe(0);
    // The other form of the state, run again: the same three files.
    const again = await runWith([...argv.slice(0, 3), "demo.show.json", ...argv.slice(4)], cli.options({ files }));
    expect(again.code).toBe(0);
    expect([await readFile(out, "utf8"), await readFile(join(tf, "removed.tf"), "utf8"), await readFile(join(tf, "state-rm.sh"), "utf8")]).toEqual(written);
    expect(writesOf(cli.emu)).toEqual([]);
  });

  it("warns of a member removed in the UI since, and the file's plan shows exactly that (exit 5)", async () => {
    const cli = demoCli();
    const kai = cli.emu.state.members.find((m) => m.email === "kai.rossi@acme.test")?.id ?? "";
    expect(await outside(cli.emu, "DELETE", `/api/0/organizations/acme/members/${kai}/`)).toBe(204);
    const out = join(dir, "acme.yaml");
    const run = await runWith(["import", "terraform", "--state", "demo.tfstate", "--out", out, "--terraform-out", dir], cli.options({ files }));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: sentry_organization_member\.people\["kai"\]: kai\.rossi@acme\.test is in the state but not in Sentry/m);
    const plan = await runWith(["--json", "plan", "acme.yaml"], cli.options({ files: { "acme.yaml": await readFile(out, "utf8") } }));
    expect(plan.code).toBe(5);
    const changes = (JSON.parse(plan.stdout) as { changes: Array<{ kind: string; action: string; subject: string }> }).changes;
    expect(changes.map((c) => `${c.kind} ${c.action} ${c.subject}`)).toEqual(["member invite kai.rossi@acme.test"]);
  });

  it("refuses a state for another organization with exit 2, naming the field, and writes nothing", async () => {
    const cli = demoCli();
    const run = await runWith(
      ["--org", "globex", "import", "terraform", "--state", "demo.tfstate", "--out", join(dir, "a.yaml"), "--terraform-out", join(dir, "tf")],
      cli.options({ files }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /demo\.tfstate: module\.squads\["mobile"\]\.sentry_organization_member\.contractor\["carla"\]\.organization: this state is for organization acme, not globex/,
    );
    expect(await readdir(dir)).toEqual([]);
    expect(cli.emu.state.requests).toEqual([]);
    const notState = await runWith(
      ["import", "terraform", "--state", "x.json", "--out", join(dir, "a.yaml")],
      cli.options({ files: { "x.json": '{"version": 3, "resources": []}' } }),
    );
    expect(notState.code).toBe(2);
    expect(notState.stderr).toMatch(/x\.json: version: state format version 3/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("without a token reads the state alone and says that nothing was compared; --json prints the whole result", async () => {
    const out = join(dir, "a.json");
    const run = await runWith(["--json", "import", "terraform", "--state", "-", "--out", out, "--format", "json", "--terraform-out", dir], {
      stdin: fixture("demo.show.json"),
      env: {},
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^note: not compared with Sentry \(no auth token configured\)/m);
    const result = JSON.parse(run.stdout) as { organization: string; imported: unknown[]; drift: unknown[] };
    expect(result).toMatchObject({ organization: "acme", drift: [] });
    expect(result.imported).toHaveLength(DEMO_INSTANCES.length);
    expect(JSON.parse(await readFile(out, "utf8"))).toMatchObject({ version: 1, organization: "acme" });
  });
});
