import { afterEach, describe, expect, it } from "vitest";
import {
  applyAccessPlan,
  dumpAccess,
  formatAccessConfig,
  isAccessFileError,
  isAccessPlanError,
  parseAccessConfig,
  planAccess,
} from "../../../src/recipes/index.js";
import type { AccessConfig, AccessPlan } from "../../../src/recipes/index.js";
import { closeClients, harness, thrown } from "../../resources/helpers.js";
import { NOW, outside, readBack, writesOf } from "./helpers.js";

afterEach(closeClients);

const opts = { now: NOW };
const idOf = (emu: ReturnType<typeof harness>["emu"], email: string) => emu.state.members.find((m) => m.email === email)?.id ?? "";

async function dumped(sentry: ReturnType<typeof harness>["sentry"]): Promise<AccessConfig> {
  return parseAccessConfig(formatAccessConfig(await dumpAccess(sentry), "yaml"));
}

const summary = (plan: AccessPlan) => plan.changes.map((c) => `${c.kind} ${c.action} ${c.subject}`);

describe("round trip on the demo fixture", () => {
  it("dump → plan shows zero changes (pending invites, teams without projects, IdP-owned objects), in YAML and JSON", async () => {
    const { sentry, emu } = harness();
    const config = await dumpAccess(sentry);
    for (const format of ["yaml", "json"] as const) {
      const plan = await planAccess(sentry, parseAccessConfig(formatAccessConfig(config, format)), opts);
      expect(plan.changes).toEqual([]);
      expect(plan.blocked).toEqual([]);
      expect(plan.idpOwned).toEqual([]);
      expect(plan.violations).toEqual([]);
      expect(plan.pending.map((p) => p.email)).toContain("new.hire@acme.test");
      expect(plan.pending.map((p) => p.email)).toContain("scim.user2@acme.test");
    }
    expect(config.teams["okta-engineering"]).toEqual({ name: "okta-engineering", projects: [] });
    expect(config.members["new.hire@acme.test"]).toEqual({ role: "member" });
    // Expired invites are dead (Sentry removes them): left out of the dump.
    expect(config.members["expired.one@acme.test"]).toBeUndefined();
    expect(writesOf(emu)).toEqual([]);
  });

  it("reads with list calls only: teams, members, and the member lists of non-empty teams", async () => {
    const { sentry, seen } = harness();
    const plan = await planAccess(sentry, await dumped(sentry), opts);
    const paths = seen.filter((r) => r.method === "GET").map((r) => r.path);
    expect(paths.filter((p) => /\/members\/\d+\/$/.test(p))).toEqual([]);
    // The dump read the same pages as the plan, which also read the API root once.
    expect(paths.length).toBe(plan.stats.requests * 2 - 1);
    expect(paths.filter((p) => p === "/api/0/")).toHaveLength(1);
  });
});

describe("drift made outside", () => {
  it("plans again what was removed, demoted or deleted, and apply converges (read back with plain fetch)", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    const before = await readBack(emu);
    expect(await outside(emu, "DELETE", `/api/0/organizations/acme/members/${idOf(emu, "carla.contractor@vendor.test")}/`)).toBe(204);
    expect(
      await outside(emu, "PUT", `/api/0/organizations/acme/members/${idOf(emu, "chen.nguyen@acme.test")}/`, {
        orgRole: "member",
        teamRoles: [
          { teamSlug: "mobile", role: null },
          { teamSlug: "notifications", role: null },
        ],
      }),
    ).toBe(200);
    expect(await outside(emu, "DELETE", "/api/0/teams/acme/payments/")).toBe(204);
    expect(await outside(emu, "POST", "/api/0/organizations/acme/members/", { email: "intruder@elsewhere.test", orgRole: "member" })).toBe(201);
    const plan = await planAccess(sentry, config, opts);
    const lines = summary(plan);
    expect(lines).toContain("member invite carla.contractor@vendor.test");
    expect(lines).toContain("member update chen.nguyen@acme.test");
    expect(lines).toContain("team create payments");
    expect(lines).toContain("project-team add payments/payment-api");
    expect(lines).toContain("team-member add payments/ada.smith@acme.test");
    expect(plan.unmanaged).toContainEqual({ kind: "member", subject: "intruder@elsewhere.test", detail: "member, pending invite" });
    const report = await applyAccessPlan(sentry, plan);
    expect(report.failed).toEqual([]);
    const after = await readBack(emu);
    expect(after.teams).toEqual(before.teams);
    expect(after.members["chen.nguyen@acme.test"]).toEqual(before.members["chen.nguyen@acme.test"]);
    for (const [email, m] of Object.entries(before.members)) {
      if (email === "carla.contractor@vendor.test") expect(after.members[email]).toMatchObject({ role: "member", pending: true });
      else if (!m.pending) expect(after.members[email]).toEqual(m);
    }
    const again = await planAccess(sentry, config, opts);
    expect(again.changes).toEqual([]);
  });

  it("authoritative mode removes undeclared members and withdraws their invites", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    delete config.members["tom.garcia@acme.test"];
    delete config.members["stale.invite@acme.test"];
    const plan = await planAccess(sentry, { ...config, policy: { ...config.policy, members: "authoritative" } }, opts);
    // Expired invites are not in a dump either: authoritative mode withdraws them too.
    expect(summary(plan).sort()).toEqual([
      "member remove expired.one@acme.test",
      "member remove expired.two@vendor.test",
      "member remove stale.invite@acme.test",
      "member remove tom.garcia@acme.test",
    ]);
    const report = await applyAccessPlan(sentry, plan);
    expect(report.failed).toEqual([]);
    const after = await readBack(emu);
    expect(after.members["tom.garcia@acme.test"]).toBeUndefined();
    expect(after.members["stale.invite@acme.test"]).toBeUndefined();
  });
});

