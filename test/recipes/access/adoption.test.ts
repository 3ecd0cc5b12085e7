// Issue 21 at the recipe level: unmanaged teams' memberships, and team roles the org role implies.
import { afterEach, describe, expect, it } from "vitest";
import { applyAccessPlan, dumpAccess, formatAccessConfig, parseAccessConfig, planAccess, renderPlanMarkdown } from "../../../src/recipes/index.js";
import type { AccessConfig, AccessPlan } from "../../../src/recipes/index.js";
import { closeClients, harness } from "../../resources/helpers.js";
import { NOW, outside, readBack } from "./helpers.js";

afterEach(closeClients);

const opts = { now: NOW };
const summary = (plan: AccessPlan) => plan.changes.map((c) => `${c.kind} ${c.action} ${c.subject}`);
const idOf = (emu: ReturnType<typeof harness>["emu"], email: string) => emu.state.members.find((m) => m.email === email)?.id ?? "";

async function dumped(sentry: ReturnType<typeof harness>["sentry"]): Promise<AccessConfig> {
  return parseAccessConfig(formatAccessConfig(await dumpAccess(sentry), "yaml"));
}

/** A team made outside the file, with `emails` on it. */
async function outsideTeam(emu: ReturnType<typeof harness>["emu"], slug: string, emails: string[]): Promise<void> {
  expect(await outside(emu, "POST", "/api/0/organizations/acme/teams/", { slug, name: slug })).toBe(201);
  for (const email of emails) expect(await outside(emu, "POST", `/api/0/organizations/acme/members/${idOf(emu, email)}/teams/${slug}/`)).toBe(201);
}

describe("memberships of a team the file does not declare are unmanaged too", () => {
  it("additive: a declared member's teams map not listing the unmanaged team plans no removal from it", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    await outsideTeam(emu, "skunkworks", ["alex.nguyen@acme.test", "kai.rossi@acme.test"]);
    const plan = await planAccess(sentry, config, opts);
    expect(plan.unmanaged).toContainEqual(expect.objectContaining({ kind: "team", subject: "skunkworks" }));
    expect(summary(plan).filter((line) => line.includes("skunkworks"))).toEqual([]);
  });

  it("ignored: the same, whatever the teams mode", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    await outsideTeam(emu, "skunkworks", ["alex.nguyen@acme.test"]);
    const plan = await planAccess(
      sentry,
      { ...config, policy: { ...config.policy, teams: "authoritative", ignore: { members: [], teams: ["skunk*"] } } },
      opts,
    );
    expect(summary(plan).filter((line) => line.includes("skunkworks"))).toEqual([]);
  });

  it("a demotion keeps the member on the unmanaged team (Sentry's PUT replaces the team set)", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    await outsideTeam(emu, "skunkworks", ["chen.nguyen@acme.test"]);
    const chen = config.members["chen.nguyen@acme.test"];
    const plan = await planAccess(
      sentry,
      { ...config, members: { ...config.members, "chen.nguyen@acme.test": { role: "member", teams: chen?.teams ?? {} } } },
      opts,
    );
    expect(summary(plan)).toContain("member update chen.nguyen@acme.test");
    expect(summary(plan).filter((line) => line.includes("skunkworks"))).toEqual([]);
    const report = await applyAccessPlan(sentry, plan);
    expect(report.failed).toEqual([]);
    const after = (await readBack(emu)).members["chen.nguyen@acme.test"];
    expect(after?.role).toBe("member");
    expect(Object.keys(after?.teams ?? {}).sort()).toEqual(["mobile", "notifications", "skunkworks"]);
  });

  it("once the team is declared, its memberships are managed", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    await outsideTeam(emu, "skunkworks", ["alex.nguyen@acme.test"]);
    const plan = await planAccess(sentry, { ...config, teams: { ...config.teams, skunkworks: {} } }, opts);
    expect(summary(plan)).toContain("team-member remove skunkworks/alex.nguyen@acme.test");
  });
});

describe("team roles implied by the org role", () => {
  it("a promotion to manager plans no separate team-role step; the member change says what it implies", async () => {
    const { sentry, emu } = harness();
    const config = await dumped(sentry);
    const alex = config.members["alex.nguyen@acme.test"];
    expect(alex?.teams).toEqual({ identity: { role: "contributor" } });
    const promoted = { ...config, members: { ...config.members, "alex.nguyen@acme.test": { ...alex, role: "manager" as const } } };
    const plan = await planAccess(sentry, promoted, opts);
    expect(summary(plan)).toEqual(["member update alex.nguyen@acme.test"]);
    expect(plan.changes[0]?.note).toBe(
      "team role admin on identity comes with the manager org role (Sentry's minimum team role for it), not a step of its own",
    );
    // The file says contributor, which Sentry cannot keep for a manager: the plan says so.
    expect(plan.notes.join("\n")).toMatch(/members\.alex\.nguyen@acme\.test\.teams\.identity says contributor/);
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toMatch(/^! member alex\.nguyen@acme\.test update role member → manager\n {4}note: team role admin on identity comes with/m);
    expect(markdown).toMatch(/\*\*Notes\*\*\n\n- members\.alex\.nguyen@acme\.test\.teams\.identity says contributor/);
    expect((await applyAccessPlan(sentry, plan)).failed).toEqual([]);
    expect((await readBack(emu)).members["alex.nguyen@acme.test"]?.role).toBe("manager");
    expect((await planAccess(sentry, promoted, opts)).changes).toEqual([]);
  });
});
