import { afterEach, describe, expect, it } from "vitest";
import { isSentryError, isValidationError } from "../../../src/http/errors/errors.js";
import { importTerraform as fromRoot } from "../../../src/index.js";
import { formatAccessConfig, importTerraform, parseAccessConfig, planAccess } from "../../../src/recipes/index.js";
import { closeClients, harness, thrown } from "../../resources/helpers.js";
import { NOW, outside, writesOf } from "../access/helpers.js";
import { DEMO_INSTANCES, DEMO_RESOURCES, commands, demoState, fixture, removedFroms } from "./helpers.js";

afterEach(closeClients);

const opts = { now: NOW };
const summary = (changes: Array<{ kind: string; action: string; subject: string }>) => changes.map((c) => `${c.kind} ${c.action} ${c.subject}`);

describe("import of the hand-written demo states (root module, a module, for_each members, a count team)", () => {
  it("gives a file whose plan shows 0 changes, removed.tf with each resource once and state-rm.sh with each instance once", async () => {
    const { sentry, emu } = harness();
    for (const name of ["demo.tfstate", "demo.show.json"] as const) {
      const result = await importTerraform(fixture(name), { sentry, ...opts });
      // Through the file as written, as a user would plan it.
      const plan = await planAccess(sentry, parseAccessConfig(formatAccessConfig(result.config, "yaml")), opts);
      expect(summary(plan.changes)).toEqual([]);
      expect(plan.blocked).toEqual([]);
      expect(plan.violations).toEqual([]);
      expect(result.drift).toEqual([]);
      expect(removedFroms(result.removedTf)).toEqual(DEMO_RESOURCES);
      expect(result.removedTf.match(/^removed \{/gm)).toHaveLength(DEMO_RESOURCES.length);
      expect(commands(result.stateRm)).toEqual(DEMO_INSTANCES.map((a) => `terraform state rm '${a.replace(/'/g, "'\\''")}'`));
      expect(result.imported.map((i) => i.address)).toEqual(DEMO_INSTANCES);
      // Other resource types stay with Terraform; data sources are not resources to take over.
      expect(result.leftToTerraform).toEqual(["random_id.suffix", "sentry_key.payment_api"]);
    }
    expect(writesOf(emu)).toEqual([]);
  });

  it("declares only what Terraform managed, additive, and reports the provider's pitfalls with their addresses", async () => {
    const { sentry } = harness();
    const { config, pitfalls, organization } = await importTerraform(fixture("demo.tfstate"), { sentry, ...opts });
    expect(organization).toBe("acme");
    expect(config.policy).toMatchObject({ members: "additive", teams: "additive" });
    expect(Object.keys(config.teams)).toEqual(["identity", "mobile", "notifications", "payments", "platform"]);
    expect(config.teams["okta-engineering"]).toBeUndefined();
    expect(config.teams.platform).toEqual({ name: "Platform", projects: ["infra-monitoring", "web-frontend"] });
    expect(Object.keys(config.members)).toEqual([
      "ada.smith@acme.test",
      "carla.contractor@vendor.test",
      "chen.nguyen@acme.test",
      "dara.okafor@acme.test",
      "dmitri.contractor@vendor.test",
      "kai.rossi@acme.test",
      "lena.kim@acme.test",
      "mo.smith@acme.test",
    ]);
    // No sentry_team_member for ada: her memberships were not Terraform's, so no `teams` key.
    expect(config.members["ada.smith@acme.test"]).toEqual({ role: "owner" });
    expect(config.members["chen.nguyen@acme.test"]).toEqual({ role: "manager", teams: { mobile: { role: "contributor" }, notifications: {} } });
    expect(config.members["dara.okafor@acme.test"]?.teams?.platform).toEqual({ role: "admin" });
    expect(pitfalls.map((p) => [p.code, p.address])).toEqual([
      ["deprecated-teams", 'sentry_organization_member.people["ada"]'],
      ["expired-invite", 'sentry_organization_member.people["expired"]'],
      ["effective-role", 'sentry_team_member.memberships["chen/mobile"]'],
      ["empty-role", 'sentry_team_member.memberships["dara/platform"]'],
    ]);
    expect(pitfalls[0]?.message).toMatch(/#343/);
    expect(pitfalls[1]?.message).toMatch(/#755/);
    expect(pitfalls[3]?.message).toMatch(/#364/);
  });

  it("produces identical files on a second run, and the same from both state forms", async () => {
    const { sentry } = harness();
    const texts = async (name: "demo.tfstate" | "demo.show.json") => {
      const r = await importTerraform(fixture(name), { sentry, ...opts });
      return [formatAccessConfig(r.config, "yaml"), r.removedTf, r.stateRm];
    };
    const first = await texts("demo.tfstate");
    expect(await texts("demo.tfstate")).toEqual(first);
    expect(await texts("demo.show.json")).toEqual(first);
    // Resources listed in another order in the state: the same files.
    const shuffled = demoState();
    shuffled.resources.reverse();
    for (const r of shuffled.resources) r.instances.reverse();
    const r = await importTerraform(shuffled, { sentry, ...opts });
    expect([formatAccessConfig(r.config, "yaml"), r.removedTf, r.stateRm]).toEqual(first);
  });

  it("without a client sends nothing, plans the same 0 changes, and notes that nothing was compared", async () => {
    const { sentry, emu } = harness();
    const before = emu.state.requests.length;
    // A byte-order mark in front (a Windows redirect) is no obstacle.
    const offline = await importTerraform(`\uFEFF${fixture("demo.tfstate")}`, opts);
    expect(emu.state.requests.length).toBe(before);
    expect(offline.drift).toEqual([]);
    expect(offline.notes.join("\n")).toMatch(/not compared with Sentry/);
    expect((await planAccess(sentry, offline.config, opts)).changes).toEqual([]);
    expect(fromRoot).toBe(importTerraform);
  });
});

describe("a state that disagrees with Sentry", () => {
  it("a member removed in the UI since: the file still declares them, plan shows exactly that, import warns", async () => {
    const { sentry, emu } = harness();
    const kai = emu.state.members.find((m) => m.email === "kai.rossi@acme.test")?.id ?? "";
    expect(await outside(emu, "DELETE", `/api/0/organizations/acme/members/${kai}/`)).toBe(204);
    const result = await importTerraform(fixture("demo.tfstate"), { sentry, ...opts });
    expect(result.config.members["kai.rossi@acme.test"]).toEqual({ role: "member", teams: { payments: {} } });
    expect(result.drift).toEqual([
      {
        address: 'sentry_organization_member.people["kai"]',
        change: "member invite kai.rossi@acme.test",
        message: expect.stringMatching(/in the state but not in Sentry .*plan invites them again/),
      },
    ]);
    const plan = await planAccess(sentry, result.config, opts);
    expect(summary(plan.changes)).toEqual(["member invite kai.rossi@acme.test"]);
    expect(plan.changes[0]?.teamRoles).toEqual([{ team: "payments", role: null }]);
  });

  it("a difference the identity provider decides is a warning too, as plan lists it under idpOwned", async () => {
    const { sentry } = harness();
    const state = demoState();
    const memberships = state.resources.find((r) => r.name === "memberships");
    const kai = memberships?.instances.find((i) => i.index_key === "kai/payments");
    if (!memberships || !kai) throw new Error("fixture changed");
    memberships.instances.push({ ...structuredClone(kai), index_key: "kai/okta", attributes: { ...kai.attributes, team: "okta-engineering" } });
    const result = await importTerraform(state, { sentry, ...opts });
    expect(result.drift).toEqual([
      {
        address: 'sentry_team_member.memberships["kai/okta"]',
        change: "team-member okta-engineering/kai.rossi@acme.test (IdP-owned)",
        message: expect.stringMatching(/identity provider decides: SCIM manages this team's members/),
      },
    ]);
    const plan = await planAccess(sentry, result.config, opts);
    expect(plan.changes).toEqual([]);
    expect(plan.idpOwned.map((e) => e.subject)).toContain("okta-engineering/kai.rossi@acme.test");
  });

  it("memberships and project links Sentry has outside Terraform are kept, so plan removes nothing", async () => {
    const { sentry, emu } = harness();
    const kai = emu.state.members.find((m) => m.email === "kai.rossi@acme.test")?.id ?? "";
    expect(await outside(emu, "POST", `/api/0/organizations/acme/members/${kai}/teams/identity/`)).toBe(201);
    expect(await outside(emu, "POST", "/api/0/projects/acme/legacy-reports/teams/payments/")).toBe(201);
    const result = await importTerraform(fixture("demo.tfstate"), { sentry, ...opts });
    expect(result.config.members["kai.rossi@acme.test"]?.teams).toEqual({ identity: { role: "contributor" }, payments: {} });
    expect(result.config.teams.payments?.projects).toEqual(["billing-worker", "legacy-reports", "payment-api"]);
    expect(result.notes).toEqual([
      "1 project link(s) Terraform did not manage are declared as Sentry has them, so plan keeps them",
      "1 team membership(s) of imported members Terraform did not manage are declared as Sentry has them, so plan keeps them",
    ]);
    expect(result.drift).toEqual([]);
    expect((await planAccess(sentry, result.config, opts)).changes).toEqual([]);
  });

  it("a role empty in state is taken from Sentry; a membership of a member outside the state is resolved by id", async () => {
    const { sentry } = harness();
    const state = demoState();
    const people = state.resources.find((r) => r.type === "sentry_organization_member" && r.name === "people");
    const mo = people?.instances.find((i) => i.index_key === "mo");
    if (!mo || !people) throw new Error("fixture changed");
    mo.attributes.role = "";
    people.instances = people.instances.filter((i) => i.index_key !== "kai");
    const result = await importTerraform(state, { sentry, ...opts });
    expect(result.config.members["mo.smith@acme.test"]?.role).toBe("member");
    expect(result.config.members["kai.rossi@acme.test"]).toEqual({ role: "member", teams: { payments: {} } });
    expect(result.pitfalls.filter((p) => p.code === "empty-role" || p.code === "unknown-member").map((p) => p.address)).toEqual([
      'sentry_organization_member.people["mo"]',
      'sentry_team_member.memberships["dara/platform"]',
      'sentry_team_member.memberships["kai/payments"]',
    ]);
    // Offline, neither can be carried over: left out and said so.
    const offline = await importTerraform(state, opts);
    expect(offline.config.members["mo.smith@acme.test"]).toBeUndefined();
    expect(offline.config.members["kai.rossi@acme.test"]).toBeUndefined();
    expect(offline.pitfalls.find((p) => p.address === 'sentry_team_member.memberships["kai/payments"]')?.message).toMatch(
      /member 11 is not a sentry_organization_member/,
    );
  });
});

describe("refused input: a ValidationError naming the field or address, nothing sent", () => {
  const refusal = async (input: unknown, options: { organization?: string } = {}) => {
    const { sentry, emu } = harness();
    const error = await thrown(() => importTerraform(input, { sentry, ...opts, ...options }));
    expect(emu.state.requests).toEqual([]);
    expect(isSentryError(error) && error.kind === "validation").toBe(true);
    if (!isValidationError(error)) throw error;
    return { field: error.field, detail: error.detail };
  };

  it("not JSON, not a state, a plan instead of a state", async () => {
    expect(await refusal('resource "sentry_team" "x" {}')).toMatchObject({ field: "(file)", detail: expect.stringMatching(/not JSON/) });
    expect(await refusal({ hello: "world" })).toMatchObject({ field: "(file)", detail: expect.stringMatching(/not a Terraform state/) });
    expect(await refusal({ format_version: "1.2", planned_values: {} })).toMatchObject({ field: "values", detail: expect.stringMatching(/this is a plan/) });
    expect(await refusal({ version: 4, resources: [] })).toMatchObject({ detail: expect.stringMatching(/nothing to import/) });
  });

  it("another format version", async () => {
    const old = demoState();
    old.version = 3;
    expect(await refusal(old)).toMatchObject({ field: "version", detail: expect.stringMatching(/only version 4/) });
    expect(await refusal({ format_version: "2.0", values: {} })).toMatchObject({ field: "format_version" });
  });

  it("a state for another organization, or for several without naming one", async () => {
    expect(await refusal(fixture("demo.tfstate"), { organization: "globex" })).toMatchObject({
      field: 'module.squads["mobile"].sentry_organization_member.contractor["carla"].organization',
      detail: expect.stringMatching(/for organization acme, not globex/),
    });
    const two = demoState();
    const team = two.resources.find((r) => r.type === "sentry_team" && r.name === "identity");
    if (team?.instances[0]) team.instances[0].attributes.organization = "globex";
    expect(await refusal(two)).toMatchObject({ detail: expect.stringMatching(/manages 2 organizations \(acme, globex\)/) });
    // Naming one takes it; the other organization's resources stay with Terraform.
    const { sentry } = harness();
    const acme = await importTerraform(two, { sentry, organization: "acme", ...opts });
    expect(acme.leftToTerraform).toContain("sentry_team.identity");
    expect(acme.removedTf).not.toMatch(/sentry_team\.identity/);
  });

  it("two addresses for the same object name both", async () => {
    const state = demoState();
    const copy = structuredClone(state.resources.find((r) => r.type === "sentry_team" && r.name === "payments"));
    if (!copy) throw new Error("fixture changed");
    copy.name = "payments_again";
    state.resources.push(copy);
    expect(await refusal(state)).toMatchObject({
      field: "sentry_team.payments_again",
      detail: expect.stringMatching(/the same team as sentry_team\.payments \(payments\): two addresses for one object/),
    });
    const member = demoState();
    const people = member.resources.find((r) => r.name === "people");
    const lena = people?.instances.find((i) => i.attributes.email === "lena.kim@acme.test");
    if (lena) lena.attributes.email = "KAI.rossi@acme.test";
    expect(await refusal(member)).toMatchObject({ detail: expect.stringMatching(/the same member \(email\)/) });
  });

  it("a module path that is not one, a missing key attribute", async () => {
    const bad = demoState();
    const moduled = bad.resources.find((r) => r.module !== undefined);
    if (moduled) moduled.module = 'module.squads["mobile';
    expect(await refusal(bad)).toMatchObject({ field: expect.stringMatching(/\.module$/) });
    const missing = demoState();
    const kai = missing.resources.find((r) => r.name === "memberships")?.instances.find((i) => i.index_key === "kai/payments");
    if (kai) delete kai.attributes.team;
    expect(await refusal(missing)).toMatchObject({ field: 'sentry_team_member.memberships["kai/payments"].team' });
  });
});