describe("IdP-owned objects", () => {
  it("never changes an IdP team or member; lists the differences under idpOwned; still links IdP teams to projects", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    const okta = config.teams["okta-engineering"];
    config.teams["okta-engineering"] = { name: "Okta Engineering", projects: ["infra-monitoring"] };
    expect(okta).toBeDefined();
    const idpMember = emu.state.members.find((m) => m.flags["idp:provisioned"] && !m.pending)?.email ?? "";
    delete config.members[idpMember];
    config.members["scim.user2@acme.test"] = { role: "member" };
    config.members["tom.garcia@acme.test"] = { role: "member", teams: { ...config.members["tom.garcia@acme.test"]?.teams, "okta-engineering": {} } };
    const policy = { ...config.policy, members: "authoritative" as const, teams: "authoritative" as const, ignore: { members: ["expired.*"], teams: [] } };
    const plan = await planAccess(sentry, { ...config, policy }, opts);
    expect(summary(plan)).toEqual(["project-team add okta-engineering/infra-monitoring"]);
    expect(plan.idpOwned.map((e) => `${e.kind} ${e.subject}`).sort()).toEqual(
      [`member ${idpMember}`, "member scim.user2@acme.test", "team okta-engineering", "team-member okta-engineering/tom.garcia@acme.test"].sort(),
    );
    const report = await applyAccessPlan(sentry, plan);
    expect(report.failed).toEqual([]);
    expect(writesOf(emu)).toEqual(["POST /api/0/projects/acme/infra-monitoring/teams/okta-engineering/"]);
    expect((await readBack(emu)).teams["okta-engineering"]).toEqual({ name: "okta-engineering", projects: ["infra-monitoring"], idp: true });
  });
});

describe("safety rails", () => {
  const refused = async (mutate: (c: AccessConfig) => AccessConfig, rail: string) => {
    const { sentry, emu } = harness();
    const plan = await planAccess(sentry, mutate(await dumped(sentry)), opts);
    expect(plan.violations.map((v) => v.rail)).toContain(rail);
    const error = await thrown(() => applyAccessPlan(sentry, plan));
    expect(isAccessPlanError(error) && error.code).toBe("rails");
    expect(writesOf(emu)).toEqual([]);
    return plan;
  };

  it("minOwners: demoting one of the two owners is refused", async () => {
    const plan = await refused(
      (c) => ({ ...c, members: { ...c.members, "ben.garcia@acme.test": { role: "manager", teams: c.members["ben.garcia@acme.test"]?.teams ?? {} } } }),
      "minOwners",
    );
    expect(plan.violations[0]?.message).toMatch(/leaves 1 owner/);
  });

  it("requiredOwners: a required owner who would not be one is refused", async () => {
    await refused((c) => ({ ...c, policy: { ...c.policy, minOwners: 1, requiredOwners: ["chen.nguyen@acme.test"] } }), "requiredOwners");
  });

  it("maxRemovals as a share and as a count", async () => {
    const drop = (c: AccessConfig, n: number) => {
      const emails = Object.keys(c.members)
        .filter((e) => e.endsWith("@acme.test") && c.members[e]?.role !== "owner" && !e.startsWith("scim"))
        .slice(0, n);
      for (const e of emails) delete c.members[e];
      return { ...c, policy: { ...c.policy, members: "authoritative" as const, ignore: { members: ["*@vendor.test", "expired.*"], teams: [] } } };
    };
    const share = await refused((c) => drop(c, 12), "maxRemovals");
    expect(share.violations[0]?.message).toMatch(/removes 1\d of 41 members; policy.maxRemovals allows 25% \(10\)/);
    await refused((c) => {
      const out = drop(c, 3);
      return { ...out, policy: { ...out.policy, maxRemovals: { count: 2 } } };
    }, "maxRemovals");
  });

  it("never removes or demotes the calling user", async () => {
    await refused((c) => {
      const m = { ...c.members };
      delete m["ada.smith@acme.test"];
      return { ...c, members: m, policy: { ...c.policy, members: "authoritative" } };
    }, "self");
    await refused((c) => ({ ...c, members: { ...c.members, "ada.smith@acme.test": { role: "manager", teams: {} } } }), "self");
  });
});

