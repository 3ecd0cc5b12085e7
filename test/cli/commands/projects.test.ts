import { describe, expect, it } from "vitest";
import { leaked, setupEmulator } from "./resource-setup.js";

describe("sentry-rbac projects", () => {
  it("lists projects and a project's teams in each format", async () => {
    const { emu, run, secrets } = setupEmulator();
    const list = await run(["projects", "list", "--json"]);
    expect((JSON.parse(list.stdout) as Array<{ slug: string }>).map((p) => p.slug).sort()).toEqual(emu.state.projects.map((p) => p.slug).sort());
    expect(leaked(list, secrets)).toEqual([]);
    const teams = await run(["projects", "teams", "web-frontend", "--csv"]);
    expect(teams.stdout).toBe(`slug,name,memberCount\r\n${teams.stdout.split("\r\n").slice(1).join("\r\n")}`);
    expect(teams.stdout).toMatch(/\r\nidentity,Identity,\d+\r\n/);
    expect(teams.stdout).toMatch(/\r\nplatform,Platform,\d+\r\n/);
    const table = await run(["projects", "list", "--limit", "1"]);
    expect(table.stdout.trim().split("\n")).toHaveLength(2);
    expect((await run(["projects", "teams", "no-such-project"])).code).toBe(4);
  });

  it("add-team and remove-team link and unlink; dry runs and refusals change nothing", async () => {
    const { emu, run, snapshot } = setupEmulator();
    const teamsOf = (slug: string) => emu.state.projects.find((p) => p.slug === slug)?.teams ?? [];
    const before = snapshot();
    const dry = await run(["projects", "add-team", "legacy-reports", "platform", "--dry-run"]);
    expect(dry.stdout).toBe("would send: POST /api/0/projects/acme/legacy-reports/teams/platform/\n");
    expect((await run(["projects", "remove-team", "web-frontend", "identity", "--dry-run"])).code).toBe(0);
    expect((await run(["projects", "remove-team", "web-frontend", "identity"])).code).toBe(2);
    expect(snapshot()).toBe(before);

    const added = await run(["projects", "add-team", "legacy-reports", "platform", "--json"]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ slug: "legacy-reports" });
    expect(teamsOf("legacy-reports")).toEqual(["platform"]);

    const removed = await run(["projects", "remove-team", "web-frontend", "identity"], { stdinTTY: true, answers: ["yes"] });
    expect(removed.code).toBe(0);
    expect(teamsOf("web-frontend")).toEqual(["platform"]);
    const again = await run(["projects", "remove-team", "web-frontend", "identity", "--yes"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe("already absent: identity has no access to web-frontend; nothing changed.\n");
    expect(again.stderr).not.toContain("Revoked");
    // A misspelt team is not found, --if-present or not: it must not pass for "nothing to revoke".
    for (const extra of [["--if-present"], []]) {
      const typo = await run(["projects", "remove-team", "web-frontend", "no-such-team", "--yes", ...extra]);
      expect(typo.code).toBe(4);
      expect(typo.stderr).toContain("team 'no-such-team' not found in acme");
    }
  });
});
