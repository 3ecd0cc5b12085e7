import { describe, expect, it } from "vitest";
import { asArray, asObject, call, demo } from "./helpers.js";

const SCIM = "/api/0/organizations/acme/scim/v2";
const PATCH_SCHEMA = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"];
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

describe("SCIM users", () => {
  it("pages with startIndex/count in a ListResponse envelope and sends no Link header", async () => {
    const emu = demo();
    const res = await call(emu, "GET", `${SCIM}/Users?startIndex=11&count=5`, { token: emu.scimToken });
    const body = asObject(res.body);
    expect(body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], startIndex: 11, itemsPerPage: 5 });
    expect(body.totalResults).toBe(emu.state.members.length);
    expect(res.headers.get("link")).toBeNull();
    // ORDER BY email, id with email NULL once a user joined: invites by email first, then members by id.
    const all = asArray(asObject((await call(emu, "GET", `${SCIM}/Users?count=100`, { token: emu.scimToken })).body).Resources);
    const pending = new Set(emu.state.members.filter((m) => m.pending).map((m) => m.id));
    const invites = all.filter((u) => pending.has(String(u.id)));
    expect(all.slice(0, invites.length)).toEqual(invites);
    expect(invites.map((u) => String(u.userName))).toEqual(invites.map((u) => String(u.userName)).sort());
    const ids = all.slice(invites.length).map((u) => Number(u.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("takes count as the page size's default: 0 is unset (100), above 100 is allowed, per_page wins (api/base.py get_per_page)", async () => {
    const emu = demo();
    const total = emu.state.members.length;
    const size = async (query: string) => asObject((await call(emu, "GET", `${SCIM}/Users?${query}`, { token: emu.scimToken })).body).itemsPerPage;
    expect(total).toBeGreaterThan(3);
    expect(await size("count=0")).toBe(Math.min(total, 100));
    expect(await size("count=500")).toBe(Math.min(total, 500));
    expect(await size("count=2&per_page=3")).toBe(3);
    expect(await call(emu, "GET", `${SCIM}/Users?count=150&per_page=151`, { token: emu.scimToken })).toMatchObject({
      status: 400,
      body: { detail: "Invalid per_page value. Must be between 1 and 150." },
    });
    expect(await call(emu, "GET", `${SCIM}/Users?per_page=0`, { token: emu.scimToken })).toMatchObject({
      status: 400,
      body: { detail: "Invalid per_page value. Must be between 1 and 100." },
    });
    expect(await call(emu, "GET", `${SCIM}/Groups?per_page=x`, { token: emu.scimToken })).toMatchObject({
      status: 400,
      body: { detail: "Invalid per_page parameter." },
    });
  });

  it('accepts exactly one `<attr> eq "value"` filter and answers invalidFilter otherwise', async () => {
    const emu = demo();
    const hit = asObject(
      (await call(emu, "GET", `${SCIM}/Users?filter=${encodeURIComponent('userName eq "KAI.ROSSI@acme.test"')}`, { token: emu.scimToken })).body,
    );
    expect(hit.totalResults).toBe(1);
    // src/sentry/core/endpoints/scim/utils.py parse_filter_conditions: one " eq ", no comma, a known key.
    for (const bad of ['userName co "kai"', 'userName eq "a" and userName eq "b"', 'title eq "x"', 'userName eq "a,b"', 'userName EQ "x"']) {
      const res = await call(emu, "GET", `${SCIM}/Users?filter=${encodeURIComponent(bad)}`, { token: emu.scimToken });
      expect(res, bad).toMatchObject({ status: 400, body: { schemas: [ERROR_SCHEMA], scimType: "invalidFilter" } });
    }
    // The value's first and last characters are dropped whatever they are, and every key is accepted on Users.
    const unquoted = asObject((await call(emu, "GET", `${SCIM}/Users?filter=${encodeURIComponent("userName eq kai")}`, { token: emu.scimToken })).body);
    expect(unquoted.totalResults).toBe(0);
    const byDisplay = asObject(
      (await call(emu, "GET", `${SCIM}/Users?filter=${encodeURIComponent('displayName eq "kai.rossi@acme.test"')}`, { token: emu.scimToken })).body,
    );
    expect(byDisplay.totalResults).toBe(1);
    // A `value` key goes through Python's int(), whose ValueError the serializer does not catch: a 500.
    expect((await call(emu, "GET", `${SCIM}/Users?filter=${encodeURIComponent('value eq "abc"')}`, { token: emu.scimToken })).status).toBe(500);
  });

  it("validates startIndex and count together as DRF integers (scim/utils.py SCIMQueryParamSerializer)", async () => {
    const emu = demo();
    expect(await call(emu, "GET", `${SCIM}/Users?startIndex=0&count=x`, { token: emu.scimToken })).toMatchObject({
      status: 400,
      body: { startIndex: ["Ensure this value is greater than or equal to 1."], count: ["A valid integer is required."] },
    });
    // DRF drops a trailing ".0" before int(); an empty optional value is skipped.
    const res = await call(emu, "GET", `${SCIM}/Users?startIndex=2.0&count=`, { token: emu.scimToken });
    expect(res).toMatchObject({ status: 200, body: { startIndex: 2 } });
  });

  it("parses a 100k-character filter in linear time", async () => {
    const emu = demo();
    const filter = `userName eq "${"a".repeat(100_000)}" eq "b"`;
    const started = performance.now();
    const res = await call(emu, "GET", `${SCIM}/Users?filter=${encodeURIComponent(filter)}`, { token: emu.scimToken });
    expect(res.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("provisions pending idp-provisioned members, refuses owners, and answers 409 for existing members", async () => {
    const emu = demo();
    const created = await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "okta.new@acme.test", sentryOrgRole: "manager" } });
    expect(created).toMatchObject({ status: 201, body: { userName: "okta.new@acme.test", sentryOrgRole: "manager", active: true } });
    const state = emu.state.members.find((m) => m.email === "okta.new@acme.test");
    expect(state).toMatchObject({ pending: true, flags: { "idp:provisioned": true, "idp:role-restricted": true } });
    expect(await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "o@acme.test", sentryOrgRole: "owner" } })).toMatchObject({
      status: 400,
      body: { schemas: [ERROR_SCHEMA], detail: "Invalid organization role." },
    });
    expect(await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "kai.rossi@acme.test" } })).toMatchObject({
      status: 409,
      body: { schemas: [ERROR_SCHEMA], detail: "User already exists in the database." },
    });
    expect("status" in asObject((await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "ada.smith@acme.test" } })).body)).toBe(
      false,
    );
    // test_post_users_with_role_valid: case-insensitive; "" means the default role and no lock. A truthy
    // non-string role meets `.lower()`: a 500 (scim/members.py post).
    const mixed = await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "mixed@acme.test", sentryOrgRole: "mAnaGer" } });
    expect(mixed).toMatchObject({ status: 201, body: { sentryOrgRole: "manager" } });
    const blank = await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "blank@acme.test", sentryOrgRole: "" } });
    expect(blank).toMatchObject({ status: 201, body: { sentryOrgRole: "member" } });
    expect(emu.state.members.find((m) => m.email === "blank@acme.test")?.flags["idp:role-restricted"]).toBe(false);
    expect((await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "num@acme.test", sentryOrgRole: 5 } })).status).toBe(500);
    // An email already invited fails the invite serializer: 400 with its errors as sentry.utils.json text.
    expect(await call(emu, "POST", `${SCIM}/Users`, { token: emu.scimToken, body: { userName: "mixed@acme.test" } })).toMatchObject({
      status: 400,
      body: { detail: '{"email":["The user mixed@acme.test has already been invited"]}' },
    });
  });

  it("deactivates (hard-deletes) via PATCH active=false in both forms and rejects other operations", async () => {
    const emu = demo();
    const id = emu.state.members.find((m) => m.email === "kai.rossi@acme.test")?.id;
    // scim/members.py: the op serializer accepts only "replace" (its errors come back as JSON text, as
    // Azure's periodic "add" meets: getsentry/sentry#84941); a replace that does not deactivate is refused.
    const bad = await call(emu, "PATCH", `${SCIM}/Users/${id}`, {
      token: emu.scimToken,
      body: { schemas: PATCH_SCHEMA, Operations: [{ op: "add", path: "title", value: "x" }] },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: {
        schemas: [ERROR_SCHEMA],
        detail: '{"Operations":{"0":{"op":["\\"add\\" is not a valid choice"],"value":["value must be a boolean or object"]}}}',
      },
    });
    const activate = await call(emu, "PATCH", `${SCIM}/Users/${id}`, {
      token: emu.scimToken,
      body: { schemas: PATCH_SCHEMA, Operations: [{ op: "replace", path: "active", value: true }] },
    });
    expect(activate).toMatchObject({ status: 400, body: { detail: "Invalid Patch Operation." } });
    const ok = await call(emu, "PATCH", `${SCIM}/Users/${id}`, {
      token: emu.scimToken,
      body: { schemas: PATCH_SCHEMA, Operations: [{ op: "Replace", value: { active: false } }] },
    });
    expect(ok.status).toBe(204);
    expect(emu.state.members.some((m) => m.id === id)).toBe(false);
    expect((await call(emu, "GET", `${SCIM}/Users/${id}`, { token: emu.scimToken })).body).toEqual({
      schemas: [ERROR_SCHEMA],
      detail: "The requested resource does not exist",
    });
    const other = emu.state.members.find((m) => m.email === "lena.kim@acme.test")?.id;
    const azure = await call(emu, "PATCH", `${SCIM}/Users/${other}`, {
      token: emu.scimToken,
      body: { schemas: PATCH_SCHEMA, Operations: [{ op: "replace", path: "active", value: "false" }] },
    });
    expect(azure.status).toBe(204);
    // test_scim_user_details.py test_member_detail_patch_too_many_ops: sentry.utils.json.dumps text, no spaces.
    const tooMany = Array.from({ length: 101 }, () => ({ op: "replace", path: "active", value: true }));
    expect(await call(emu, "PATCH", `${SCIM}/Users/1`, { token: emu.scimToken, body: { schemas: PATCH_SCHEMA, Operations: tooMany } })).toMatchObject({
      status: 400,
      body: { schemas: [ERROR_SCHEMA], detail: '{"Operations":["Ensure this field has no more than 100 elements."]}' },
    });
  });
});

