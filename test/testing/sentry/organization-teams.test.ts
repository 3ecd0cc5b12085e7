/**
 * tests/sentry/core/endpoints/test_organization_teams.py, on the emulator (src/sentry/core/endpoints/organization_teams.py).
 */
import { describe, expect, it } from "vitest";
import { asArray, asObject, call, loginAs, ORG, OWNER, outsiderToken, sentryOrg, teamIdOf, teamsOf } from "./helpers.js";

const SLUG_ERROR = "Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric.";

describe("test_organization_teams.py", () => {
  const listSetup = () =>
    sentryOrg({
      teams: [
        { slug: "foo", name: "foo" },
        { slug: "bar", name: "bar" },
      ],
      members: [{ email: "user@localhost", orgRole: "member", teams: [{ team: "foo" }] }],
    });

  it("OrganizationTeamsListTest.test_simple", async () => {
    const emu = listSetup();
    const rows = asArray((await call(emu, "GET", `${ORG}/teams/`, { token: loginAs(emu, "user@localhost") })).body);
    // Ordered by slug; isMember is the caller's membership.
    expect(rows.map((r) => [r.id, r.isMember])).toEqual([
      [teamIdOf(emu, "bar"), false],
      [teamIdOf(emu, "foo"), true],
    ]);
  });

  it("OrganizationTeamsListTest.test_simple_results_no_projects", async () => {
    const emu = listSetup();
    const rows = asArray((await call(emu, "GET", `${ORG}/teams/?detailed=0`, { token: loginAs(emu, "user@localhost") })).body);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => !("projects" in r))).toBe(true);
    const detailed = asArray((await call(emu, "GET", `${ORG}/teams/`)).body);
    expect(detailed.every((r) => "projects" in r)).toBe(true);
  });

  it("OrganizationTeamsListTest.test_search", async () => {
    const emu = sentryOrg({ teams: [{ slug: "bar", name: "bar" }], members: [{ email: "user@localhost", orgRole: "member", teams: [{ team: "bar" }] }] });
    const token = loginAs(emu, "user@localhost");
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=bar`, { token })).body).map((r) => r.id)).toEqual([teamIdOf(emu, "bar")]);
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=baz`, { token })).body)).toEqual([]);
  });

  it("OrganizationTeamsListTest.test_has_external_teams_query (no external teams modelled)", async () => {
    const emu = sentryOrg({ teams: [{ slug: "foo" }] });
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=hasExternalTeams:true`)).body)).toEqual([]);
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=hasExternalTeams:false`)).body)).toHaveLength(1);
  });

  it("OrganizationTeamsListTest.test_query_by_slug", async () => {
    const emu = sentryOrg({ teams: [{ slug: "foo" }, { slug: "bar" }] });
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=slug:foo`)).body)).toHaveLength(1);
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=${encodeURIComponent("slug:foo slug:bar")}`)).body)).toHaveLength(2);
  });

  it("OrganizationTeamsListTest.test_query_by_id", async () => {
    const emu = sentryOrg({ teams: [{ slug: "foo" }, { slug: "bar" }] });
    expect(await call(emu, "GET", `${ORG}/teams/?query=id:undefined`)).toMatchObject({ status: 400, body: { detail: "Invalid id value" } });
    const [foo, bar] = [teamIdOf(emu, "foo"), teamIdOf(emu, "bar")];
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=id:${foo}`)).body)).toHaveLength(1);
    expect(asArray((await call(emu, "GET", `${ORG}/teams/?query=${encodeURIComponent(`id:${foo} id:${bar}`)}`)).body)).toHaveLength(2);
  });

  it("OrganizationTeamsCreateTest.test_missing_permission", async () => {
    const emu = sentryOrg({ members: [{ email: "user@localhost", orgRole: "member" }] });
    const token = await outsiderToken(emu, "user@localhost");
    expect((await call(emu, "POST", `${ORG}/teams/`, { token, body: { name: "x" } })).status).toBe(403);
  });

  it("OrganizationTeamsCreateTest.test_missing_params", async () => {
    const emu = sentryOrg();
    expect(await call(emu, "POST", `${ORG}/teams/`, { body: {} })).toMatchObject({ status: 400, body: { non_field_errors: ["Name or slug is required"] } });
  });

  it("OrganizationTeamsCreateTest.test_valid_params", async () => {
    const emu = sentryOrg();
    const created = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "hello world", slug: "foobar" } });
    expect(created.status).toBe(201);
    const team = emu.state.teams.find((t) => t.id === asObject(created.body).id);
    expect(team).toMatchObject({ name: "hello world", slug: "foobar", idpProvisioned: false, org: "baz" });
    // The creating member joins the team (an active membership, no stored team role).
    expect(teamsOf(emu, OWNER)).toEqual([{ team: "foobar", role: null }]);
  });

  it("OrganizationTeamsCreateTest.test_without_slug", async () => {
    const emu = sentryOrg();
    const created = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "hello world" } });
    expect(created).toMatchObject({ status: 201, body: { slug: "hello-world" } });
  });

  it("OrganizationTeamsCreateTest.test_without_name", async () => {
    const emu = sentryOrg();
    const created = await call(emu, "POST", `${ORG}/teams/`, { body: { slug: "example-slug" } });
    expect(created).toMatchObject({ status: 201, body: { slug: "example-slug", name: "example-slug" } });
  });

  it("OrganizationTeamsCreateTest.test_with_idp_provisioned", async () => {
    const emu = sentryOrg();
    const created = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "hello world", idp_provisioned: true } });
    expect(created.status).toBe(201);
    expect(emu.state.teams.find((t) => t.id === asObject(created.body).id)?.idpProvisioned).toBe(true);
    expect(await call(emu, "POST", `${ORG}/teams/`, { body: { name: "x", idp_provisioned: "maybe" } })).toMatchObject({
      status: 400,
      body: { idp_provisioned: ["Must be a valid boolean."] },
    });
  });

  it("OrganizationTeamsCreateTest.test_duplicate", async () => {
    const emu = sentryOrg();
    expect((await call(emu, "POST", `${ORG}/teams/`, { body: { name: "hello world", slug: "foobar" } })).status).toBe(201);
    const again = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "hello world", slug: "foobar" } });
    expect(again).toEqual(expect.objectContaining({ status: 409 }));
    expect(again.body).toEqual({ non_field_errors: ["A team with this slug already exists."], detail: "A team with this slug already exists." });
    // A slug generated from a taken name is suffixed instead (slugify_instance), never a 409.
    const byName = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "foobar" } });
    expect(byName.status).toBe(201);
    expect(String(asObject(byName.body).slug)).toMatch(/^foobar-[a-z0-9]{2}$/);
  });

  it("OrganizationTeamsCreateTest.test_name_too_long", async () => {
    const emu = sentryOrg();
    expect((await call(emu, "POST", `${ORG}/teams/`, { body: { name: "x".repeat(65), slug: "xxxxxxx" } })).status).toBe(400);
  });

  it("OrganizationTeamsCreateTest.test_invalid_numeric_slug", async () => {
    const emu = sentryOrg();
    const answer = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "hello word", slug: "1234" } });
    expect(answer).toMatchObject({ status: 400, body: { slug: [SLUG_ERROR] } });
  });

  it("OrganizationTeamsCreateTest.test_generated_slug_not_entirely_numeric", async () => {
    const emu = sentryOrg();
    const created = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "1234" } });
    expect(created.status).toBe(201);
    const slug = String(asObject(created.body).slug);
    expect(slug.startsWith("1234-")).toBe(true);
    expect(/^\d+$/.test(slug)).toBe(false);
    // Generated slugs are cut to 30 characters (slugify_instance's default max_length).
    const long = await call(emu, "POST", `${ORG}/teams/`, { body: { name: "A very long team name that keeps going and going" } });
    expect(asObject(long.body).slug).toBe("a-very-long-team-name-that-kee");
  });
});
