import { describe, expect, it } from "vitest";
import { leaked, setupEmulator } from "./resource-setup.js";

describe("sentry-rbac teams", () => {
  it("lists teams as a table, JSON, NDJSON and CSV, honouring --limit", async () => {
    const { emu, run, secrets } = setupEmulator();
    const table = await run(["teams", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SLUG\s+NAME\s+MEMBERS\s+PROJECTS/);
    expect(table.stdout).toMatch(/payments\s+Payments\s+\d+\s+(billing-worker payment-api|payment-api billing-worker)/);
    expect(leaked(table, secrets)).toEqual([]);

    const json = await run(["teams", "list", "--json"]);
    const teams = JSON.parse(json.stdout) as Array<{ slug: string }>;
    expect(teams.map((t) => t.slug).sort()).toEqual(emu.state.teams.map((t) => t.slug).sort());

    const ndjson = await run(["--ndjson", "teams", "list", "--limit", "2"]);
    const lines = ndjson.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? "")).toHaveProperty("slug");

    const csv = await run(["teams", "list", "--csv"]);
    expect(csv.stdout.startsWith("slug,name,memberCount,projects\r\n")).toBe(true);
    expect(csv.stdout.split("\r\n").filter((l) => l !== "")).toHaveLength(emu.state.teams.length + 1);
  });

  it("gets one team as an object, lists its members and projects, and exits 4 for an unknown team", async () => {
    const { run } = setupEmulator();
    const one = await run(["teams", "get", "payments", "--json"]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ slug: "payments", name: "Payments" });
    const projects = await run(["teams", "projects", "payments", "--json"]);
    expect((JSON.parse(projects.stdout) as Array<{ slug: string }>).map((p) => p.slug).sort()).toEqual(["billing-worker", "payment-api"]);
    const members = await run(["teams", "members", "payments", "--csv"]);
    expect(members.stdout).toMatch(/^id,email,name,orgRole,teamRole,pending\r\n/);
    const missing = await run(["teams", "get", "no-such-team"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^error: 404/);
  });

  it("create, update, ensure and delete change the organization; --dry-run sends nothing", async () => {
    const { emu, run, snapshot } = setupEmulator();
    const before = snapshot();
    const requests = emu.state.requests.length;
    const dry = await run(["teams", "create", "growth", "--name", "Growth", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would send: POST /api/0/organizations/acme/teams/ {"slug":"growth","name":"Growth"}');
    expect(dry.stderr).toContain("Dry run: nothing was sent.");
    const dryDelete = await run(["teams", "delete", "payments", "--dry-run", "--json"]);
    expect(JSON.parse(dryDelete.stdout)).toEqual({ dryRun: true, requests: [{ method: "DELETE", path: "/api/0/teams/acme/payments/" }] });
    expect(snapshot()).toBe(before);
    expect(emu.state.requests).toHaveLength(requests);

    expect((await run(["teams", "create", "growth", "--name", "Growth"])).code).toBe(0);
    expect(emu.state.teams.find((t) => t.slug === "growth")?.name).toBe("Growth");
    const again = await run(["teams", "ensure", "growth", "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, team: { slug: "growth" } });
    expect((await run(["teams", "update", "growth", "--name", "Growth Team", "--new-slug", "growth-team"])).code).toBe(0);
    expect(emu.state.teams.find((t) => t.slug === "growth-team")?.name).toBe("Growth Team");
    expect((await run(["teams", "update", "growth-team"])).code).toBe(2);

    const refused = await run(["teams", "delete", "growth-team"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    const declined = await run(["teams", "delete", "growth-team"], { stdinTTY: true, answers: ["n"] });
    expect(declined.code).toBe(1);
    expect(declined.io.prompts[0]).toContain("Delete team growth-team");
    expect(emu.state.teams.some((t) => t.slug === "growth-team")).toBe(true);
    expect((await run(["teams", "delete", "growth-team", "--yes"])).code).toBe(0);
    expect(emu.state.teams.some((t) => t.slug === "growth-team")).toBe(false);
  });

  it("exits 3 with the required scopes on a 403, 3 without a token, and 2 for an invalid slug", async () => {
    const { emu, run } = setupEmulator();
    const member = emu.state.members.find((m) => m.orgRole === "member" && !m.pending);
    const weak = emu.issueToken({ kind: "user", scopes: ["org:read"], userEmail: member?.email ?? "" });
    const forbidden = await run(["teams", "create", "growth"], { env: { SENTRY_AUTH_TOKEN: weak, SENTRY_ORG: "acme", SENTRY_URL: "https://sentry.test" } });
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toMatch(/required scopes \(any one\): .*team:write/);
    expect(forbidden.stdout + forbidden.stderr).not.toContain(weak);
    expect((await run(["teams", "list"], { env: { SENTRY_ORG: "acme" } })).code).toBe(3);
    expect((await run(["teams", "create", "Not A Slug", "--dry-run"])).code).toBe(2);
  });
});