describe("SCIM groups", () => {
  it("creates an idp-provisioned team, answers 409 on a slug clash, and filters by displayName", async () => {
    const emu = demo();
    const created = await call(emu, "POST", `${SCIM}/Groups`, { token: emu.scimToken, body: { displayName: "Data Science" } });
    expect(created).toMatchObject({ status: 201, body: { displayName: "Data Science", members: [] } });
    expect(emu.state.teams.find((t) => t.slug === "data-science")?.idpProvisioned).toBe(true);
    expect((await call(emu, "POST", `${SCIM}/Groups`, { token: emu.scimToken, body: { displayName: "payments" } })).status).toBe(409);
    const found = asObject(
      (await call(emu, "GET", `${SCIM}/Groups?filter=${encodeURIComponent('displayName eq "Data Science"')}`, { token: emu.scimToken })).body,
    );
    expect(asArray(found.Resources).map((g) => g.displayName)).toEqual(["Data Science"]);
    const bare = asObject((await call(emu, "GET", `${SCIM}/Groups?excludedAttributes=members`, { token: emu.scimToken })).body);
    expect(asArray(bare.Resources).every((g) => !("members" in g))).toBe(true);
  });

  it("adds, removes and replaces members and renames in Okta and Azure forms", async () => {
    const emu = demo();
    const group = asObject((await call(emu, "POST", `${SCIM}/Groups`, { token: emu.scimToken, body: { displayName: "Ops" } })).body);
    const url = `${SCIM}/Groups/${String(group.id)}`;
    const patch = (Operations: unknown[]) => call(emu, "PATCH", url, { token: emu.scimToken, body: { schemas: PATCH_SCHEMA, Operations } });
    const members = async () => asArray(asObject((await call(emu, "GET", url, { token: emu.scimToken })).body).members).map((m) => m.value);
    expect((await patch([{ op: "add", path: "members", value: [{ value: "11" }, { value: "12" }] }])).status).toBe(204);
    expect(await members()).toEqual(["11", "12"]);
    expect((await patch([{ op: "remove", path: 'members[value eq "11"]' }])).status).toBe(204);
    expect(await members()).toEqual(["12"]);
    expect((await patch([{ op: "replace", path: "members", value: [{ value: "13" }] }])).status).toBe(204);
    expect(await members()).toEqual(["13"]);
    expect((await patch([{ op: "replace", value: { id: group.id, displayName: "Ops Team" } }])).status).toBe(204);
    expect((await patch([{ op: "replace", path: "displayName", value: "SRE" }])).status).toBe(204);
    expect(emu.state.teams.find((t) => t.id === group.id)).toMatchObject({ name: "SRE", slug: "sre" });
    expect(await patch([{ op: "replace", path: "externalId", value: "x" }])).toMatchObject({
      status: 400,
      body: { detail: "Invalid Replace attr. Only displayName and members supported." },
    });
    expect(await patch([{ op: "add", path: "members", value: [{ value: "99999" }] }])).toMatchObject({ status: 404, body: { detail: "User not found." } });
    expect((await call(emu, "DELETE", url, { token: emu.scimToken })).status).toBe(204);
    expect(await call(emu, "GET", url, { token: emu.scimToken })).toMatchObject({ status: 404, body: { schemas: [ERROR_SCHEMA], detail: "Group not found." } });
  });
});

