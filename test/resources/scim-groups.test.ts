import { afterEach, describe, expect, it } from "vitest";
import { isConflictError, isNotFoundError, isPermissionError, isValidationError } from "../../src/http/errors/errors.js";
import { createScimGroupsResource } from "../../src/resources/scim-groups.js";
import { closeClients, resourceHarness, pageSizes, thrown } from "./helpers.js";

afterEach(closeClients);

const GROUPS = "/api/0/organizations/acme/scim/v2/Groups";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function setup() {
  const h = resourceHarness();
  return { ...h, groups: createScimGroupsResource(h.ctx) };
}

function teamMembers(h: { emu: ReturnType<typeof setup>["emu"] }, teamSlug: string): string[] {
  return h.emu.state.members
    .filter((m) => m.teams.some((t) => t.team === teamSlug))
    .map((m) => m.id)
    .sort();
}

describe("scim.groups", () => {
  it("list walks startIndex/count pages; groups are teams with numeric ids", async () => {
    const { groups, seen, emu } = setup();
    expect(await pageSizes(groups.list({ perPage: 2 }).pages())).toEqual([2, 2, 2]);
    expect(seen.map((r) => r.query)).toEqual([
      { startIndex: "1", count: "2" },
      { startIndex: "3", count: "2" },
      { startIndex: "5", count: "2" },
    ]);
    expect(seen.every((r) => r.method === "GET" && r.path === GROUPS)).toBe(true);
    const all = await groups.list({ perPage: 2 }).toArray();
    expect(all.map((g) => g.id).sort()).toEqual(emu.state.teams.map((t) => t.id).sort());
    const payments = all.find((g) => g.displayName === "Payments");
    expect(payments?.members?.map((m) => m.value).sort()).toEqual(teamMembers({ emu }, "payments"));
  });

  it("list filters by displayName and can leave members out", async () => {
    const { groups, seen } = setup();
    const found = await groups.list({ filter: { displayName: "Payments" }, excludeMembers: true }).toArray();
    expect(found.map((g) => g.displayName)).toEqual(["Payments"]);
    expect(found[0]?.members).toBeUndefined();
    expect(seen[0]?.query).toEqual({ startIndex: "1", count: "100", filter: 'displayName eq "Payments"', excludedAttributes: "members" });
  });

  it("escapes quotes and backslashes in the filter value", async () => {
    const { groups, seen } = setup();
    await thrown(() => groups.list({ filter: { displayName: 'a\\" or displayName eq "Payments' } }).toArray());
    expect(seen[0]?.query.filter).toBe('displayName eq "a\\\\\\" or displayName eq \\"Payments"');
  });

  it("get returns a group by team id; unknown id is NotFoundError; a slug is refused before sending", async () => {
    const { groups, seen, emu } = setup();
    const group = await groups.get(1);
    expect(group).toMatchObject({ id: "1", displayName: "Payments", meta: { resourceType: "Group" } });
    expect(seen[0]).toMatchObject({ method: "GET", path: `${GROUPS}/1` });
    expect(isNotFoundError(await thrown(() => groups.get(999)))).toBe(true);
    const slug = await thrown(() => groups.get("payments"));
    expect(isValidationError(slug) && slug.field).toBe("id");
    expect(emu.state.requests).toHaveLength(2);
  });

  it("create posts the group, adds members in a PATCH and returns the group with them", async () => {
    const { groups, seen, emu } = setup();
    const group = await groups.create({ displayName: "Payments Oncall", members: [10, "11", 10] });
    expect(seen.map((r) => r.method)).toEqual(["POST", "PATCH", "GET"]);
    expect(seen[0]).toEqual({
      method: "POST",
      path: GROUPS,
      query: {},
      body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Payments Oncall" },
    });
    expect(seen[1]).toEqual({
      method: "PATCH",
      path: `${GROUPS}/${group.id}`,
      query: {},
      body: { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: "10" }, { value: "11" }] }] },
    });
    expect(group.members?.map((m) => m.value).sort()).toEqual(["10", "11"]);
    expect(emu.state.teams.find((t) => t.id === group.id)).toMatchObject({ slug: "payments-oncall", idpProvisioned: true });
  });

  it("create without members is one request; a taken slug is ConflictError (409)", async () => {
    const { groups, seen } = setup();
    const group = await groups.create({ displayName: "Data Science" });
    expect(group.members).toEqual([]);
    expect(seen).toHaveLength(1);
    const error = await thrown(() => groups.create({ displayName: "payments" }));
    expect(isConflictError(error) && error.status).toBe(409);
  });

  it("create checks the name and member ids before any request", async () => {
    const { groups, emu } = setup();
    const cases: Array<[() => unknown, string]> = [
      [() => groups.create({ displayName: "" }), "displayName"],
      [() => groups.create({ displayName: "x".repeat(65) }), "displayName"],
      [() => groups.create({ displayName: "Ops\r\nTeam" }), "displayName"],
      [() => groups.create({ displayName: "Ops", members: [1, "ana@acme.test"] }), "members[1]"],
    ];
    for (const [run, field] of cases) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  // scim/teams.py _rename_team_operation validates with TeamDetailsSerializer: a taken slug is a 400 field error.
  it("rename sends the replace operation and re-slugs the team; a taken slug is a ValidationError", async () => {
    const { groups, seen, emu } = setup();
    await groups.rename("5", "Mobile Apps");
    expect(seen[0]).toEqual({
      method: "PATCH",
      path: `${GROUPS}/5`,
      query: {},
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { id: 5, displayName: "Mobile Apps" } }] },
    });
    expect(emu.state.teams.find((t) => t.id === "5")).toMatchObject({ name: "Mobile Apps", slug: "mobile-apps" });
    const error = await thrown(() => groups.rename(5, "Payments"));
    expect(isValidationError(error) && error.status).toBe(400);
    expect(isValidationError(await thrown(() => groups.rename(5, " ")))).toBe(true);
  });

  it("addMembers adds in one operation; an unknown member id is NotFoundError", async () => {
    const h = setup();
    await h.groups.addMembers(3, [1, 2]);
    expect(h.seen[0]?.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: "1" }, { value: "2" }] }] });
    expect(teamMembers(h, "notifications")).toEqual(expect.arrayContaining(["1", "2"]));
    expect(isNotFoundError(await thrown(() => h.groups.addMembers(3, [99999])))).toBe(true);
    expect(isValidationError(await thrown(() => h.groups.addMembers(3, [])))).toBe(true);
  });

  it("removeMembers sends one filter-path operation per member, at most 100 per request", async () => {
    const h = setup();
    const before = teamMembers(h, "payments");
    await h.groups.removeMembers(1, before);
    expect(h.seen[0]?.body).toEqual({
      schemas: [PATCH_OP],
      Operations: before.map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })),
    });
    expect(teamMembers(h, "payments")).toEqual([]);
    const many = Array.from({ length: 205 }, (_, i) => 100_000 + i);
    await thrown(() => h.groups.removeMembers(1, many));
    // The first chunk fails on an unknown member, so exactly one more request was made, holding 100 operations.
    expect(h.seen).toHaveLength(2);
    expect((h.seen[1]?.body as { Operations: unknown[] }).Operations).toHaveLength(100);
  });

  it("delete schedules the team's deletion; a second delete is NotFoundError", async () => {
    const { groups, seen, emu } = setup();
    await groups.delete(6);
    expect(seen[0]).toMatchObject({ method: "DELETE", path: `${GROUPS}/6` });
    expect(emu.state.teams.some((t) => t.id === "6")).toBe(false);
    expect(isNotFoundError(await thrown(() => groups.delete(6)))).toBe(true);
  });

  it("a token without team scopes gets PermissionError naming the accepted scopes", async () => {
    const { emu, clientWith } = resourceHarness();
    const { ctx } = clientWith({ token: emu.issueToken({ scopes: ["member:read"] }) });
    const error = await thrown(() => createScimGroupsResource(ctx).create({ displayName: "Nope" }));
    expect(isPermissionError(error) && error.requiredScopes).toEqual(["team:admin", "team:write"]);
  });
});

describe("sentry.scim.groups (wired into the client)", () => {
  it("creates and reads a group through the client", async () => {
    const { sentry, seen } = resourceHarness();
    const group = await sentry.scim.groups.create({ displayName: "Wired Group" });
    expect((await sentry.scim.groups.get(group.id)).displayName).toBe("Wired Group");
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${GROUPS}`, `GET ${GROUPS}/${group.id}`]);
  });
});
