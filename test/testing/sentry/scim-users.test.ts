/**
 * tests/sentry/core/endpoints/scim/test_scim_user_index.py and test_scim_user_details.py, on the emulator
 * (src/sentry/core/endpoints/scim/members.py, scim/utils.py).
 */
import { describe, expect, it } from "vitest";
import type { Emulator, FixtureMember } from "../../../src/testing/index.js";
import { asArray, asObject, call, memberId, ORG, OWNER, sentryOrg } from "./helpers.js";

const USERS = `${ORG}/scim/v2/Users`;
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"];
const EMAIL = "test.user@okta.local";

function scimOrg(members: FixtureMember[] = [], provider = "dummy"): Emulator {
  return sentryOrg({ authProvider: { provider, scimEnabled: true }, members });
}
const scim = (emu: Emulator, method: string, path: string, body?: unknown) => call(emu, method, path, { token: emu.scimToken, body });
const filter = (value: string) => `filter=${encodeURIComponent(value)}`;
const postData = (extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName: EMAIL,
  name: { givenName: "Test", familyName: "User" },
  emails: [{ primary: true, value: EMAIL, type: "work" }],
  active: true,
  ...extra,
});
/** A SCIM user body; `azure` drops `active` (Active Directory providers). */
const scimUser = (id: string, userName: string, role = "member", azure = false) => ({
  schemas: [USER],
  id,
  userName,
  emails: [{ primary: true, value: userName, type: "work" }],
  name: { familyName: "N/A", givenName: "N/A" },
  ...(azure ? {} : { active: true }),
  meta: { resourceType: "User" },
  sentryOrgRole: role,
});
const listOf = (resources: unknown[]) => ({
  schemas: [LIST],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});
const member = (emu: Emulator, email: string) => emu.state.members.find((m) => m.email === email);