describe("SCIM rules from Sentry's code (src/sentry/core/endpoints/scim/members.py, teams.py)", () => {
  it("never removes the only owner, by PATCH or DELETE (403, plain body)", async () => {
    const { createEmulator } = await import("../../src/testing/index.js");
    const emu = createEmulator({
      rateLimit: false,
      fixture: {
        org: { slug: "solo" },
        authProvider: { provider: "okta", scimEnabled: true },
        members: [
          { email: "owner@solo.test", orgRole: "owner" },
          { email: "mgr@solo.test", orgRole: "manager" },
        ],
      },
    });
    const owner = emu.state.members.find((m) => m.email === "owner@solo.test")?.id;
    const users = "/api/0/organizations/solo/scim/v2/Users";
    const body = { Operations: [{ op: "replace", path: "active", value: "False" }] };
    expect(await call(emu, "PATCH", `${users}/${owner}`, { token: emu.scimToken, body })).toMatchObject({
      status: 403,
      body: { detail: "You cannot remove the only remaining owner of the organization." },
    });
    expect((await call(emu, "DELETE", `${users}/${owner}`, { token: emu.scimToken })).status).toBe(403);
    expect(emu.state.members.some((m) => m.id === owner)).toBe(true);
  });

  it("requires schemas on group PATCH, marks any patched team IdP-provisioned, and undoes a request that meets an unknown member", async () => {
    const emu = demo();
    const payments = emu.state.teams.find((t) => t.slug === "payments");
    const url = `${SCIM}/Groups/${payments?.id}`;
    const noSchemas = await call(emu, "PATCH", url, { token: emu.scimToken, body: { Operations: [] } });
    expect(noSchemas).toMatchObject({ status: 400, body: { detail: '{"schemas":["This field is required."]}' } });
    expect((await call(emu, "PATCH", url, { token: emu.scimToken, body: { schemas: PATCH_SCHEMA, Operations: [] } })).status).toBe(204);
    expect(emu.state.teams.find((t) => t.slug === "payments")?.idpProvisioned).toBe(true);
    const kai = emu.state.members.find((m) => m.email === "kai.rossi@acme.test")?.id;
    const before = emu.state.auditLog.length;
    const res = await call(emu, "PATCH", url, {
      token: emu.scimToken,
      body: {
        schemas: PATCH_SCHEMA,
        Operations: [
          { op: "remove", path: `members[value eq "${kai}"]` },
          { op: "add", path: "members", value: [{ value: "999999" }] },
        ],
      },
    });
    expect(res).toMatchObject({ status: 404, body: { schemas: [ERROR_SCHEMA], detail: "User not found." } });
    expect(emu.state.members.find((m) => m.id === kai)?.teams.some((t) => t.team === "payments")).toBe(true);
    expect(emu.state.auditLog.length).toBe(before);
  });

  it("accepts Azure's remove form and renames with Django's slugify; a taken slug is a 400 field error", async () => {
    const emu = demo();
    const payments = emu.state.teams.find((t) => t.slug === "payments");
    const url = `${SCIM}/Groups/${payments?.id}`;
    const kai = emu.state.members.find((m) => m.email === "kai.rossi@acme.test")?.id;
    const ops = (Operations: unknown[]) => call(emu, "PATCH", url, { token: emu.scimToken, body: { schemas: PATCH_SCHEMA, Operations } });
    expect((await ops([{ op: "Remove", path: "members", value: [{ value: kai }] }])).status).toBe(204);
    expect(emu.state.members.find((m) => m.id === kai)?.teams.some((t) => t.team === "payments")).toBe(false);
    expect((await ops([{ op: "replace", path: "displayName", value: "Pay_Ments Team" }])).status).toBe(204);
    expect(emu.state.teams.find((t) => t.id === payments?.id)).toMatchObject({ slug: "pay_ments-team", name: "Pay_Ments Team" });
    expect(await ops([{ op: "replace", value: { id: payments?.id, displayName: "Identity" } }])).toMatchObject({
      status: 400,
      body: { slug: ['The slug "identity" is already in use.'] },
    });
    // An unsupported replace path answers 400 but keeps the ops before it (Sentry returns inside the transaction).
    const lena = emu.state.members.find((m) => m.email === "lena.kim@acme.test")?.id;
    expect(
      await ops([
        { op: "add", path: "members", value: [{ value: lena }] },
        { op: "replace", path: "externalId", value: "x" },
      ]),
    ).toMatchObject({ status: 400, body: { detail: "Invalid Replace attr. Only displayName and members supported." } });
    expect(emu.state.members.find((m) => m.id === lena)?.teams.some((t) => t.team === "pay_ments-team")).toBe(true);
  });

  it("honours excludedAttributes=members exactly, validates a single group's query, and refuses all-numeric group names", async () => {
    const emu = demo();
    const payments = emu.state.teams.find((t) => t.slug === "payments");
    const one = asObject((await call(emu, "GET", `${SCIM}/Groups/${payments?.id}?excludedAttributes=members`, { token: emu.scimToken })).body);
    expect(one.members).toBeUndefined();
    // A ListField reads each repeated value whole: "members,displayName" is not "members" (teams.py _team_expand).
    const listed = asObject(
      (await call(emu, "GET", `${SCIM}/Groups?excludedAttributes=${encodeURIComponent("members,displayName")}`, { token: emu.scimToken })).body,
    );
    expect(asArray(listed.Resources).every((g) => Array.isArray(g.members))).toBe(true);
    const twice = asObject((await call(emu, "GET", `${SCIM}/Groups?excludedAttributes=displayName&excludedAttributes=members`, { token: emu.scimToken })).body);
    expect(asArray(twice.Resources).every((g) => !("members" in g))).toBe(true);
    // The single-group GET validates the query string too.
    expect(await call(emu, "GET", `${SCIM}/Groups/${payments?.id}?filter=bogus`, { token: emu.scimToken })).toMatchObject({
      status: 400,
      body: { scimType: "invalidFilter" },
    });
    expect((await call(emu, "POST", `${SCIM}/Groups`, { token: emu.scimToken, body: { displayName: "2024" } })).status).toBe(400);
  });

  it("reads every remove target before changing anything: a bad filter is 400 and a pathless remove 500, with nothing done", async () => {
    const emu = demo();
    const payments = emu.state.teams.find((t) => t.slug === "payments");
    const url = `${SCIM}/Groups/${payments?.id}`;
    const lena = emu.state.members.find((m) => m.email === "lena.kim@acme.test")?.id;
    const before = emu.state.auditLog.length;
    const ops = (Operations: unknown[]) => call(emu, "PATCH", url, { token: emu.scimToken, body: { schemas: PATCH_SCHEMA, Operations } });
    // The unsupported replace path comes first, yet the remove op's bad filter answers (teams.py reads removes first).
    expect(
      await ops([
        { op: "add", path: "members", value: [{ value: lena }] },
        { op: "replace", path: "externalId", value: "x" },
        { op: "remove", path: "members[bogus]" },
      ]),
    ).toMatchObject({ status: 400, body: { scimType: "invalidFilter" } });
    expect((await ops([{ op: "add", path: "members", value: [{ value: lena }] }, { op: "remove" }])).status).toBe(500);
    expect((await ops([{ op: "remove", path: "members", value: [] }])).status).toBe(500);
    expect(emu.state.members.find((m) => m.id === lena)?.teams.some((t) => t.team === "payments")).toBe(false);
    expect(emu.state.teams.find((t) => t.slug === "payments")?.idpProvisioned).toBe(false);
    expect(emu.state.auditLog.length).toBe(before);
  });

  it("omits `active` from users when the provider is Active Directory", async () => {
    const { createEmulator } = await import("../../src/testing/index.js");
    const emu = createEmulator({
      rateLimit: false,
      fixture: {
        org: { slug: "az" },
        authProvider: { provider: "active-directory", scimEnabled: true },
        members: [{ email: "owner@az.test", orgRole: "owner" }],
      },
    });
    const list = asObject((await call(emu, "GET", "/api/0/organizations/az/scim/v2/Users", { token: emu.scimToken })).body);
    expect(asArray(list.Resources)[0]).not.toHaveProperty("active");
  });
});

