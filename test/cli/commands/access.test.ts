import { describe, expect, it } from "vitest";
import { demoCli, runWith } from "../helpers.js";

const setup = () => demoCli();

describe("sentry-rbac access", () => {
  it("who-can lists the project's teams and everyone who sees it, with the reason", async () => {
    const { emu, options } = setup();
    const { code, stdout } = await runWith(["access", "who-can", "payment-api"], options());
    expect(code).toBe(0);
    expect(stdout).toMatch(/^payment-api: held by payments\n/);
    const owner = emu.state.members.find((m) => m.orgRole === "owner");
    expect(stdout).toMatch(new RegExp(`${owner?.email}\\s+owner\\s+.*org role owner`));
    const teamMember = emu.state.members.find((m) => m.orgRole === "member" && !m.pending && m.teams.some((t) => t.team === "payments"));
    expect(stdout).toMatch(new RegExp(`${teamMember?.email}\\s+member\\s+team payments`));
    expect(stdout).not.toContain("(pending)");
  });

  it("who-can --json prints the whole report and exits 4 for an unknown project", async () => {
    const { options } = setup();
    const json = await runWith(["access", "who-can", "payment-api", "--json"], options());
    expect(JSON.parse(json.stdout)).toMatchObject({ project: "payment-api", teams: ["payments"] });
    const missing = await runWith(["access", "who-can", "no-such-project"], options());
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^error: /);
  });

  it("member shows a contractor's scopes and the one project they see", async () => {
    const { options } = setup();
    const { code, stdout } = await runWith(["access", "member", "carla.contractor@vendor.test"], options());
    expect(code).toBe(0);
    expect(stdout).toContain("carla.contractor@vendor.test: org role member");
    expect(stdout).toContain("teams:  mobile (contributor)");
    expect(stdout).toMatch(/mobile-redesign\s+team mobile \(contributor\)/);
    expect(stdout).not.toContain("payment-api");
    const csv = await runWith(["access", "member", "carla.contractor@vendor.test", "--csv"], options());
    expect(csv.stdout.split("\r\n")[0]).toBe("project,reasons,scopes");
    expect((await runWith(["access", "member", "nobody@nowhere.test"], options())).code).toBe(4);
  });

  it("review prints the summary and findings; --fail-on high exits 1; --pending-days changes what is stale", async () => {
    const { options } = setup();
    const table = await runWith(["access", "review"], options());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\d+ members, 9 pending invites, 2 owners, 3 managers/);
    expect(table.stdout).toMatch(/high\s+sso-link-invalid\s+dmitri\.contractor@vendor\.test/);
    const failing = await runWith(["access", "review", "--fail-on", "high"], options());
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("at or above high severity");

    const stale = async (days: string) => {
      const run = await runWith(["access", "review", "--pending-days", days, "--json"], options());
      return (JSON.parse(run.stdout) as { findings: Array<{ kind: string }> }).findings.filter((f) => f.kind === "stale-invite").length;
    };
    expect(await stale("14")).toBe(3);
    expect(await stale("5")).toBeGreaterThan(3);
    expect((await runWith(["access", "review", "--pending-days", "soon"], options())).code).toBe(2);
  });

  it("changes nothing: every request an access command makes is a read", async () => {
    const { emu, options } = setup();
    await runWith(["access", "review"], options());
    await runWith(["access", "who-can", "auth-service"], options());
    await runWith(["access", "member", "carla.contractor@vendor.test"], options());
    expect(emu.state.requests.length).toBeGreaterThan(0);
    expect(emu.state.requests.every((r) => r.method === "GET")).toBe(true);
  });
});