describe("test_scim_user_index.py", () => {
  it("SCIMMemberIndexTests.test_get_users_index_empty", async () => {
    const emu = scimOrg();
    const answer = await scim(emu, "GET", `${USERS}?startIndex=1&count=100&${filter(`userName eq "${EMAIL}"`)}`);
    expect(answer).toMatchObject({ status: 200 });
    expect(answer.body).toEqual(listOf([]));
  });

  it("SCIMMemberIndexTests.test_post_users_successful", async () => {
    const emu = scimOrg();
    const answer = await scim(emu, "POST", USERS, postData());
    expect(answer.status).toBe(201);
    const created = member(emu, EMAIL);
    expect(answer.body).toEqual(scimUser(String(created?.id), EMAIL));
    expect(created).toMatchObject({ orgRole: "member", flags: { "idp:provisioned": true, "idp:role-restricted": false } });
    expect(emu.state.auditLog.some((e) => e.event === "member.invite" && String(e.targetObject) === created?.id)).toBe(true);
  });

  it("SCIMMemberIndexTests.test_update_role_metric_called_when_role_specified (the role part; metrics are not modelled)", async () => {
    const emu = scimOrg();
    const answer = await scim(emu, "POST", USERS, postData({ sentryOrgRole: "member" }));
    expect(answer.body).toEqual(scimUser(String(member(emu, EMAIL)?.id), EMAIL, "member"));
    expect(member(emu, EMAIL)?.flags).toMatchObject({ "idp:provisioned": true, "idp:role-restricted": true });
  });

  it("SCIMMemberIndexTests.test_post_users_already_exists", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    const answer = await scim(emu, "POST", USERS, postData());
    expect(answer).toMatchObject({ status: 409 });
    expect(answer.body).toEqual({ schemas: [ERROR], detail: "User already exists in the database." });
    expect(member(emu, EMAIL)?.flags).toMatchObject({ "idp:provisioned": false, "idp:role-restricted": false });
  });

  it("SCIMMemberIndexTests.test_post_users_with_role_valid", async () => {
    for (const [sent, role, restricted] of [
      ["manager", "manager", true],
      ["mAnaGer", "manager", true],
      ["", "member", false],
      [undefined, "member", false],
    ] as const) {
      const emu = scimOrg();
      const answer = await scim(emu, "POST", USERS, postData(sent === undefined ? {} : { sentryOrgRole: sent }));
      expect(answer.status, String(sent)).toBe(201);
      expect(answer.body).toEqual(scimUser(String(member(emu, EMAIL)?.id), EMAIL, role));
      expect(member(emu, EMAIL)).toMatchObject({ orgRole: role, flags: { "idp:provisioned": true, "idp:role-restricted": restricted } });
    }
  });

  it("SCIMMemberIndexTests.test_post_users_with_role_invalid", async () => {
    const emu = scimOrg();
    for (const role of ["nonexistant", "owner"]) {
      const answer = await scim(emu, "POST", USERS, postData({ sentryOrgRole: role }));
      expect(answer).toMatchObject({ status: 400 });
      expect(answer.body).toEqual({ schemas: [ERROR], detail: "Invalid organization role." });
    }
  });

  it("SCIMMemberIndexTests.test_get_members_with_filter__invited", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", pending: true, daysAgo: 1 }]);
    const answer = await scim(emu, "GET", `${USERS}?startIndex=1&count=100&${filter(`userName eq "${EMAIL}"`)}`);
    expect(answer.body).toEqual(listOf([scimUser(memberId(emu, EMAIL), EMAIL)]));
  });

  it("SCIMMemberIndexTests.test_get_members_no_filter__invited", async () => {
    // ORDER BY email, id: a pending invite's email comes first, members with accounts (email NULL) after.
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", pending: true, daysAgo: 1 }]);
    const answer = await scim(emu, "GET", `${USERS}?startIndex=1&count=100`);
    expect(answer.body).toEqual(listOf([scimUser(memberId(emu, EMAIL), EMAIL), scimUser(memberId(emu, OWNER), OWNER, "owner")]));
  });

  it("SCIMMemberIndexTests.test_get_members_no_filter__approved", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    const answer = await scim(emu, "GET", `${USERS}?startIndex=1&count=100`);
    expect(answer.body).toEqual(listOf([scimUser(memberId(emu, OWNER), OWNER, "owner"), scimUser(memberId(emu, EMAIL), EMAIL)]));
  });

  it("SCIMMemberIndexTests.test_get_members_with_filter__approved", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    const answer = await scim(emu, "GET", `${USERS}?startIndex=1&count=100&${filter(`userName eq "${EMAIL}"`)}`);
    expect(answer.body).toEqual(listOf([scimUser(memberId(emu, EMAIL), EMAIL)]));
  });

  it("SCIMMemberIndexTests.test_users_get_filter_case_insensitive", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", pending: true, daysAgo: 1 }]);
    const answer = await scim(emu, "GET", `${USERS}?startIndex=1&count=100&${filter('userName eq "TEST.USER@okta.local"')}`);
    expect(answer.body).toEqual(listOf([scimUser(memberId(emu, EMAIL), EMAIL)]));
  });

  it("SCIMMemberIndexTests.test_pagination", async () => {
    const emu = scimOrg(Array.from({ length: 15 }, (_, i) => ({ email: `user${i}@okta.local`, orgRole: "member" as const })));
    const first = asObject((await scim(emu, "GET", `${USERS}?startIndex=1&count=10`)).body);
    expect(first).toMatchObject({ totalResults: 16, itemsPerPage: 10, startIndex: 1 });
    expect(asArray(first.Resources)).toHaveLength(10);
    const second = asObject((await scim(emu, "GET", `${USERS}?startIndex=10&count=10`)).body);
    expect(second).toMatchObject({ totalResults: 16, itemsPerPage: 7, startIndex: 10 });
    expect(asArray(second.Resources)).toHaveLength(7);
  });

  it("SCIMMemberIndexAzureTests.test_user_index_get_no_active", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", pending: true, daysAgo: 1 }], "active-directory");
    const answer = await scim(emu, "GET", `${USERS}?startIndex=1&count=100&${filter(`userName eq "${EMAIL}"`)}`);
    expect(answer.body).toEqual(listOf([scimUser(memberId(emu, EMAIL), EMAIL, "member", true)]));
  });

  it("SCIMQueryParameterSerializerTest.test_defaults", async () => {
    const emu = scimOrg(Array.from({ length: 120 }, (_, i) => ({ email: `user${i}@okta.local`, orgRole: "member" as const })));
    expect(asObject((await scim(emu, "GET", USERS)).body)).toMatchObject({ startIndex: 1, itemsPerPage: 100, totalResults: 121 });
  });

  it("SCIMQueryParameterSerializerTest.test_start_index", async () => {
    const emu = scimOrg();
    expect((await scim(emu, "GET", `${USERS}?startIndex=0`)).status).toBe(400);
    expect((await scim(emu, "GET", `${USERS}?startIndex=1`)).status).toBe(200);
  });

  it("SCIMQueryParameterSerializerTest.test_count", async () => {
    const emu = scimOrg();
    expect((await scim(emu, "GET", `${USERS}?count=-1`)).status).toBe(400);
    expect((await scim(emu, "GET", `${USERS}?count=0`)).status).toBe(200);
  });

  it("SCIMQueryParameterSerializerTest.test_filter", async () => {
    const emu = scimOrg();
    expect(await scim(emu, "GET", `${USERS}?${filter("aoiwefjoi3j9f")}`)).toMatchObject({ status: 400, body: { schemas: [ERROR], scimType: "invalidFilter" } });
  });

  it("SCIMQueryParameterSerializerTest.test_excluded_attributes", async () => {
    const emu = scimOrg();
    expect((await scim(emu, "GET", `${USERS}?excludedAttributes=members`)).status).toBe(200);
  });
});