// src/sentry/core/endpoints/scim/members.py `put`; tests/sentry/core/endpoints/scim/test_scim_user_details.py
// `SCIMMemberRoleUpdateTests` (unrestricted/restricted × default/custom role members).
describe("SCIM user PUT (sentryOrgRole)", () => {
  async function roles() {
    const { createEmulator } = await import("../../src/testing/index.js");
    const emu = createEmulator({
      rateLimit: false,
      fixture: {
        org: { slug: "idp" },
        authProvider: { provider: "okta", scimEnabled: true },
        members: [
          { email: "owner@idp.test", orgRole: "owner" },
          { email: "free-default@idp.test", orgRole: "member" },
          { email: "free-custom@idp.test", orgRole: "manager" },
          { email: "locked-default@idp.test", orgRole: "member", flags: { "idp:role-restricted": true } },
          { email: "locked-custom@idp.test", orgRole: "manager", flags: { "idp:role-restricted": true } },
          { email: "partner@idp.test", orgRole: "manager", flags: { "partnership:restricted": true } },
        ],
      },
    });
    const id = (email: string) => emu.state.members.find((m) => m.email === email)?.id;
    const state = (email: string) => emu.state.members.find((m) => m.email === email);
    const put = (email: string, body: unknown) => call(emu, "PUT", `/api/0/organizations/idp/scim/v2/Users/${id(email)}`, { token: emu.scimToken, body });
    return { emu, put, state };
  }

  it("sets and locks a role (case-insensitive), and leaves an already locked equal role alone", async () => {
    const { emu, put, state } = await roles();
    const before = emu.state.auditLog.length;
    for (const email of ["free-default@idp.test", "free-custom@idp.test", "locked-default@idp.test", "locked-custom@idp.test"]) {
      expect(await put(email, { userName: email, sentryOrgRole: "Admin" }), email).toMatchObject({ status: 200, body: { sentryOrgRole: "admin" } });
      expect(state(email), email).toMatchObject({ orgRole: "admin", flags: { "idp:role-restricted": true, "idp:provisioned": true } });
    }
    // test_set_to_same_custom_role: an unlocked member given its own role becomes locked.
    const { put: put2, state: state2 } = await roles();
    expect((await put2("free-custom@idp.test", { sentryOrgRole: "manager" })).status).toBe(200);
    expect(state2("free-custom@idp.test")?.flags["idp:role-restricted"]).toBe(true);
    // Locked and equal: answered as is, the member is not even marked provisioned.
    expect((await put2("locked-custom@idp.test", { sentryOrgRole: "MANAGER" })).status).toBe(200);
    expect(state2("locked-custom@idp.test")?.flags["idp:provisioned"]).toBe(false);
    // No audit entry for any of it (members.py writes none on PUT).
    expect(emu.state.auditLog.length).toBe(before);
  });

  it("releases a locked role to the default on a blank role and leaves unlocked members alone (test_set_to_blank)", async () => {
    const { put, state } = await roles();
    expect(await put("locked-custom@idp.test", { sentryOrgRole: "" })).toMatchObject({ status: 200, body: { sentryOrgRole: "member" } });
    expect(state("locked-custom@idp.test")).toMatchObject({ orgRole: "member", flags: { "idp:role-restricted": false, "idp:provisioned": true } });
    expect(await put("free-custom@idp.test", {})).toMatchObject({ status: 200, body: { sentryOrgRole: "manager" } });
    expect(state("free-custom@idp.test")).toMatchObject({ orgRole: "manager", flags: { "idp:role-restricted": false, "idp:provisioned": false } });
    expect((await put("free-default@idp.test", { sentryOrgRole: null })).status).toBe(200);
    expect(state("free-default@idp.test")).toMatchObject({ orgRole: "member", flags: { "idp:provisioned": true } });
  });

  it("never changes an owner (200, lock cleared), refuses org:admin and unknown roles (400) and partnership members (403)", async () => {
    const { put, state } = await roles();
    expect(await put("owner@idp.test", { sentryOrgRole: "member" })).toMatchObject({ status: 200, body: { sentryOrgRole: "owner" } });
    expect(state("owner@idp.test")).toMatchObject({ orgRole: "owner", flags: { "idp:role-restricted": false, "idp:provisioned": true } });
    for (const role of ["owner", "nonexistant"]) {
      expect(await put("locked-default@idp.test", { sentryOrgRole: role }), role).toMatchObject({
        status: 400,
        body: { schemas: [ERROR_SCHEMA], detail: "Invalid organization role." },
      });
    }
    expect(state("locked-default@idp.test")?.orgRole).toBe("member");
    expect(await put("partner@idp.test", { sentryOrgRole: "member" })).toMatchObject({ status: 403, body: { detail: expect.stringContaining("partnership") } });
  });

  it("needs member:write like PATCH (scim/utils.py scope_map) and answers a SCIM 404 for an unknown member", async () => {
    const { emu, put } = await roles();
    const url = `/api/0/organizations/idp/scim/v2/Users/${emu.state.members.find((m) => m.email === "free-default@idp.test")?.id}`;
    const reader = emu.issueToken({ kind: "integration", scopes: ["member:read"] });
    expect((await call(emu, "PUT", url, { token: reader, body: { sentryOrgRole: "admin" } })).status).toBe(403);
    const writer = emu.issueToken({ kind: "integration", scopes: ["member:write"] });
    expect((await call(emu, "PUT", url, { token: writer, body: { sentryOrgRole: "admin" } })).status).toBe(200);
    expect((await put("free-default@idp.test", [])).status).toBe(500);
    expect(await call(emu, "PUT", "/api/0/organizations/idp/scim/v2/Users/999999", { token: emu.scimToken, body: { sentryOrgRole: "member" } })).toMatchObject({
      status: 404,
      body: { schemas: [ERROR_SCHEMA], detail: "The requested resource does not exist" },
    });
  });
});

