/**
 * The one executor, on the emulator: run order, "already done" notes, dependants skipped, rollback of only what may
 * have acted, progress events, abort, and the refusals (rails, stale plan) before any write.
 */
import { afterEach, describe, expect, it } from "vitest";
import { isAccessPlanError, isSentryError } from "../../../src/index.js";
import { executePlan, type Change, type ChangeProgress, type ReconcilePlan } from "../../../src/recipes/engine/index.js";
import { closeClients, harness, thrown } from "../../resources/helpers.js";

afterEach(closeClients);

const plan = (changes: Change[], extra: Partial<ReconcilePlan> = {}): ReconcilePlan => ({
  changes,
  blocked: [],
  idpOwned: [],
  violations: [],
  fingerprint: "",
  ...extra,
});
const team = (slug: string): Change => ({ kind: "team", action: "create", subject: slug, team: slug, name: slug });
const link = (slug: string, project: string, action: "add" | "remove" = "add"): Change => ({
  kind: "project-team",
  action,
  subject: `${slug}/${project}`,
  team: slug,
  project,
});
const invite = (email: string): Change => ({ kind: "member", action: "invite", subject: email, email, to: "member", teamRoles: [] });
const writes = (seen: Array<{ method: string; path: string }>) => seen.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

describe("executePlan", () => {
  it("runs a phased plan in the engine's order (creates before links before removals), whatever the given order", async () => {
    const { sentry, seen } = harness();
    const report = await executePlan(sentry, plan([link("platform", "web-frontend", "remove"), link("ops", "web-frontend"), team("ops")]));
    expect(report.failed).toEqual([]);
    expect(writes(seen)).toEqual([
      "POST /api/0/organizations/acme/teams/",
      "POST /api/0/projects/acme/web-frontend/teams/ops/",
      "DELETE /api/0/projects/acme/web-frontend/teams/platform/",
    ]);
  });

  it("notes a change found already done instead of failing it", async () => {
    const { sentry } = harness();
    const report = await executePlan(sentry, plan([team("payments"), link("payments", "payment-api")]));
    expect(report.failed).toEqual([]);
    expect(report.applied.map((c) => c.note)).toEqual(["the team existed already", undefined]);
  });

  it("skips the changes that need a team whose creation failed, and goes on with the others", async () => {
    const { sentry, emu } = harness({ faults: { script: [{ operation: "createOrganizationTeam", nth: 1, fault: 500, after: "before" }] } });
    const report = await executePlan(
      sentry,
      plan([team("ops"), link("ops", "web-frontend"), link("ops", "web-frontend", "remove"), link("mobile", "legacy-reports")]),
      { order: "as-given" },
    );
    expect(report.failed.map((f) => f.step?.subject)).toEqual(["ops"]);
    expect(report.skipped.map((s) => [s.change.subject, s.reason])).toEqual([
      ["ops/web-frontend", "team ops could not be created"],
      ["ops/web-frontend", "team ops could not be created"],
    ]);
    expect(report.applied.map((c) => c.subject)).toEqual(["mobile/legacy-reports"]);
    expect(emu.state.projects.find((p) => p.slug === "legacy-reports")?.teams).toContain("mobile");
  });

  it("rollback undoes what this run made, newest first, and leaves what a refusal proves is someone else's", async () => {
    const { sentry, emu } = harness();
    // carla is a member already: the exclusive invite is refused (not ours), so only the team and link are undone.
    const report = await executePlan(sentry, plan([team("ops"), link("ops", "web-frontend"), invite("carla.contractor@vendor.test")]), {
      order: "as-given",
      onFailure: "rollback",
    });
    expect(report.failed.map((f) => [f.phase, f.step?.subject])).toEqual([["apply", "carla.contractor@vendor.test"]]);
    expect(report.rolledBack.map((c) => c.subject)).toEqual(["ops/web-frontend", "ops"]);
    expect(report.leftBehind).toEqual([]);
    expect(emu.state.teams.some((t) => t.slug === "ops")).toBe(false);
    expect(emu.state.members.some((m) => m.email === "carla.contractor@vendor.test")).toBe(true);
  });

  it("rollback also undoes a failed change whose answer was lost (it may have acted)", async () => {
    const { sentry, emu } = harness({ faults: { script: [{ operation: "addOrganizationMember", nth: 1, fault: "drop", after: "commit" }] } });
    const report = await executePlan(sentry, plan([team("ops"), invite("new.person@vendor.test")]), { order: "as-given", onFailure: "rollback" });
    expect(report.failed).toHaveLength(1);
    expect(report.rolledBack.map((c) => c.subject)).toEqual(["ops"]);
    expect(emu.state.members.some((m) => m.email === "new.person@vendor.test")).toBe(false);
  });

  it("stop leaves what it made for a re-run to finish", async () => {
    const { sentry } = harness({ faults: { script: [{ operation: "addProjectTeam", nth: 1, fault: 503, after: "before" }] } });
    const report = await executePlan(sentry, plan([team("ops"), link("ops", "web-frontend"), link("ops", "auth-service")]), {
      order: "as-given",
      onFailure: "stop",
    });
    expect(report.leftBehind.map((c) => c.subject)).toEqual(["ops"]);
    expect(report.skipped.map((s) => [s.change.subject, s.reason])).toEqual([["ops/auth-service", "not started: an earlier change failed"]]);
  });

  it("announces each change as it starts and ends", async () => {
    const { sentry } = harness();
    const events: ChangeProgress[] = [];
    await executePlan(sentry, plan([team("ops"), link("ops", "web-frontend")]), { onProgress: (p) => events.push(p) });
    expect(events.map((e) => `${e.phase}:${e.status}:${e.change.subject}:${e.done}/${e.total}`)).toEqual([
      "apply:started:ops:0/2",
      "apply:applied:ops:1/2",
      "apply:started:ops/web-frontend:1/2",
      "apply:applied:ops/web-frontend:2/2",
    ]);
  });

  it("an abort stops starting changes; a rollback run undoes what it made", async () => {
    const { sentry, emu } = harness();
    const controller = new AbortController();
    const report = await executePlan(sentry, plan([team("ops"), link("ops", "web-frontend")]), {
      order: "as-given",
      onFailure: "rollback",
      signal: controller.signal,
      onProgress: (p) => {
        if (p.status === "applied") controller.abort();
      },
    });
    expect(report.aborted).toBe(true);
    expect(report.skipped.map((s) => [s.change.subject, s.reason])).toEqual([["ops/web-frontend", "aborted"]]);
    expect(report.rolledBack.map((c) => c.subject)).toEqual(["ops"]);
    expect(emu.state.teams.some((t) => t.slug === "ops")).toBe(false);
  });

  it("refuses a plan that breaks a rail, and a stale plan, before any write", async () => {
    const { sentry, seen } = harness();
    const rails = await thrown(() => executePlan(sentry, plan([team("ops")], { violations: [{ rail: "maxRemovals", message: "too many" }] })));
    expect(isAccessPlanError(rails) && rails.code).toBe("rails");
    const stale = await thrown(() => executePlan(sentry, plan([team("ops")], { fingerprint: "sha256:old" }), { currentFingerprint: async () => "sha256:new" }));
    expect(isAccessPlanError(stale) && stale.code).toBe("stale-plan");
    expect(isSentryError(stale)).toBe(true);
    expect(seen).toEqual([]);
  });
});
