import { describe, expect, it } from "vitest";
import { leaked, setupEmulator } from "./resource-setup.js";

describe("sentry-rbac scim users", () => {
  it("lists, filters and gets users with the SCIM token, never printing it", async () => {
    const { emu, run, secrets } = setupEmulator();
    const list = await run(["scim", "users", "list", "--ndjson"]);
    expect(list.code).toBe(0);
    const users = list.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; userName: string });
    expect(users.length).toBeGreaterThan(10);
    expect(leaked(list, secrets)).toEqual([]);
    const one = await run(["scim", "users", "list", "--user-name", "carla.contractor@vendor.test", "--json"]);
    expect(JSON.parse(one.stdout)).toEqual([expect.objectContaining({ userName: "carla.contractor@vendor.test" })]);
    const carla = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    const got = await run(["scim", "users", "get", carla?.id ?? ""]);
    expect(got.stdout).toMatch(/carla\.contractor@vendor\.test\s+true\s+member/);
  });

  it("provision, deactivate and delete act on members; dry runs send nothing", async () => {
    const { emu, run, snapshot } = setupEmulator();
    const before = snapshot();
    const dry = await run(["scim", "users", "provision", "ivy@acme.test", "--org-role", "member", "--dry-run", "--json"]);
    expect(JSON.parse(dry.stdout)).toEqual({
      dryRun: true,
      requests: [{ method: "POST", path: "/api/0/organizations/acme/scim/v2/Users", body: { userName: "ivy@acme.test", sentryOrgRole: "member" } }],
    });
    expect((await run(["scim", "users", "deactivate", "5", "--dry-run"])).stdout).toContain('"active":false');
    expect((await run(["scim", "users", "delete", "5", "--dry-run"])).code).toBe(0);
    expect((await run(["scim", "users", "deactivate", "5"])).code).toBe(2);
    expect(snapshot()).toBe(before);
    expect((await run(["scim", "users", "provision", "ivy@acme.test", "--org-role", "owner"])).code).toBe(2);

    const made = await run(["scim", "users", "provision", "ivy@acme.test", "--json"]);
    expect(made.code).toBe(0);
    const id = (JSON.parse(made.stdout) as { id: string }).id;
    expect(emu.state.members.find((m) => m.id === id)?.email).toBe("ivy@acme.test");
    expect((await run(["scim", "users", "deactivate", id, "--yes"])).code).toBe(0);
    expect(emu.state.members.some((m) => m.id === id)).toBe(false);
    const victim = emu.state.members.find((m) => m.orgRole === "member" && !m.pending);
    expect((await run(["scim", "users", "delete", victim?.id ?? "", "--yes"])).code).toBe(0);
    expect(emu.state.members.some((m) => m.id === victim?.id)).toBe(false);
    expect((await run(["scim", "users", "get", "99999"])).code).toBe(4);
  });
});

describe("sentry-rbac scim groups", () => {
  it("creates, renames, adds and removes members, and deletes a group; dry runs send nothing", async () => {
    const { emu, run, snapshot } = setupEmulator();
    const before = snapshot();
    const dry = await run(["scim", "groups", "add-members", "2", "3", "4", "--dry-run"]);
    expect(dry.stdout).toContain(
      'would send: PATCH /api/0/organizations/acme/scim/v2/Groups/2 {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"3"},{"value":"4"}]}]}',
    );
    expect((await run(["scim", "groups", "create", "Data", "--dry-run"])).code).toBe(0);
    expect((await run(["scim", "groups", "rename", "2", "Identity Team", "--dry-run"])).code).toBe(0);
    expect((await run(["scim", "groups", "remove-members", "2", "3", "--dry-run"])).code).toBe(0);
    expect((await run(["scim", "groups", "delete", "2", "--dry-run"])).code).toBe(0);
    expect((await run(["scim", "groups", "add-members", "2", "abc", "--dry-run"])).code).toBe(2);
    expect(snapshot()).toBe(before);

    const created = await run(["scim", "groups", "create", "Data", "--json"]);
    expect(created.code).toBe(0);
    const group = JSON.parse(created.stdout) as { id: string; displayName: string };
    expect(group.displayName).toBe("Data");
    const [a, b] = emu.state.members.filter((m) => !m.pending).map((m) => m.id);
    expect((await run(["scim", "groups", "add-members", group.id, a ?? "", b ?? ""])).code).toBe(0);
    const listed = await run(["scim", "groups", "list", "--display-name", "Data", "--json"]);
    const members = (JSON.parse(listed.stdout) as Array<{ members: Array<{ value: string }> }>)[0]?.members.map((m) => m.value);
    expect(members?.sort()).toEqual([a, b].sort());
    expect((await run(["scim", "groups", "remove-members", group.id, a ?? "", "--yes"])).code).toBe(0);
    const got = await run(["scim", "groups", "get", group.id, "--json"]);
    expect((JSON.parse(got.stdout) as { members: Array<{ value: string }> }).members.map((m) => m.value)).toEqual([b]);
    expect((await run(["scim", "groups", "rename", group.id, "Data Team"])).code).toBe(0);
    expect(emu.state.teams.find((t) => t.id === group.id)?.name).toBe("Data Team");
    expect((await run(["scim", "groups", "delete", group.id, "--yes"])).code).toBe(0);
    expect(emu.state.teams.some((t) => t.id === group.id)).toBe(false);
  });

  it("has the check subcommand attached", async () => {
    const { run } = setupEmulator();
    expect((await run(["scim", "--help"])).stdout).toMatch(/\n\s+check\s/);
  });
});
