import { afterEach, describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { isolateTeams, teamNameFromSlug } from "../../../src/recipes/isolation/isolate-teams.js";
import type { FaultKind, FaultTiming } from "../../../src/testing/index.js";
import { closeClients, harness, thrown } from "../../resources/helpers.js";
import { accessState, writes } from "../shared/org-state.js";

afterEach(closeClients);

// In the demo org payments already holds payment-api and billing-worker; web-frontend is held by platform and identity.
const TEAMS = { payments: ["payment-api", "billing-worker"], identity: ["auth-service", "web-frontend"], checkout: ["payment-api"] };
const PLAN = [
  { action: "create-team", team: "checkout" },
  { action: "add-project-team", team: "checkout", project: "payment-api" },
  { action: "remove-project-team", team: "platform", project: "web-frontend" },
];

describe("isolateTeams", () => {
  it("names teams as the seed does", () => {
    expect(teamNameFromSlug("payments")).toBe("Payments Team");
    expect(teamNameFromSlug("mobile-apps")).toBe("Mobile Apps Team");
  });

  it("dry run returns the plan and changes nothing", async () => {
    const { sentry, emu } = harness();
    const before = accessState(emu);
    const report = await isolateTeams(sentry, TEAMS, { exclusive: true, dryRun: true });
    expect(report).toEqual({ planned: PLAN, applied: [], skipped: [], errors: [], dryRun: true });
    expect(accessState(emu)).toEqual(before);
    expect(writes(emu)).toEqual([]);
  });

  it("without exclusive it only adds", async () => {
    const { sentry } = harness();
    const report = await isolateTeams(sentry, TEAMS, { dryRun: true });
    expect(report.planned).toEqual(PLAN.slice(0, 2));
  });

  it("applies the plan, names new teams from the slug (or teamNames), and a second run changes nothing", async () => {
    const { sentry, emu } = harness();
    const progress: number[] = [];
    const report = await isolateTeams(sentry, TEAMS, { exclusive: true, onProgress: (p) => progress.push(p.done) });
    expect(report.applied).toEqual(PLAN);
    expect(report.errors).toEqual([]);
    expect(progress).toEqual([0, 0, 1, 2]);
    const state = emu.state;
    expect(state.teams.find((t) => t.slug === "checkout")?.name).toBe("Checkout Team");
    expect([...(state.projects.find((p) => p.slug === "payment-api")?.teams ?? [])].sort()).toEqual(["checkout", "payments"]);
    expect(state.projects.find((p) => p.slug === "web-frontend")?.teams).toEqual(["identity"]);
    const after = accessState(emu);
    const again = await isolateTeams(sentry, TEAMS, { exclusive: true });
    expect(again).toEqual({ planned: [], applied: [], skipped: [], errors: [], dryRun: false });
    expect(accessState(emu)).toEqual(after);

    const named = harness();
    await isolateTeams(named.sentry, { growth: ["mobile-redesign"] }, { teamNames: { growth: "Growth Squad" } });
    expect(named.emu.state.teams.find((t) => t.slug === "growth")?.name).toBe("Growth Squad");
  });

  const FAULTS: Array<[string, "createOrganizationTeam" | "addProjectTeam" | "deleteProjectTeam", FaultTiming, FaultKind]> = [
    ["team creation", "createOrganizationTeam", "before", 503],
    ["team creation", "createOrganizationTeam", "commit", 503],
    ["project link", "addProjectTeam", "before", 503],
    ["project link", "addProjectTeam", "commit", "drop"],
    ["revoking other access", "deleteProjectTeam", "before", 502],
    ["revoking other access", "deleteProjectTeam", "commit", 503],
  ];
  for (const [label, operation, after, fault] of FAULTS) {
    it(`a fault at ${label} (${String(fault)}, ${after}) is reported, independent steps go on, and a re-run converges`, async () => {
      const { sentry, emu } = harness({ faults: { script: [{ operation, nth: 1, fault, after }] } });
      const report = await isolateTeams(sentry, TEAMS, { exclusive: true });
      expect(report.errors).toHaveLength(1);
      const failedStep = { createOrganizationTeam: PLAN[0], addProjectTeam: PLAN[1], deleteProjectTeam: PLAN[2] }[operation];
      expect(report.errors[0]?.step).toEqual(failedStep);
      // Revoking web-frontend's other team does not depend on the checkout steps.
      if (operation !== "deleteProjectTeam") expect(report.applied).toContainEqual(PLAN[2]);
      if (operation === "createOrganizationTeam") {
        expect(report.skipped).toEqual([{ step: PLAN[1], subject: "payment-api", reason: "team checkout could not be created" }]);
      }
      const rerun = await isolateTeams(sentry, TEAMS, { exclusive: true });
      expect(rerun.errors).toEqual([]);
      const clean = harness();
      await isolateTeams(clean.sentry, TEAMS, { exclusive: true });
      expect(accessState(emu)).toEqual(accessState(clean.emu));
    });
  }

  it("does not revoke other teams of a project whose owner link failed", async () => {
    const { sentry, emu } = harness({ faults: { script: [{ operation: "addProjectTeam", nth: 1, fault: 503 }] } });
    const report = await isolateTeams(sentry, { payments: ["infra-monitoring"] }, { exclusive: true });
    expect(report.errors.map((e) => e.step)).toEqual([{ action: "add-project-team", team: "payments", project: "infra-monitoring" }]);
    expect(report.skipped.map((s) => s.step)).toEqual([{ action: "remove-project-team", team: "platform", project: "infra-monitoring" }]);
    expect(emu.state.projects.find((p) => p.slug === "infra-monitoring")?.teams).toEqual(["platform"]);
  });

  it("reports a project that does not exist and still handles the others", async () => {
    const { sentry, emu } = harness();
    const report = await isolateTeams(sentry, { payments: ["no-such-app", "auth-service"] });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ status: 404, kind: "not-found" });
    expect(report.errors[0]?.message).toMatch(/no-such-app: no such project/);
    expect(report.applied).toEqual([{ action: "add-project-team", team: "payments", project: "auth-service" }]);
    expect([...(emu.state.projects.find((p) => p.slug === "auth-service")?.teams ?? [])].sort()).toEqual(["identity", "payments"]);
  });

  it("rejects bad slugs and names before any request", async () => {
    const { sentry, emu } = harness();
    for (const [teams, options, field] of [
      [{ "Bad Team": ["payment-api"] }, {}, "teams.Bad Team"],
      [{ payments: ["Payment API"] }, {}, "teams.payments[0]"],
      [{}, {}, "teams"],
      [{ growth: ["payment-api"] }, { teamNames: { growth: "" } }, "teamNames.growth"],
    ] as const) {
      const error = await thrown(() => isolateTeams(sentry, teams, options));
      expect(isValidationError(error) && error.field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });
});

describe("isolateTeams refuses a __proto__ key", () => {
  it("as an own key (JSON.parse) or as a literal that set the map's prototype, before any request", async () => {
    const { sentry, emu } = harness();
    const parsed = JSON.parse('{"__proto__": ["payment-api"], "payments": ["payment-api"]}') as Record<string, string[]>;
    const literal = { __proto__: { identity: ["auth-service"] }, payments: ["payment-api"] } as unknown as Record<string, string[]>;
    for (const teams of [parsed, literal]) {
      const error = await thrown(() => isolateTeams(sentry, teams));
      expect(isValidationError(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/__proto__/);
    }
    expect(emu.state.requests).toHaveLength(0);
  });
});