// tests/sentry/core/endpoints/scim/test_scim_team_index.py and test_scim_team_details.py.
describe("SCIM groups as Sentry's group tests assert them", () => {
  it("filters case-insensitively through slugify, lists members, and answers 409/400 on POST like the team index", async () => {
    const emu = demo();
    const created = await call(emu, "POST", `${SCIM}/Groups`, {
      token: emu.scimToken,
      body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Name WithASpace", members: [] },
    });
    expect(created).toMatchObject({ status: 201, body: { displayName: "Name WithASpace", members: [], meta: { resourceType: "Group" } } });
    expect(emu.state.teams.find((t) => t.slug === "name-withaspace")?.idpProvisioned).toBe(true);
    const found = asObject(
      (
        await call(emu, "GET", `${SCIM}/Groups?startIndex=1&count=100&filter=${encodeURIComponent('displayName eq "NAME WITHASPACE"')}`, {
          token: emu.scimToken,
        })
      ).body,
    );
    expect(found).toMatchObject({ totalResults: 1, itemsPerPage: 1, Resources: [{ id: asObject(created.body).id, displayName: "Name WithASpace" }] });
    expect(await call(emu, "POST", `${SCIM}/Groups`, { token: emu.scimToken, body: { displayName: "Name WithASpace" } })).toMatchObject({
      status: 409,
      body: { detail: "A team with this slug already exists." },
    });
    expect(await call(emu, "POST", `${SCIM}/Groups`, { token: emu.scimToken, body: { displayName: "1234" } })).toMatchObject({
      status: 400,
      body: {
        slug: ["Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric."],
      },
    });
    expect(
      await call(emu, "GET", `${SCIM}/Groups?startIndex=1&count=1&filter=${encodeURIComponent("bad filter eq 23")}`, { token: emu.scimToken }),
    ).toMatchObject({ status: 400, body: { schemas: [ERROR_SCHEMA], scimType: "invalidFilter" } });
    expect((await call(emu, "GET", `${SCIM}/Groups?startIndex=0`, { token: emu.scimToken })).status).toBe(400);
  });

  it("refuses PUT on a group with 403 (the permission class maps no scope to PUT), not 405", async () => {
    const emu = demo();
    const payments = emu.state.teams.find((t) => t.slug === "payments");
    expect(await call(emu, "PUT", `${SCIM}/Groups/${payments?.id}`, { token: emu.scimToken, body: {} })).toMatchObject({
      status: 403,
      body: { detail: "You do not have permission to perform this action." },
    });
    expect((await call(emu, "PUT", `${SCIM}/Groups/${payments?.id}`, { token: null })).status).toBe(401);
    // Methods the endpoint does not define stay 405, and their Allow header lists PUT with the others.
    const post = await call(emu, "POST", `${SCIM}/Groups/${payments?.id}`, { token: emu.scimToken, body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "PATCH", "PUT"]);
  });

  it("answers the group tests' errors: 404 Group not found on every method, invalid op text, too many ops", async () => {
    const emu = demo();
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const body = method === "PATCH" ? { schemas: PATCH_SCHEMA, Operations: [] } : undefined;
      expect(await call(emu, method, `${SCIM}/Groups/32340`, { token: emu.scimToken, body }), method).toMatchObject({
        status: 404,
        body: { schemas: [ERROR_SCHEMA], detail: "Group not found." },
      });
    }
    const payments = emu.state.teams.find((t) => t.slug === "payments");
    const url = `${SCIM}/Groups/${payments?.id}`;
    const invalid = await call(emu, "PATCH", url, {
      token: emu.scimToken,
      body: { schemas: PATCH_SCHEMA, Operations: [{ op: "invalid", value: { displayName: "x" } }] },
    });
    expect(invalid.status).toBe(400);
    expect(String(asObject(invalid.body).detail)).toContain("invalid");
    expect(
      await call(emu, "PATCH", url, {
        token: emu.scimToken,
        body: { schemas: PATCH_SCHEMA, Operations: Array.from({ length: 101 }, () => ({ op: "replace" })) },
      }),
    ).toMatchObject({ status: 400, body: { schemas: [ERROR_SCHEMA], detail: "Too many patch ops sent, limit is 100." } });
  });
});
