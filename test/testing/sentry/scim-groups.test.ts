/**
 * tests/sentry/core/endpoints/scim/test_scim_team_index.py and test_scim_team_details.py, on the emulator
 * (src/sentry/core/endpoints/scim/teams.py).
 */
import { describe, expect, it } from "vitest";
import type { Emulator, FixtureMember } from "../../../src/testing/index.js";
import { asObject, call, memberId, ORG, OWNER, sentryOrg, teamIdOf } from "./helpers.js";

const GROUPS = `${ORG}/scim/v2/Groups`;
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"];

function scimOrg(teams: Array<{ slug: string; name?: string; idpProvisioned?: boolean }> = [], members: FixtureMember[] = []): Emulator {
  return sentryOrg({ authProvider: { provider: "dummy", scimEnabled: true }, teams, members });
}
const scim = (emu: Emulator, method: string, path: string, body?: unknown) => call(emu, method, path, { token: emu.scimToken, body });
const filter = (value: string) => `filter=${encodeURIComponent(value)}`;
const listOf = (resources: unknown[]) => ({
  schemas: [LIST],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});
const group = (id: string, displayName: string, members?: Array<{ value: string; display: string }>) => ({
  schemas: [GROUP],
  id,
  displayName,
  ...(members ? { members } : {}),
  meta: { resourceType: "Group" },
});
const teamOf = (emu: Emulator, id: string) => emu.state.teams.find((t) => t.id === id);
const onTeam = (emu: Emulator, email: string, slug: string) => emu.state.members.find((m) => m.email === email)?.teams.some((t) => t.team === slug) ?? false;

