import { afterEach, describe, expect, it } from "vitest";
import { applyAccessPlan, dumpAccess, formatAccessConfig, isAccessPlanError, parseAccessConfig, planAccess } from "../../../src/recipes/index.js";
import type { AccessConfig, AccessPlan } from "../../../src/recipes/index.js";
import type { EmulatorOptions } from "../../../src/testing/index.js";
import { closeClients, harness } from "../../resources/helpers.js";
import { NOW, readBack, writesOf } from "./helpers.js";

afterEach(closeClients);

const opts = { now: NOW };
const summary = (plan: AccessPlan) => plan.changes.map((c) => `${c.kind} ${c.action} ${c.subject}`);
type Sentry = ReturnType<typeof harness>["sentry"];

async function dumped(sentry: Sentry): Promise<AccessConfig> {
  return parseAccessConfig(formatAccessConfig(await dumpAccess(sentry), "yaml"));
}

describe("time-bound access", () => {
  it("an until in the past removes exactly that access; access ending within 14 days is listed as expiring", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    config.members["carla.contractor@vendor.test"] = { ...config.members["carla.contractor@vendor.test"]!, until: "2026-02-28", reason: "Q1 mobile contract" };
    const tom = config.members["tom.garcia@acme.test"]!;
    const [tomTeam] = Object.keys(tom.teams ?? {});
    config.members["tom.garcia@acme.test"] = {
      ...tom,
      teams: { ...tom.teams, [tomTeam!]: { role: "contributor", until: "2026-03-01T06:00:00Z", reason: "INC-4411 on-call" } },
    };
    config.members["dmitri.contractor@vendor.test"] = { ...config.members["dmitri.contractor@vendor.test"]!, until: "2026-03-10" };
    const plan = await planAccess(sentry, config, opts);
    expect(summary(plan)).toEqual([`team-member remove ${tomTeam}/tom.garcia@acme.test`, "member remove carla.contractor@vendor.test"]);
    expect(plan.changes[1]?.reason).toBe("until 2026-02-28 passed (Q1 mobile contract)");
    expect(plan.expiring).toEqual([{ kind: "member", subject: "dmitri.contractor@vendor.test", until: "2026-03-10" }]);
    const before = await readBack(emu);
    const report = await applyAccessPlan(sentry, plan);
    expect(report.failed).toEqual([]);
    const after = await readBack(emu);
    expect(after.members["carla.contractor@vendor.test"]).toBeUndefined();
    expect(after.members["tom.garcia@acme.test"]?.teams[tomTeam!]).toBeUndefined();
    delete before.members["carla.contractor@vendor.test"];
    delete before.members["tom.garcia@acme.test"]?.teams[tomTeam!];
    expect(after).toEqual(before);
    expect((await planAccess(sentry, config, opts)).changes).toEqual([]);
  });
});

/** A file that needs one change of every kind on the demo fixture. */
async function everyKind(sentry: Sentry): Promise<AccessConfig> {
  const c = await dumped(sentry);
  c.teams["contractors-q1"] = { name: "Q1 Contractors", projects: ["mobile-redesign"] };
  c.teams.mobile = { ...c.teams.mobile, name: "Mobile Apps" };
  c.teams.platform = { ...c.teams.platform, projects: ["infra-monitoring"] };
  delete c.teams.notifications;
  // The team is deleted (teams: authoritative), so no member may keep it in their teams map.
  for (const member of Object.values(c.members)) if (member.teams) delete member.teams.notifications;
  c.members["ana@vendor.test"] = { role: "member", teams: { "contractors-q1": { role: "admin" } } };
  c.members["expired.one@acme.test"] = { role: "member" };
  c.members["tom.garcia@acme.test"] = { role: "manager", teams: c.members["tom.garcia@acme.test"]?.teams ?? {} };
  c.members["carla.contractor@vendor.test"] = { role: "member", teams: { mobile: { role: "admin" }, "contractors-q1": {} } };
  c.members["dmitri.contractor@vendor.test"] = { role: "member", teams: {} };
  c.members["dev.kim@acme.test"] = { ...c.members["dev.kim@acme.test"]!, until: "2026-01-31" };
  return { ...c, policy: { ...c.policy, teams: "authoritative" } };
}

const OPERATIONS = [
  "createOrganizationTeam",
  "updateTeam",
  "deleteTeam",
  "addProjectTeam",
  "deleteProjectTeam",
  "addOrganizationMember",
  "updateOrganizationMember",
  "deleteOrganizationMember",
  "addOrganizationMemberTeam",
  "updateOrganizationMemberTeam",
  "deleteOrganizationMemberTeam",
];

