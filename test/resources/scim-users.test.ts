import { afterEach, describe, expect, it } from "vitest";
import { isConflictError, isNotFoundError, isPermissionError, isValidationError } from "../../src/http/errors/errors.js";
import { createScimUsersResource } from "../../src/resources/scim-users.js";
import { closeClients, resourceHarness, pageSizes, thrown } from "./helpers.js";

afterEach(closeClients);

const USERS = "/api/0/organizations/acme/scim/v2/Users";

function setup() {
  const h = resourceHarness();
  return { ...h, users: createScimUsersResource(h.ctx) };
}

describe("scim.users", () => {
  it("list walks startIndex/count pages to the end, in Sentry's order (invites by email, then members by id)", async () => {
    const { users, seen, emu } = setup();
    const sizes = await pageSizes(users.list({ perPage: 15 }).pages());
    const total = emu.state.members.length;
    expect(sizes).toEqual([15, 15, total - 30]);
    expect(seen.map((r) => [r.method, r.path])).toEqual(Array(3).fill(["GET", USERS]));
    expect(seen.map((r) => r.query)).toEqual([
      { startIndex: "1", count: "15" },
      { startIndex: "16", count: "15" },
      { startIndex: "31", count: "15" },
    ]);
    const all = await users.list({ perPage: 15 }).toArray();
    // Sentry's order: pending invites by email, then members with accounts by id (scim/members.py ORDER BY email, id).
    const pending = emu.state.members
      .filter((m) => m.pending)
      .map((m) => m.email)
      .sort();
    const joined = emu.state.members
      .filter((m) => !m.pending)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((m) => m.email);
    expect(all.map((u) => u.userName)).toEqual([...pending, ...joined]);
    expect(all[0]).toMatchObject({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], meta: { resourceType: "User" } });
  });

  it("list resumes from a cursor (a start index)", async () => {
    const { users, seen } = setup();
    const page = await users.list({ perPage: 5, cursor: "11", maxPages: 1 }).toArray();
    expect(page).toHaveLength(5);
    expect(seen[0]?.query).toEqual({ startIndex: "11", count: "5" });
  });

  it("list filters by userName with an escaped eq clause", async () => {
    const { users, seen } = setup();
    const found = await users.list({ filter: { userName: "ada.smith@acme.test" } }).toArray();
    expect(found.map((u) => u.id)).toEqual(["1"]);
    expect(seen[0]?.query).toEqual({ startIndex: "1", count: "100", filter: 'userName eq "ada.smith@acme.test"' });
  });

  it("a quote in the filter value is escaped, so it cannot add clauses (the server refuses, nothing matches)", async () => {
    const { users, seen } = setup();
    const error = await thrown(() => users.list({ filter: { userName: 'x" or userName eq "ada.smith@acme.test' } }).toArray());
    expect(seen[0]?.query.filter).toBe('userName eq "x\\" or userName eq \\"ada.smith@acme.test"');
    expect(isValidationError(error) && error.status).toBe(400);
  });

  it("refuses control characters, bad perPage and bad ids before any request", async () => {
    const { users, emu } = setup();
    const cases: Array<[() => unknown, string]> = [
      [() => users.list({ filter: { userName: "a@b.c\nor" } }), "userName"],
      [() => users.list({ filter: { userName: "" } }), "userName"],
      [() => users.list({ perPage: 0 }), "perPage"],
      [() => users.list({ perPage: 101 }), "perPage"],
      [() => users.get("abc"), "id"],
      [() => users.get("12/../../teams"), "id"],
      [() => users.get(-3), "id"],
      [() => users.delete("0"), "id"],
      [() => users.deactivate("me"), "id"],
    ];
    for (const [run, field] of cases) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  it("get returns the user by member id; an unknown id is NotFoundError", async () => {
    const { users, seen } = setup();
    const user = await users.get(2);
    expect(user).toMatchObject({ id: "2", userName: "ben.garcia@acme.test", sentryOrgRole: "owner", active: true });
    expect(seen[0]).toMatchObject({ method: "GET", path: `${USERS}/2` });
    const error = await thrown(() => users.get("99999"));
    expect(isNotFoundError(error) && error.path).toBe("/api/0/organizations/{organization_id_or_slug}/scim/v2/Users/{member_id}");
  });

  it("provision posts the SCIM user and returns it; the member is idp-provisioned", async () => {
    const { users, seen, emu } = setup();
    const user = await users.provision({ userName: "new.person@acme.test", sentryOrgRole: "manager" });
    expect(seen[0]).toEqual({
      method: "POST",
      path: USERS,
      query: {},
      body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "new.person@acme.test", sentryOrgRole: "manager" },
    });
    expect(user).toMatchObject({ userName: "new.person@acme.test", sentryOrgRole: "manager" });
    const member = emu.state.members.find((m) => m.email === "new.person@acme.test");
    expect(member).toMatchObject({ id: user.id, orgRole: "manager", pending: true });
    expect(member?.flags["idp:provisioned"]).toBe(true);
  });

  it("provision of an existing member is ConflictError (409); of a pending invite ConflictError (400)", async () => {
    const { users } = setup();
    const member = await thrown(() => users.provision({ userName: "ada.smith@acme.test" }));
    expect(isConflictError(member) && member.status).toBe(409);
    const invited = await thrown(() => users.provision({ userName: "new.hire@acme.test" }));
    expect(isConflictError(invited) && invited.status).toBe(400);
  });

  it("provision refuses a bad email and the owner role before any request", async () => {
    const { users, emu } = setup();
    const email = await thrown(() => users.provision({ userName: "not-an-email" }));
    expect(isValidationError(email) && email.field).toBe("userName");
    // @ts-expect-error owners cannot be provisioned through SCIM
    const owner = await thrown(() => users.provision({ userName: "x@acme.test", sentryOrgRole: "owner" }));
    expect(isValidationError(owner) && owner.field).toBe("sentryOrgRole");
    expect(emu.state.requests).toHaveLength(0);
  });

  it("deactivate sends the exact PatchOp Sentry expects and the member is gone", async () => {
    const { users, seen, emu } = setup();
    await users.deactivate(12);
    expect(seen[0]).toEqual({
      method: "PATCH",
      path: `${USERS}/12`,
      query: {},
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] },
    });
    expect(emu.state.members.some((m) => m.id === "12")).toBe(false);
    const error = await thrown(() => users.deactivate(12));
    expect(isNotFoundError(error)).toBe(true);
  });

  it("patch sends the caller's operations; operations Sentry refuses are a 400 ValidationError", async () => {
    const { users, seen, emu } = setup();
    await users.patch("13", [{ op: "replace", path: "active", value: false }]);
    expect(seen[0]?.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: false, path: "active" }],
    });
    expect(emu.state.members.some((m) => m.id === "13")).toBe(false);
    const refused = await thrown(() => users.patch("14", [{ op: "add", path: "emails", value: [] }]));
    expect(isValidationError(refused) && refused.status).toBe(400);
    // scim/members.py: the op serializer refuses "add"; its errors come back as JSON text in `detail`.
    expect(refused).toMatchObject({ requestSent: true, detail: expect.stringMatching(/"add\\?" is not a valid choice/) });
  });

  it("patch checks operations before any request", async () => {
    const { users, emu } = setup();
    const cases: Array<[unknown, string]> = [
      [[], "ops"],
      [[{ op: "move", path: "active" }], "ops[0].op"],
      [[{ op: "replace", path: "active\u0000", value: false }], "ops[0].path"],
      [Array(101).fill({ op: "replace", path: "active", value: false }), "ops"],
      [["replace"], "ops[0]"],
    ];
    for (const [ops, field] of cases) {
      const error = await thrown(() => users.patch(14, ops as never));
      expect(isValidationError(error) && error.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  it("delete removes the member; the last owner cannot be removed (403)", async () => {
    const { users, seen, emu } = setup();
    await users.delete("15");
    expect(seen[0]).toMatchObject({ method: "DELETE", path: `${USERS}/15` });
    expect(emu.state.members.some((m) => m.id === "15")).toBe(false);
    await users.delete(2);
    const error = await thrown(() => users.delete(1));
    expect(isPermissionError(error) && error.status).toBe(403);
  });

  it("a token without member scopes gets PermissionError naming the accepted scopes", async () => {
    const { emu, clientWith } = resourceHarness();
    const { ctx } = clientWith({ token: emu.issueToken({ scopes: ["org:read"] }) });
    const error = await thrown(() => createScimUsersResource(ctx).list().toArray());
    expect(isPermissionError(error)).toBe(true);
    if (!isPermissionError(error)) return;
    expect(error.requiredScopes).toEqual(["member:admin", "member:read", "member:write"]);
    expect(error.hint).toMatch(/member:admin/);
  });

  // Sentry refuses an org auth token on SCIM with 403 from the scope check (scim/utils.py), not 401.
  it("an org auth token on SCIM is PermissionError with a hint about the SCIM token", async () => {
    const { emu, clientWith } = resourceHarness();
    const { ctx } = clientWith({ token: emu.issueToken({ scopes: ["org:ci"], kind: "org" }) });
    const error = await thrown(() => createScimUsersResource(ctx).get(1));
    expect(isPermissionError(error) && error.hint).toMatch(/scimToken/);
  });

  it("uses the SCIM token, not the API token, for SCIM calls", async () => {
    const { emu, clientWith } = resourceHarness();
    // An API token that could not list SCIM users itself: success proves the SCIM token was sent.
    const { ctx } = clientWith({ token: emu.issueToken({ scopes: ["org:read"] }), scimToken: emu.scimToken });
    const users = await createScimUsersResource(ctx).list({ perPage: 100 }).toArray();
    expect(users.length).toBe(emu.state.members.length);
  });
});

describe("sentry.scim.users (wired into the client)", () => {
  it("is the same resource, sending the SCIM token of the client and following withOrg", async () => {
    const { sentry, seen } = resourceHarness();
    const [user] = await sentry.scim.users.list({ filter: { userName: "ben.garcia@acme.test" } }).toArray();
    expect(user?.id).toBe("2");
    await sentry
      .withOrg("globex")
      .scim.users.get(2)
      .catch(() => undefined);
    expect(seen.map((r) => r.path)).toEqual([USERS, "/api/0/organizations/globex/scim/v2/Users/2"]);
  });

  // src/sentry/core/endpoints/scim/members.py `put` (Sentry's experimental SCIM Users PUT).
  it("setRole sends PUT {sentryOrgRole} and reads the user back; null releases the role; owner is refused before sending", async () => {
    const { users, seen, emu } = setup();
    const kai = emu.state.members.find((m) => m.email === "kai.rossi@acme.test");
    const user = await users.setRole(kai!.id, "manager");
    expect(user).toMatchObject({ id: kai!.id, sentryOrgRole: "manager" });
    expect(seen.at(-1)).toMatchObject({ method: "PUT", path: `${USERS}/${kai!.id}`, body: { sentryOrgRole: "manager" } });
    expect(emu.state.members.find((m) => m.id === kai!.id)?.flags).toMatchObject({ "idp:role-restricted": true, "idp:provisioned": true });
    const released = await users.setRole(kai!.id, null);
    expect(released.sentryOrgRole).toBe("member");
    expect(seen.at(-1)?.body).toEqual({ sentryOrgRole: "" });
    expect(emu.state.members.find((m) => m.id === kai!.id)?.flags["idp:role-restricted"]).toBe(false);
    const before = seen.length;
    const bad = await thrown(() => users.setRole(kai!.id, "owner" as never));
    expect(isValidationError(bad) && bad.field).toBe("role");
    expect(seen).toHaveLength(before);
    expect(isNotFoundError(await thrown(() => users.setRole(999_999, "member")))).toBe(true);
  });
});