describe("test_scim_team_index.py", () => {
  it("SCIMIndexListTest.test_group_index_empty", async () => {
    const emu = scimOrg();
    expect((await scim(emu, "GET", `${GROUPS}?startIndex=1&count=100`)).body).toEqual(listOf([]));
  });

  it("SCIMIndexListTest.test_scim_team_index_populated", async () => {
    const emu = scimOrg([{ slug: "team", name: "Team" }]);
    expect((await scim(emu, "GET", GROUPS)).body).toEqual(listOf([group(teamIdOf(emu, "team"), "Team", [])]));
  });

  it("SCIMIndexListTest.test_scim_team_index_basic", async () => {
    const emu = scimOrg(
      [{ slug: "team", name: "Team" }],
      [
        { email: "one@x.test", orgRole: "member", teams: [{ team: "team" }] },
        { email: "two@x.test", orgRole: "member", teams: [{ team: "team" }] },
      ],
    );
    expect((await scim(emu, "GET", `${GROUPS}?startIndex=1&count=100`)).body).toEqual(
      listOf([
        group(teamIdOf(emu, "team"), "Team", [
          { display: "one@x.test", value: memberId(emu, "one@x.test") },
          { display: "two@x.test", value: memberId(emu, "two@x.test") },
        ]),
      ]),
    );
  });

  it("SCIMIndexListTest.test_team_filter", async () => {
    const emu = scimOrg([{ slug: "team", name: "team" }]);
    // self.team has self.user on it in Sentry's fixture: add the owner through the API first.
    expect((await call(emu, "POST", `${ORG}/members/${memberId(emu, OWNER)}/teams/team/`)).status).toBe(201);
    const answer = await scim(emu, "GET", `${GROUPS}?startIndex=1&count=100&${filter('displayName eq "team"')}`);
    expect(answer.body).toEqual(listOf([group(teamIdOf(emu, "team"), "team", [{ value: memberId(emu, OWNER), display: OWNER }])]));
  });

  it("SCIMIndexListTest.test_team_filter_with_space", async () => {
    const emu = scimOrg([{ slug: "name-withaspace", name: "Name WithASpace" }]);
    const answer = await scim(emu, "GET", `${GROUPS}?startIndex=1&count=100&${filter('displayName eq "Name WithASpace"')}`);
    expect(answer.body).toEqual(listOf([group(teamIdOf(emu, "name-withaspace"), "Name WithASpace", [])]));
  });

  it("SCIMIndexListTest.test_team_filter_case_insensitive", async () => {
    const emu = scimOrg([{ slug: "name-withaspace", name: "Name WithASpace" }]);
    const answer = await scim(emu, "GET", `${GROUPS}?startIndex=1&count=100&${filter('displayName eq "NAME WITHASPACE"')}`);
    expect(answer.body).toEqual(listOf([group(teamIdOf(emu, "name-withaspace"), "Name WithASpace", [])]));
  });

  it("SCIMIndexListTest.test_team_exclude_members_param", async () => {
    const emu = scimOrg([{ slug: "team", name: "team" }], [{ email: "one@x.test", orgRole: "member", teams: [{ team: "team" }] }]);
    const answer = await scim(emu, "GET", `${GROUPS}?startIndex=1&count=100&${filter('displayName eq "team"')}&excludedAttributes=members`);
    expect(answer.body).toEqual(listOf([group(teamIdOf(emu, "team"), "team")]));
  });

  it("SCIMIndexListTest.test_scim_invalid_filter", async () => {
    const emu = scimOrg();
    const answer = await scim(emu, "GET", `${GROUPS}?startIndex=1&count=1&${filter("bad filter eq 23")}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ schemas: [ERROR], scimType: "invalidFilter" });
  });

  it("SCIMIndexListTest.test_scim_invalid_startIndex", async () => {
    expect((await scim(scimOrg(), "GET", `${GROUPS}?startIndex=0`)).status).toBe(400);
  });

  it("SCIMIndexCreateTest.test_scim_team_index_create (metrics are not modelled)", async () => {
    const emu = scimOrg();
    const answer = await scim(emu, "POST", GROUPS, { schemas: [GROUP], displayName: "Test SCIMv2", members: [] });
    expect(answer.status).toBe(201);
    const id = String(asObject(answer.body).id);
    expect(answer.body).toEqual(group(id, "Test SCIMv2", []));
    expect(teamOf(emu, id)).toMatchObject({ slug: "test-scimv2", name: "Test SCIMv2", idpProvisioned: true });
    expect(emu.state.members.some((m) => m.teams.some((t) => t.team === "test-scimv2"))).toBe(false);
  });

  it("SCIMIndexCreateTest.test_scim_team_no_duplicate_names", async () => {
    const emu = scimOrg([{ slug: "test-scimv2", name: "Test SCIMv2" }]);
    const answer = await scim(emu, "POST", GROUPS, { schemas: [GROUP], displayName: "Test SCIMv2", members: [] });
    expect(answer).toMatchObject({ status: 409, body: { detail: "A team with this slug already exists." } });
  });

  it("SCIMIndexCreateTest.test_scim_team_invalid_numeric_slug", async () => {
    const answer = await scim(scimOrg(), "POST", GROUPS, { schemas: [GROUP], displayName: "1234", members: [] });
    expect(answer).toMatchObject({
      status: 400,
      body: { slug: ["Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric."] },
    });
  });
});

describe("test_scim_team_details.py", () => {
  it("SCIMDetailGetTest.test_team_details_404", async () => {
    const answer = await scim(scimOrg(), "GET", `${GROUPS}/2`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ detail: "Group not found.", schemas: [ERROR] });
  });

  it("SCIMDetailGetTest.test_scim_team_details_basic", async () => {
    const emu = scimOrg([{ slug: "test-scimv2", name: "test-scimv2", idpProvisioned: true }]);
    expect((await scim(emu, "GET", `${GROUPS}/${teamIdOf(emu, "test-scimv2")}`)).body).toEqual(group(teamIdOf(emu, "test-scimv2"), "test-scimv2", []));
  });

  it("SCIMDetailGetTest.test_scim_team_details_excluded_attributes", async () => {
    const emu = scimOrg([{ slug: "test-scimv2", name: "test-scimv2", idpProvisioned: true }]);
    const answer = await scim(emu, "GET", `${GROUPS}/${teamIdOf(emu, "test-scimv2")}?excludedAttributes=members`);
    expect(answer.body).toEqual(group(teamIdOf(emu, "test-scimv2"), "test-scimv2"));
  });

  it("SCIMDetailGetTest.test_team_doesnt_exist", async () => {
    const emu = scimOrg();
    for (const method of ["GET", "PATCH", "DELETE"]) expect((await scim(emu, method, `${GROUPS}/32340`)).status, method).toBe(404);
  });

  it("SCIMDetailGetTest.test_team_details_put_permission_denied", async () => {
    const emu = scimOrg([{ slug: "team" }]);
    expect((await scim(emu, "PUT", `${GROUPS}/${teamIdOf(emu, "team")}`)).status).toBe(403);
  });

  /** SCIMDetailPatchTest.setUp: an IdP team, two members off it and one on it. */
  function patchSetup(): { emu: Emulator; path: string; id: string } {
    const emu = scimOrg(
      [{ slug: "team", name: "team", idpProvisioned: true }],
      [
        { email: "one@x.test", orgRole: "member" },
        { email: "two@x.test", orgRole: "member" },
        { email: "on-team@x.test", orgRole: "member", teams: [{ team: "team" }] },
      ],
    );
    const id = teamIdOf(emu, "team");
    return { emu, id, path: `${GROUPS}/${id}` };
  }
  const patch = (emu: Emulator, path: string, Operations: unknown[]) => scim(emu, "PATCH", path, { schemas: PATCH, Operations });

  it("SCIMDetailPatchTest.test_scim_team_details_invalid_patch_op", async () => {
    const { emu, path, id } = patchSetup();
    const answer = await patch(emu, path, [{ op: "invalid", value: { id, displayName: "newName" } }]);
    expect(answer.status).toBe(400);
    expect(String(asObject(answer.body).detail)).toContain("invalid");
  });

  it("SCIMDetailPatchTest.test_scim_team_details_patch_rename_team (metrics are not modelled)", async () => {
    const { emu, path, id } = patchSetup();
    expect((await patch(emu, path, [{ op: "replace", value: { id, displayName: "newName" } }])).status).toBe(204);
    expect(teamOf(emu, id)).toMatchObject({ slug: "newname", name: "newName", idpProvisioned: true });
  });

  it("SCIMDetailPatchTest.test_scim_team_details_patch_rename_team_invalid_slug", async () => {
    const { emu, path, id } = patchSetup();
    expect(await patch(emu, path, [{ op: "replace", value: { id, displayName: "1234" } }])).toMatchObject({
      status: 400,
      body: { slug: ["Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric."] },
    });
  });

  it("SCIMDetailPatchTest.test_scim_team_details_patch_add", async () => {
    const { emu, path, id } = patchSetup();
    expect((await patch(emu, path, [{ op: "add", path: "members", value: [{ value: memberId(emu, "one@x.test"), display: "one@x.test" }] }])).status).toBe(204);
    expect(onTeam(emu, "one@x.test", "team")).toBe(true);
    expect(teamOf(emu, id)?.idpProvisioned).toBe(true);
  });

  it("SCIMDetailPatchTest.test_scim_team_details_patch_remove", async () => {
    const { emu, path } = patchSetup();
    expect((await patch(emu, path, [{ op: "remove", path: `members[value eq "${memberId(emu, "on-team@x.test")}"]` }])).status).toBe(204);
    expect(onTeam(emu, "on-team@x.test", "team")).toBe(false);
  });

  it("SCIMDetailPatchTest.test_team_details_replace_members_list", async () => {
    const { emu, path } = patchSetup();
    const value = [
      { value: memberId(emu, "one@x.test"), display: "test.user@okta.local" },
      { value: memberId(emu, "two@x.test"), display: "test.user2@okta.local" },
    ];
    expect((await patch(emu, path, [{ op: "replace", path: "members", value }])).status).toBe(204);
    expect([onTeam(emu, "on-team@x.test", "team"), onTeam(emu, "one@x.test", "team"), onTeam(emu, "two@x.test", "team")]).toEqual([false, true, true]);
  });

  it("SCIMDetailPatchTest.test_team_member_doesnt_exist_add_to_team", async () => {
    const { emu, path } = patchSetup();
    const answer = await patch(emu, path, [{ op: "add", path: "members", value: [{ value: "100232", display: "nope@doesnotexist.io" }] }]);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ schemas: [ERROR], detail: "User not found." });
  });

  it("SCIMDetailPatchTest.test_team_details_patch_too_many_ops", async () => {
    const { emu, path } = patchSetup();
    const answer = await patch(emu, path, Array(101).fill({ op: "replace" }));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ schemas: [ERROR], detail: "Too many patch ops sent, limit is 100." });
  });

  it("SCIMDetailPatchTest.test_team_details_invalid_filter_patch_route", async () => {
    const { emu, path } = patchSetup();
    const answer = await patch(emu, path, [{ op: "remove", path: 'members[value badop "1"]' }]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ schemas: [ERROR], scimType: "invalidFilter" });
  });

  it("SCIMDetailPatchTest.test_rename_team_azure_request", async () => {
    const { emu, path, id } = patchSetup();
    expect((await patch(emu, path, [{ op: "Replace", path: "displayName", value: "theNewName" }])).status).toBe(204);
    expect(teamOf(emu, id)).toMatchObject({ slug: "thenewname", idpProvisioned: true });
  });

  it("SCIMDetailPatchTest.test_remove_member_azure", async () => {
    const { emu, path } = patchSetup();
    expect((await patch(emu, path, [{ op: "Remove", path: "members", value: [{ value: memberId(emu, "on-team@x.test") }] }])).status).toBe(204);
    expect(onTeam(emu, "on-team@x.test", "team")).toBe(false);
  });

  it("SCIMDetailPatchTest.test_remove_member_not_on_team", async () => {
    const { emu, path, id } = patchSetup();
    expect((await patch(emu, path, [{ op: "Remove", path: "members", value: [{ value: memberId(emu, "one@x.test") }] }])).status).toBe(204);
    expect(onTeam(emu, "one@x.test", "team")).toBe(false);
    expect(teamOf(emu, id)?.idpProvisioned).toBe(true);
  });

  it("SCIMDetailDeleteTest.test_delete_team (metrics are not modelled)", async () => {
    const emu = scimOrg([{ slug: "team", idpProvisioned: true }]);
    const id = teamIdOf(emu, "team");
    expect((await scim(emu, "DELETE", `${GROUPS}/${id}`)).status).toBe(204);
    // Sentry marks it PENDING_DELETION and frees the slug; the emulator drops it at once (and logs team.remove).
    expect(teamOf(emu, id)).toBeUndefined();
    expect(emu.state.auditLog.at(-1)?.event).toBe("team.remove");
  });
});