describe("test_scim_user_details.py", () => {
  it("SCIMMemberTestsPermissions.test_cant_use_scim", async () => {
    const emu = sentryOrg();
    expect((await call(emu, "GET", USERS)).status).toBe(403);
  });

  it("SCIMMemberTestsPermissions.test_cant_use_scim_even_with_authprovider", async () => {
    const emu = sentryOrg({ authProvider: { provider: "dummy", scimEnabled: false } });
    expect((await call(emu, "GET", USERS)).status).toBe(403);
  });

  /** SCIMMemberRoleUpdateTests.setUp: unrestricted and restricted members with the default and a custom role. */
  function roleSetup(extra: FixtureMember[] = []): Emulator {
    return scimOrg([
      { email: "unrestricted-default@x.test", orgRole: "member" },
      { email: "unrestricted-custom@x.test", orgRole: "manager" },
      { email: "restricted-default@x.test", orgRole: "member", flags: { "idp:role-restricted": true } },
      { email: "restricted-custom@x.test", orgRole: "manager", flags: { "idp:role-restricted": true } },
      ...extra,
    ]);
  }
  const putRole = (emu: Emulator, email: string, role: string) =>
    scim(emu, "PUT", `${USERS}/${memberId(emu, email)}`, { ...postData(), userName: email, sentryOrgRole: role });
  const EVERYONE = ["unrestricted-default@x.test", "unrestricted-custom@x.test", "restricted-default@x.test", "restricted-custom@x.test"];

  it("SCIMMemberRoleUpdateTests.test_owner", async () => {
    const emu = roleSetup([{ email: "owner2@x.test", orgRole: "owner" }]);
    expect((await putRole(emu, "owner2@x.test", "member")).status).toBe(200);
    expect(member(emu, "owner2@x.test")).toMatchObject({ orgRole: "owner", flags: { "idp:provisioned": true } });
  });

  it("SCIMMemberRoleUpdateTests.test_owner_blank_role", async () => {
    const emu = roleSetup([{ email: "owner2@x.test", orgRole: "owner", flags: { "idp:role-restricted": true } }]);
    expect((await putRole(emu, "owner2@x.test", "")).status).toBe(200);
    expect(member(emu, "owner2@x.test")).toMatchObject({ orgRole: "owner", flags: { "idp:provisioned": true, "idp:role-restricted": false } });
  });

  it("SCIMMemberRoleUpdateTests.test_invalid_role", async () => {
    const emu = roleSetup();
    for (const email of EVERYONE) {
      for (const role of ["nonexistant", "owner"]) expect((await putRole(emu, email, role)).status, `${email} ${role}`).toBe(400);
    }
  });

  it("SCIMMemberRoleUpdateTests.test_set_to_blank", async () => {
    const emu = roleSetup();
    const expected: Record<string, string> = {
      "unrestricted-default@x.test": "member",
      "unrestricted-custom@x.test": "manager",
      "restricted-default@x.test": "member",
      "restricted-custom@x.test": "member",
    };
    for (const email of EVERYONE) {
      const answer = await putRole(emu, email, "");
      expect(asObject(answer.body).sentryOrgRole, email).toBe(expected[email]);
      expect(member(emu, email)).toMatchObject({ orgRole: expected[email], flags: { "idp:role-restricted": false } });
    }
  });

  for (const [name, role] of [
    ["test_set_to_default", "member"],
    ["test_set_to_new_role", "admin"],
  ] as const) {
    it(`SCIMMemberRoleUpdateTests.${name}`, async () => {
      const emu = roleSetup();
      for (const email of EVERYONE) {
        expect(asObject((await putRole(emu, email, role)).body).sentryOrgRole, email).toBe(role);
        expect(member(emu, email)).toMatchObject({ orgRole: role, flags: { "idp:role-restricted": true } });
      }
    });
  }

  it("SCIMMemberRoleUpdateTests.test_set_to_same_custom_role", async () => {
    const emu = roleSetup();
    expect(asObject((await putRole(emu, "unrestricted-custom@x.test", "manager")).body).sentryOrgRole).toBe("manager");
    expect(member(emu, "unrestricted-custom@x.test")).toMatchObject({ orgRole: "manager", flags: { "idp:role-restricted": true } });
  });

  it("SCIMMemberRoleUpdateTests.test_cannot_set_partnership_member_role", async () => {
    const emu = roleSetup([{ email: "partner@x.test", orgRole: "manager", flags: { "partnership:restricted": true } }]);
    expect((await putRole(emu, "partner@x.test", "member")).status).toBe(403);
  });

  it("SCIMMemberDetailsTests.test_user_details_get", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", pending: true, daysAgo: 1 }]);
    const answer = await scim(emu, "GET", `${USERS}/${memberId(emu, EMAIL)}`);
    expect(answer).toMatchObject({ status: 200 });
    expect(answer.body).toEqual(scimUser(memberId(emu, EMAIL), EMAIL));
  });

  const deactivations: Array<[string, unknown[]]> = [
    ["test_user_details_set_inactive", [{ op: "Replace", path: "active", value: false }]],
    ["test_user_details_set_inactive_dict", [{ op: "Replace", value: { active: false } }]],
    ["test_user_details_set_inactive_with_bool_string", [{ op: "Replace", path: "active", value: "False" }]],
    ["test_user_details_set_inactive_with_dict_bool_string", [{ op: "Replace", value: { id: "xxxx", active: "False" } }]],
  ];
  for (const [name, operations] of deactivations) {
    it(`SCIMMemberDetailsTests.${name} (the membership; auth identities are not modelled)`, async () => {
      const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
      const answer = await scim(emu, "PATCH", `${USERS}/${memberId(emu, EMAIL)}`, { schemas: PATCH, Operations: operations });
      expect(answer.status).toBe(204);
      expect(member(emu, EMAIL)).toBeUndefined();
    });
  }

  it("SCIMMemberDetailsTests.test_user_details_cannot_set_partnership_member_inactive", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", flags: { "partnership:restricted": true } }]);
    const answer = await scim(emu, "PATCH", `${USERS}/${memberId(emu, EMAIL)}`, {
      schemas: PATCH,
      Operations: [{ op: "Replace", path: "active", value: false }],
    });
    expect(answer.status).toBe(403);
    expect(member(emu, EMAIL)).toBeDefined();
  });

  it("SCIMMemberDetailsTests.test_invalid_patch_op", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    expect(
      (await scim(emu, "PATCH", `${USERS}/${memberId(emu, EMAIL)}`, { schemas: PATCH, Operations: [{ op: "invalid", value: { active: false } }] })).status,
    ).toBe(400);
  });

  it("SCIMMemberDetailsTests.test_invalid_patch_op_value", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    expect(
      (await scim(emu, "PATCH", `${USERS}/${memberId(emu, EMAIL)}`, { schemas: PATCH, Operations: [{ op: "REPLACE", value: { active: "invalid" } }] })).status,
    ).toBe(400);
    expect(member(emu, EMAIL)).toBeDefined();
  });

  it("SCIMMemberDetailsTests.test_user_details_get_404", async () => {
    expect((await scim(scimOrg(), "GET", `${USERS}/99999999`)).status).toBe(404);
  });

  it("SCIMMemberDetailsTests.test_user_details_patch_404", async () => {
    expect((await scim(scimOrg(), "PATCH", `${USERS}/99999999`, { schemas: PATCH, Operations: [{ op: "replace", value: { active: false } }] })).status).toBe(
      404,
    );
  });

  it("SCIMMemberDetailsTests.test_delete_route (the membership; auth identities are not modelled)", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    expect((await scim(emu, "DELETE", `${USERS}/${memberId(emu, EMAIL)}`)).status).toBe(204);
    expect(member(emu, EMAIL)).toBeUndefined();
  });

  it("SCIMMemberDetailsTests.test_cannot_delete_partnership_member", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", flags: { "partnership:restricted": true } }]);
    expect((await scim(emu, "DELETE", `${USERS}/${memberId(emu, EMAIL)}`)).status).toBe(403);
  });

  it("SCIMMemberDetailsTests.test_patch_inactive_alternate_schema", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    expect((await scim(emu, "PATCH", `${USERS}/${memberId(emu, EMAIL)}`, { Operations: [{ op: "replace", path: "active", value: false }] })).status).toBe(204);
    expect(member(emu, EMAIL)).toBeUndefined();
  });

  it("SCIMMemberDetailsTests.test_patch_bad_schema", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    for (const op of [
      { op: "replace", path: "blahblahbbalh", value: false },
      { op: "replace", value: false },
    ]) {
      const answer = await scim(emu, "PATCH", `${USERS}/${memberId(emu, EMAIL)}`, { Operations: [op] });
      expect(answer).toMatchObject({ status: 400 });
      expect(answer.body).toEqual({ schemas: [ERROR], detail: "Invalid Patch Operation." });
    }
  });

  it("SCIMMemberDetailsTests.test_member_detail_patch_too_many_ops", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    const answer = await scim(emu, "PATCH", `${USERS}/${memberId(emu, EMAIL)}`, {
      schemas: PATCH,
      Operations: Array(101).fill({ op: "replace", path: "active", value: false }),
    });
    expect(answer.body).toEqual({ schemas: [ERROR], detail: '{"Operations":["Ensure this field has no more than 100 elements."]}' });
    expect(answer.status).toBe(400);
  });

  it("SCIMMemberDetailsTests.test_overflow_cases", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member" }]);
    const id = "010101001010101011001010101011";
    expect((await scim(emu, "GET", `${USERS}/${id}`)).status).toBe(404);
    expect((await scim(emu, "PATCH", `${USERS}/${id}`, {})).status).toBe(404);
    expect((await scim(emu, "DELETE", `${USERS}/${id}`)).status).toBe(404);
  });

  it("SCIMMemberDetailsTests.test_cant_delete_only_owner_route", async () => {
    const emu = scimOrg();
    expect((await scim(emu, "DELETE", `${USERS}/${memberId(emu, OWNER)}`)).status).toBe(403);
  });

  it("SCIMMemberDetailsTests.test_cant_delete_only_owner_route_patch", async () => {
    const emu = scimOrg();
    expect(
      (await scim(emu, "PATCH", `${USERS}/${memberId(emu, OWNER)}`, { schemas: PATCH, Operations: [{ op: "replace", value: { active: false } }] })).status,
    ).toBe(403);
  });

  it("SCIMMemberDetailsAzureTests.test_user_details_get_no_active", async () => {
    const emu = scimOrg([{ email: EMAIL, orgRole: "member", pending: true, daysAgo: 1 }], "active-directory");
    expect((await scim(emu, "GET", `${USERS}/${memberId(emu, EMAIL)}`)).body).toEqual(scimUser(memberId(emu, EMAIL), EMAIL, "member", true));
  });

  it("SCIMUtilsTests.test_parse_filter_conditions_basic", async () => {
    const emu = scimOrg([{ email: "user@sentry.io", orgRole: "member" }]);
    const total = async (f: string) => asObject((await scim(emu, "GET", `${USERS}?${filter(f)}`)).body).totalResults;
    expect(await total('userName eq "user@sentry.io"')).toBe(1);
    expect(await total("userName eq 'user@sentry.io'")).toBe(1);
    // A `value` key is parsed with int(): "23" is accepted (and, as an integer, matches no email), "abc" is a 500.
    expect((await scim(emu, "GET", `${USERS}?${filter('value eq "23"')}`)).status).toBe(200);
    expect((await scim(emu, "GET", `${USERS}?${filter('value eq "abc"')}`)).status).toBe(500);
    expect((await scim(emu, "GET", `${ORG}/scim/v2/Groups?${filter('displayName eq "MyTeamName"')}`)).status).toBe(200);
  });

  it("SCIMUtilsTests.test_parse_filter_conditions_invalids", async () => {
    const emu = scimOrg();
    for (const f of ["userName invalid USER@sentry.io", "blablaba eq USER@sentry.io"]) {
      expect(await scim(emu, "GET", `${USERS}?${filter(f)}`)).toMatchObject({ status: 400, body: { scimType: "invalidFilter" } });
    }
  });

  it("SCIMUtilsTests.test_parse_filter_conditions_single_quote_in_email", async () => {
    const emu = scimOrg([{ email: "jos'h@sentry.io", orgRole: "member" }]);
    expect(asObject((await scim(emu, "GET", `${USERS}?${filter('userName eq "jos\'h@sentry.io"')}`)).body).totalResults).toBe(1);
  });
});