describe("projects and tokens", () => {
  it("reads the project list only for a project no team has; a link to a project that does not exist is an error of the file", async () => {
    const { sentry, seen } = harness();
    const config = await dumped(sentry);
    const before = seen.filter((r) => r.path.endsWith("/projects/")).length;
    await planAccess(sentry, config, opts);
    expect(seen.filter((r) => r.path.endsWith("/projects/")).length).toBe(before);
    config.teams.platform = { ...config.teams.platform, projects: [...(config.teams.platform?.projects ?? []), "legacy-reports"] };
    const plan = await planAccess(sentry, config, opts);
    expect(seen.filter((r) => r.path === "/api/0/organizations/acme/projects/").length).toBe(before + 1);
    expect(summary(plan)).toEqual(["project-team add platform/legacy-reports"]);
    // Built in code, the config has no line numbers: the issue names the path.
    config.teams.platform = { ...config.teams.platform, projects: [...(config.teams.platform?.projects ?? []), "no-such-project"] };
    const error = await thrown(() => planAccess(sentry, config, opts));
    expect(isAccessFileError(error) && error.body).toEqual({
      issues: [{ path: "teams.platform.projects[3]", line: 0, column: 0, message: 'there is no project "no-such-project" in acme' }],
    });
  });

  it("refuses an org auth token before reading anything else", async () => {
    const { emu, clientWith } = harness();
    const sentry = clientWith(emu.issueToken({ kind: "org", scopes: ["org:ci"] }));
    const error = await thrown(() => planAccess(sentry, parseAccessConfig("version: 1\norganization: acme\n"), opts));
    expect(isAccessPlanError(error) && error.code).toBe("token");
    expect(emu.state.requests.map((r) => r.path)).toEqual(["/api/0/"]);
  });
});

describe("saved plans", () => {
  it("refuses a stale plan (fingerprint) and changes nothing; a fresh plan applies", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    config.teams["contractors-q1"] = { name: "Q1 Contractors", projects: ["mobile-redesign"] };
    const saved = JSON.parse(JSON.stringify(await planAccess(sentry, config, opts))) as AccessPlan;
    expect(await outside(emu, "PUT", `/api/0/organizations/acme/members/${idOf(emu, "tom.garcia@acme.test")}/`, { orgRole: "manager", teamRoles: [] })).toBe(
      200,
    );
    const writes = writesOf(emu).length;
    const error = await thrown(() => applyAccessPlan(sentry, saved));
    expect(isAccessPlanError(error) && error.code).toBe("stale-plan");
    expect(writesOf(emu).length).toBe(writes);
    const fresh = await planAccess(sentry, config, opts);
    const report = await applyAccessPlan(sentry, JSON.parse(JSON.stringify(fresh)) as AccessPlan);
    expect(report.failed).toEqual([]);
    expect((await readBack(emu)).teams["contractors-q1"]).toEqual({ name: "Q1 Contractors", projects: ["mobile-redesign"], idp: false });
  });

  it("--dry-run reads but sends no write", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    config.teams["contractors-q1"] = { name: "Q1", projects: [] };
    const plan = await planAccess(sentry, config, opts);
    const report = await applyAccessPlan(sentry, plan, { dryRun: true });
    expect(report.skipped.map((s) => s.reason)).toEqual(plan.changes.map(() => "dry run"));
    expect(writesOf(emu)).toEqual([]);
  });
});

describe("team roles set by an integration token (organization_member_utils.py can_admin_team)", () => {
  it("plans and applies a team-role change with member:write alone: the integration is a member of every team", async () => {
    const { emu, clientWith } = harness({
      fixture: {
        org: { slug: "acme" },
        teams: [{ slug: "web" }],
        members: [
          { email: "owner@acme.test", orgRole: "owner" as const },
          { email: "dev@acme.test", orgRole: "member" as const, teams: [{ team: "web" }] },
        ],
      },
    });
    const sentry = clientWith(emu.issueToken({ kind: "integration", scopes: ["org:read", "member:write", "team:read", "project:read"] }));
    const plan = await planAccess(
      sentry,
      parseAccessConfig(
        [
          "version: 1",
          "organization: acme",
          "teams:",
          "  web: {}",
          "members:",
          "  owner@acme.test: { role: owner }",
          "  dev@acme.test: { role: member, teams: { web: admin } }",
          "",
        ].join("\n"),
      ),
      opts,
    );
    expect(summary(plan)).toEqual(["team-member update web/dev@acme.test"]);
    expect(plan.blocked).toEqual([]);
    expect((await applyAccessPlan(sentry, plan)).failed).toEqual([]);
    expect((await readBack(emu)).members["dev@acme.test"]?.teams).toEqual({ web: "admin" });
  });
});

