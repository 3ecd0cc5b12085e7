import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parseTeamRole } from "../../../src/cli/commands/members.js";
import { leaked, setupEmulator } from "./resource-setup.js";

describe("parseTeamRole", () => {
  it("reads team and team:role, and refuses a bad role", () => {
    expect(parseTeamRole("payments:admin", [{ team: "identity" }])).toEqual([{ team: "identity" }, { team: "payments", role: "admin" }]);
    expect(parseTeamRole("payments")).toEqual([{ team: "payments" }]);
    expect(() => parseTeamRole("payments:owner")).toThrow(InvalidArgumentError);
  });
});

describe("sentry-rbac members", () => {
  it("lists, filters, finds and gets members; a missing email exits 4", async () => {
    const { emu, run, secrets } = setupEmulator();
    const all = await run(["members", "list", "--json"]);
    expect(all.code).toBe(0);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(emu.state.members.length);
    expect(leaked(all, secrets)).toEqual([]);
    const owners = await run(["members", "list", "--query", "role:owner", "--csv"]);
    const rows = owners.stdout
      .split("\r\n")
      .filter((l) => l !== "")
      .slice(1);
    expect(rows.length).toBe(emu.state.members.filter((m) => m.orgRole === "owner").length);
    expect(rows.every((r) => r.includes(",owner,"))).toBe(true);

    const found = await run(["members", "find", "carla.contractor@vendor.test", "--json"]);
    const carla = JSON.parse(found.stdout) as { id: string; email: string };
    expect(carla.email).toBe("carla.contractor@vendor.test");
    const got = await run(["members", "get", carla.id]);
    expect(got.stdout).toMatch(/carla\.contractor@vendor\.test\s+Carla Contractor\s+member/);
    const none = await run(["members", "find", "nobody@acme.test"]);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain("error: no member with email nobody@acme.test");
  });

  it("invite and update send the right bodies; --dry-run prints them and changes nothing", async () => {
    const { emu, run, snapshot } = setupEmulator();
    const before = snapshot();
    const dry = await run(["members", "invite", "fresh.hire@acme.test", "--org-role", "member", "--team", "payments:contributor", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      dryRun: true,
      requests: [
        {
          method: "POST",
          path: "/api/0/organizations/acme/members/",
          body: { email: "fresh.hire@acme.test", orgRole: "member", teamRoles: [{ teamSlug: "payments", role: "contributor" }] },
        },
      ],
    });
    const dryUpdate = await run(["members", "update", "3", "--org-role", "admin", "--dry-run"]);
    expect(dryUpdate.stdout).toContain("would send: PUT /api/0/organizations/acme/members/3/");
    expect(dryUpdate.stdout).toContain("current teams");
    expect(snapshot()).toBe(before);

    expect((await run(["members", "invite", "fresh.hire@acme.test", "--team", "payments"])).code).toBe(0);
    const invited = emu.state.members.find((m) => m.email === "fresh.hire@acme.test");
    expect(invited).toMatchObject({ pending: true, orgRole: "member" });
    expect(invited?.teams.map((t) => t.team)).toEqual(["payments"]);

    const target = emu.state.members.find((m) => m.orgRole === "member" && !m.pending && m.teams.length > 0);
    const teamsBefore = target?.teams.map((t) => t.team);
    expect((await run(["members", "update", target?.id ?? "", "--org-role", "manager"])).code).toBe(0);
    const after = emu.state.members.find((m) => m.id === target?.id);
    expect(after?.orgRole).toBe("manager");
    expect(after?.teams.map((t) => t.team)).toEqual(teamsBefore);
    expect((await run(["members", "update", "3"])).code).toBe(2);
    expect((await run(["members", "invite", "x@acme.test", "--org-role", "emperor"])).code).toBe(2);
  });

  it("adds to a team with a role, sets the role, removes from the team (--if-present), and removes the member", async () => {
    const { emu, run, snapshot } = setupEmulator();
    const m = emu.state.members.find((x) => x.orgRole === "member" && !x.pending && !x.teams.some((t) => t.team === "mobile"));
    const id = m?.id ?? "";
    const before = snapshot();
    const dry = await run(["members", "add-to-team", id, "mobile", "--team-role", "admin", "--dry-run"]);
    expect(dry.stdout.match(/would send:/g)).toHaveLength(2);
    expect((await run(["members", "remove-from-team", id, "payments", "--dry-run"])).code).toBe(0);
    expect((await run(["members", "remove", id, "--dry-run"])).code).toBe(0);
    expect(snapshot()).toBe(before);

    const added = await run(["members", "add-to-team", id, "mobile", "--team-role", "admin", "--json"]);
    expect(JSON.parse(added.stdout)).toMatchObject({ status: "added", teamRole: "admin" });
    expect(emu.state.members.find((x) => x.id === id)?.teams).toContainEqual({ team: "mobile", role: "admin" });
    const set = await run(["members", "set-team-role", id, "mobile", "contributor", "--json"]);
    expect(set.code).toBe(0);
    expect(emu.state.members.find((x) => x.id === id)?.teams.find((t) => t.team === "mobile")?.role).not.toBe("admin");
    expect((await run(["members", "set-team-role", id, "mobile", "owner"])).code).toBe(2);

    expect((await run(["members", "remove-from-team", id, "mobile", "--yes"])).code).toBe(0);
    expect(emu.state.members.find((x) => x.id === id)?.teams.some((t) => t.team === "mobile")).toBe(false);
    const gone = await run(["members", "remove-from-team", id, "no-such-team", "--yes", "--if-present"]);
    expect(gone.code).toBe(0);
    expect(gone.stderr).toContain("nothing changed");
    expect((await run(["members", "remove-from-team", id, "no-such-team", "--yes"])).code).toBe(4);

    expect((await run(["members", "remove", id])).code).toBe(2);
    expect((await run(["members", "remove", id, "--yes"])).code).toBe(0);
    expect(emu.state.members.some((x) => x.id === id)).toBe(false);
  });
});