describe("faults during apply", () => {
  it("the every-kind file plans each kind of step once, in the documented order", async () => {
    const { sentry, emu } = harness();
    const plan = await planAccess(sentry, await everyKind(sentry), opts);
    const kinds = plan.changes.map((c) => `${c.kind}:${c.action}`);
    for (const k of [
      "team:create",
      "team:update",
      "team:delete",
      "project-team:add",
      "project-team:remove",
      "member:invite",
      "member:update",
      "member:remove",
      "team-member:add",
      "team-member:update",
      "team-member:remove",
    ])
      expect(kinds).toContain(k);
    // An expired invite Sentry still lists is re-sent with a new link; one it has removed is invited again.
    const expired = emu.state.members.find((m) => m.email === "expired.one@acme.test");
    expect(summary(plan)).toContain(`member ${expired?.expired ? "reinvite" : "invite"} expired.one@acme.test`);
    expect(kinds.indexOf("team:create")).toBeLessThan(kinds.indexOf("project-team:add"));
    expect(kinds.indexOf("member:invite")).toBeLessThan(kinds.indexOf("team-member:add"));
    expect(kinds.lastIndexOf("team-member:add")).toBeLessThan(kinds.indexOf("team-member:remove"));
    expect(kinds.indexOf("member:remove")).toBeLessThan(kinds.indexOf("team:delete"));
    expect(plan.changes.find((c) => c.action === "invite")?.note).toMatch(/ignores team roles on invites/);
    expect(summary(plan)).toContain("team-member remove contractors-q1/ada.smith@acme.test"); // Sentry adds the creator
  });

  it.each(OPERATIONS)("a fault after %s commits, then plan + apply again converge to the clean result", async (operation) => {
    const clean = harness();
    await applyAccessPlan(clean.sentry, await planAccess(clean.sentry, await everyKind(clean.sentry), opts));
    const expected = await readBack(clean.emu);

    const faults: EmulatorOptions["faults"] = { script: [{ operation, nth: 1, fault: 503, after: "commit" }] };
    const { sentry, emu } = harness({ faults });
    const config = await everyKind(sentry);
    const first = await applyAccessPlan(sentry, await planAccess(sentry, config, opts));
    expect(first.failed.map((f) => f.status)).toEqual([503]);
    const second = await applyAccessPlan(sentry, await planAccess(sentry, config, opts));
    expect(second.failed).toEqual([]);
    expect((await planAccess(sentry, config, opts)).changes).toEqual([]);
    expect(await readBack(emu)).toEqual(expected);
  });
});

describe("invitation limits", () => {
  it("a plan that would pass Sentry's 100 invitations a day says so up front, and apply sends only those that fit", async () => {
    const { sentry, emu } = harness({ rateLimit: { limit: 100_000, concurrent: 1000 }, auditRows: 0 });
    const config = await dumped(sentry);
    for (let i = 0; i < 105; i++) config.members[`hire${i}@acme.test`] = { role: "member" };
    const plan = await planAccess(sentry, config, opts);
    expect(plan.changes.filter((c) => c.action === "invite")).toHaveLength(100);
    expect(plan.blocked).toHaveLength(5);
    expect(plan.blocked[0]?.reason).toMatch(/invitation limit: 100 per organization per day/);
    const report = await applyAccessPlan(sentry, plan, { concurrency: 8 });
    expect(report.failed).toEqual([]);
    expect(writesOf(emu).filter((w) => w.startsWith("POST /api/0/organizations/acme/members/"))).toHaveLength(100);
    // The next plan counts today's invitations from the audit log.
    const next = await planAccess(sentry, config, opts);
    expect(next.changes).toEqual([]);
    expect(next.blocked.map((b) => b.subject)).toHaveLength(5);
    expect(next.blocked[0]?.reason).toMatch(/100 sent in the last 24 h/);
  });
});