describe("open membership (Sentry's allow_joinleave)", () => {
  // organization_member_team_details.py `_can_create_team_member`: `access.has_global_access or can_admin_team`,
  // and a member's has_global_access is true in an org with open membership (src/sentry/auth/access.py).
  const fixture = (openMembership: boolean) => ({
    org: { slug: "acme", openMembership },
    teams: [{ slug: "web" }, { slug: "api" }],
    members: [
      { email: "owner@acme.test", orgRole: "owner" as const, teams: [{ team: "web" }, { team: "api" }] },
      { email: "dev@acme.test", orgRole: "member" as const, teams: [{ team: "web" }] },
      { email: "ops@acme.test", orgRole: "member" as const, teams: [{ team: "api" }] },
    ],
  });
  const config = (yaml: string) => parseAccessConfig(`version: 1\norganization: acme\nteams:\n  web: {}\n  api: {}\nmembers:\n${yaml}`);
  const declared = config(
    [
      "  owner@acme.test: { role: owner, teams: { web: contributor, api: contributor } }",
      "  dev@acme.test: { role: member, teams: { web: contributor, api: contributor } }",
      "  ops@acme.test: { role: member, teams: { api: contributor } }",
      "",
    ].join("\n"),
  );

  it("lets a member-role token add another member to any team, and the apply lands", async () => {
    const { emu, clientWith } = harness({ fixture: fixture(true) });
    const sentry = clientWith(emu.issueToken({ kind: "user", scopes: ["org:read", "member:read", "team:read", "project:read"], userEmail: "ops@acme.test" }));
    const plan = await planAccess(sentry, declared, opts);
    expect(summary(plan)).toEqual(["team-member add api/dev@acme.test"]);
    expect(plan.blocked).toEqual([]);
    const result = await applyAccessPlan(sentry, plan);
    expect(result.failed).toEqual([]);
    expect(writesOf(emu)).toEqual([`POST /api/0/organizations/acme/members/${idOf(emu, "dev@acme.test")}/teams/api/`]);
    expect(Object.keys((await readBack(emu)).members["dev@acme.test"]?.teams ?? {}).sort()).toEqual(["api", "web"]);
  });

  it("lets a member-role token invite someone into a team it is not on (test_organization_member_index.py test_member_invites)", async () => {
    const { emu, clientWith } = harness({ fixture: fixture(true) });
    const sentry = clientWith(
      emu.issueToken({ kind: "user", scopes: ["org:read", "member:read", "member:invite", "team:read", "project:read"], userEmail: "dev@acme.test" }),
    );
    const plan = await planAccess(
      sentry,
      config(
        [
          "  owner@acme.test: { role: owner, teams: { web: contributor, api: contributor } }",
          "  dev@acme.test: { role: member, teams: { web: contributor } }",
          "  ops@acme.test: { role: member, teams: { api: contributor } }",
          "  new@acme.test: { role: member, teams: { api: contributor } }",
          "",
        ].join("\n"),
      ),
      opts,
    );
    expect(plan.blocked).toEqual([]);
    expect((await applyAccessPlan(sentry, plan)).failed).toEqual([]);
    expect((await readBack(emu)).members["new@acme.test"]).toMatchObject({ pending: true, teams: { api: expect.anything() } });
  });

  it("still blocks it for a member who is on every team of a closed-membership org (an access request, not a join)", async () => {
    const closed = fixture(false);
    closed.members[2] = { email: "ops@acme.test", orgRole: "member", teams: [{ team: "web" }, { team: "api" }] };
    const { emu, clientWith } = harness({ fixture: closed });
    const sentry = clientWith(emu.issueToken({ kind: "user", scopes: ["org:read", "member:read", "team:read", "project:read"], userEmail: "ops@acme.test" }));
    const plan = await planAccess(
      sentry,
      config(
        [
          "  owner@acme.test: { role: owner, teams: { web: contributor, api: contributor } }",
          "  dev@acme.test: { role: member, teams: { web: contributor, api: contributor } }",
          "  ops@acme.test: { role: member, teams: { web: contributor, api: contributor } }",
          "",
        ].join("\n"),
      ),
      opts,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.blocked).toEqual([expect.objectContaining({ subject: "api/dev@acme.test", reason: expect.stringMatching(/access request/) })]);
  });
});
