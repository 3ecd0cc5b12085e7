import { describe, expect, it } from "vitest";
import { parseTeamMap } from "../../../src/cli/commands/isolate.js";
import { demoCli, runWith } from "../helpers.js";

function setup() {
  const { emu, options } = demoCli();
  const teamsOf = (project: string) =>
    emu.state.projects
      .find((p) => p.slug === project)
      ?.teams.slice()
      .sort();
  return { emu, options, teamsOf };
}

const MAP = JSON.stringify({ payments: ["payment-api", "billing-worker"], checkout: ["payment-api"] });
const YAML = "payments:\n  - payment-api\n  - billing-worker\ncheckout: [payment-api]\n";

describe("sentry-rbac isolate", () => {
  it("prints the plan on --dry-run and changes nothing", async () => {
    const { emu, options } = setup();
    const before = JSON.stringify([emu.state.teams, emu.state.projects]);
    const { code, stdout, stderr } = await runWith(["isolate", "teams.json", "--exclusive", "--dry-run"], options({ files: { "teams.json": MAP } }));
    expect(code).toBe(0);
    expect(stdout).toMatch(/planned\s+create-team\s+create team checkout/);
    expect(stdout).toMatch(/planned\s+add-project-team\s+give checkout access to payment-api/);
    expect(stderr).toContain("Dry run: 2 change(s) planned");
    expect(JSON.stringify([emu.state.teams, emu.state.projects])).toBe(before);
  });

  it("applies a YAML map without asking when nothing is revoked, then converges", async () => {
    const { emu, options, teamsOf } = setup();
    const files = { "teams.yaml": YAML };
    const first = await runWith(["isolate", "teams.yaml"], options({ files }));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied\s+create-team/);
    expect(emu.state.teams.some((t) => t.slug === "checkout")).toBe(true);
    expect(teamsOf("payment-api")).toEqual(["checkout", "payments"]);
    const second = await runWith(["isolate", "teams.yaml", "--json"], options({ files }));
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ planned: [], dryRun: true });
    expect(second.stderr).toContain("Nothing to change");
  });

  it("refuses to revoke other teams without --yes when stdin is not a terminal (exit 2, nothing changed)", async () => {
    const { emu, options, teamsOf } = setup();
    const files = { "teams.json": JSON.stringify({ identity: ["web-frontend"] }) };
    const before = JSON.stringify(emu.state.projects);
    const refused = await runWith(["isolate", "teams.json", "--exclusive"], options({ files }));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Pass --yes");
    expect(JSON.stringify(emu.state.projects)).toBe(before);

    const declined = await runWith(["isolate", "teams.json", "--exclusive"], options({ files, stdinTTY: true, answers: ["n"] }));
    expect(declined.code).toBe(1);
    expect(declined.io.prompts[0]).toMatch(/Revoke 1 team-project link\(s\) in acme\?/);
    expect(JSON.stringify(emu.state.projects)).toBe(before);

    const applied = await runWith(["isolate", "teams.json", "--exclusive", "--yes"], options({ files }));
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/applied\s+remove-project-team\s+revoke platform's access to web-frontend/);
    expect(teamsOf("web-frontend")).toEqual(["identity"]);
  });

  it("exits 2 for a malformed file and 3 without a token, before any request", async () => {
    const { emu, options } = setup();
    const bad = await runWith(["isolate", "teams.json"], options({ files: { "teams.json": '{"payments": "payment-api"}' } }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("team payments: expected a list of project slugs");
    const missing = await runWith(["isolate", "nope.json"], options());
    expect(missing.code).toBe(2);
    const noToken = await runWith(["isolate", "teams.json"], { files: { "teams.json": MAP }, fetch: emu.fetch, env: { SENTRY_ORG: "acme" } });
    expect(noToken.code).toBe(3);
    expect(emu.state.requests).toHaveLength(0);
  });

  it("reports a failed step as a partial failure (exit 1) and names it", async () => {
    const { options } = setup();
    const files = { "teams.json": JSON.stringify({ payments: ["no-such-project"] }) };
    const { code, stdout, stderr } = await runWith(["isolate", "teams.json", "--yes"], options({ files }));
    expect(code).toBe(1);
    expect(stdout).toMatch(/failed.*no-such-project|skipped.*no-such-project/);
    expect(stderr).toContain("could not be planned");
  });
});

describe("parseTeamMap refuses keys that would not survive as map entries", () => {
  it.each([
    ["teams.json", '{"__proto__": ["payment-api"], "payments": ["payment-api"]}'],
    ["teams.yaml", "__proto__: [payment-api]\npayments: [payment-api]\n"],
  ])("%s: %s", async (file, text) => {
    await expect(parseTeamMap(text, file)).rejects.toThrow(/__proto__/);
  });

  it("keeps a team named constructor (a valid slug) as an ordinary entry", async () => {
    expect(await parseTeamMap('{"constructor": ["payment-api"]}', "teams.json")).toEqual({ constructor: ["payment-api"] });
  });

  it("the CLI exits 2 for a __proto__ key and changes nothing", async () => {
    const { emu, options } = demoCli();
    const before = JSON.stringify(emu.state.projects);
    const { code, stderr } = await runWith(["isolate", "teams.json", "--yes"], options({ files: { "teams.json": '{"__proto__": ["payment-api"]}' } }));
    expect(code).toBe(2);
    expect(stderr).toContain("__proto__");
    expect(JSON.stringify(emu.state.projects)).toBe(before);
  });
});