describe("capability preflight", () => {
  // src/sentry/api/bases/team.py TeamPermission via has_team_scope (tests/sentry/core/endpoints/test_team_details.py
  // test_admin_without_team_membership): without open membership, a team's member list needs access to the team.
  it("a member-role user token that cannot read every team's members is refused with the reason, before any change", async () => {
    const { emu, clientWith } = harness();
    const token = emu.issueToken({
      kind: "user",
      userEmail: "tom.garcia@acme.test",
      scopes: ["org:read", "member:read", "member:invite", "team:read", "project:read"],
    });
    const error = await planAccess(clientWith(token), await dumped(harness().sentry), opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAccessPlanError(error) && error.code).toBe("token");
    expect((error as Error).message).toMatch(/cannot read the members of team [a-z0-9-]+/);
    expect((error as { hint: string }).hint).toMatch(/open membership|manager or owner/);
    expect(writesOf(emu)).toEqual([]);
  });

  it("a member-role user token: changes Sentry would refuse are blocked with the reason, not attempted", async () => {
    const { emu, sentry: admin, clientWith } = harness();
    // On every team (as a contributor), so the token may read each team's members in this closed-membership org.
    const tom = await admin.org.members.findByEmail("tom.garcia@acme.test");
    for (const team of emu.state.teams) {
      if (!team.idpProvisioned) await admin.org.members.addToTeam(tom!.id, team.slug);
      else
        await emu.fetch(`${emu.baseUrl}/api/0/organizations/acme/scim/v2/Groups/${team.id}`, {
          method: "PATCH",
          headers: { Authorization: `Bearer ${emu.scimToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "add", path: "members", value: [{ value: tom!.id }] }],
          }),
        });
    }
    const token = emu.issueToken({
      kind: "user",
      userEmail: "tom.garcia@acme.test",
      scopes: ["org:read", "member:read", "member:invite", "team:read", "project:read"],
    });
    const sentry = clientWith(token);
    const setupWrites = writesOf(emu).length;
    const config = await dumped(sentry);
    config.teams["contractors-q1"] = { name: "Q1", projects: [] };
    config.members["dara.okafor@acme.test"] = { ...config.members["dara.okafor@acme.test"]!, role: "owner" };
    config.members["new.boss@acme.test"] = { role: "manager" };
    config.members["alex.nguyen@acme.test"] = { role: "member", teams: { mobile: {} } };
    const plan = await planAccess(sentry, config, opts);
    expect(plan.capabilities).toMatchObject({ tokenKind: "user", callerEmail: "tom.garcia@acme.test", callerRole: "member" });
    expect(plan.changes).toEqual([]);
    const reasons = Object.fromEntries(plan.blocked.map((b) => [`${b.kind} ${b.action} ${b.subject}`, b.reason]));
    expect(reasons["team create contractors-q1"]).toMatch(/lacks org:admin or org:write or team:write/);
    expect(reasons["member update dara.okafor@acme.test"]).toMatch(/member:admin/);
    expect(reasons["member invite new.boss@acme.test"]).toMatch(/cannot invite with the higher manager role/);
    expect(reasons["team-member add mobile/alex.nguyen@acme.test"]).toMatch(/access request/);
    expect(writesOf(emu).slice(setupWrites)).toEqual([]);
    // The predictions hold: sent anyway, Sentry (the emulator's permission model) refuses every one of them.
    const forced = await applyAccessPlan(sentry, { ...plan, changes: plan.blocked, blocked: [] }, { checkFingerprint: false, concurrency: 1 });
    expect(forced.applied.map((c) => c.subject)).toEqual([]);
    expect(forced.failed.length + forced.skipped.length).toBe(plan.blocked.length);
  });

  it("an integration token: role changes need a user token, invites only as member", async () => {
    const { emu, clientWith } = harness();
    const token = emu.issueToken({ kind: "integration", scopes: ["org:write", "member:admin", "team:admin", "project:admin"] });
    const sentry = clientWith(token);
    const config = await dumped(sentry);
    config.members["dara.okafor@acme.test"] = { ...config.members["dara.okafor@acme.test"]!, role: "owner" };
    config.members["new.boss@acme.test"] = { role: "manager" };
    config.members["new.dev@acme.test"] = { role: "member" };
    const plan = await planAccess(sentry, config, opts);
    expect(plan.capabilities.tokenKind).toBe("integration");
    expect(summary(plan)).toEqual(["member invite new.dev@acme.test"]);
    const reasons = Object.fromEntries(plan.blocked.map((b) => [b.subject, b.reason]));
    expect(reasons["dara.okafor@acme.test"]).toMatch(/need a user token/);
    expect(reasons["new.boss@acme.test"]).toMatch(/integration tokens may invite only with the member role/);
    const report = await applyAccessPlan(sentry, plan);
    expect(report.failed).toEqual([]);
    const forced = await applyAccessPlan(sentry, { ...plan, changes: plan.blocked, blocked: [] }, { checkFingerprint: false, concurrency: 1 });
    expect(forced.applied.map((c) => c.subject)).toEqual([]);
  });
});
