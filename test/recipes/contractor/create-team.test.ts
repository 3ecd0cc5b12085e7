import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { createContractorTeam, type ContractorTeamOptions } from "../../../src/recipes/contractor/create-team.js";
import type { FaultKind, FaultTiming } from "../../../src/testing/index.js";
import { closeClients, harness, thrown } from "../../resources/helpers.js";
import { accessState, writes } from "../shared/org-state.js";

afterEach(closeClients);

const NOW = new Date("2026-03-01T12:00:00Z");
const INPUT: ContractorTeamOptions = {
  slug: "contractors-q1",
  name: "Q1 Contractors",
  projects: ["mobile-redesign"],
  // Two new people and one contractor already in the organization (on team mobile).
  members: ["ana@vendor.test", "bo@vendor.test", "carla.contractor@vendor.test"],
  expiresAt: "2026-06-30T00:00:00Z",
  now: NOW,
};

describe("createContractorTeam", () => {
  it("dry run plans every step and changes nothing", async () => {
    const { sentry, emu } = harness();
    const before = accessState(emu);
    const report = await createContractorTeam(sentry, { ...INPUT, dryRun: true });
    expect(report.planned.map((s) => s.action)).toEqual(["create-team", "add-project-team", "invite-member", "invite-member", "add-member-team"]);
    expect(report.manifest).toBeUndefined();
    expect(report.applied).toEqual([]);
    expect(accessState(emu)).toEqual(before);
    expect(writes(emu)).toEqual([]);
  });

  it("creates the team, links only the listed projects, invites as member/contributor, returns a JSON manifest", async () => {
    const { sentry, emu } = harness();
    const progress: string[] = [];
    const report = await createContractorTeam(sentry, { ...INPUT, onProgress: (p) => progress.push(`${p.phase}:${p.step?.action ?? "-"}`) });
    expect(report.errors).toEqual([]);
    expect(report.applied).toEqual(report.planned);
    expect(progress).toContain("apply:create-team");
    const manifest = report.manifest;
    expect(manifest).toBeDefined();
    if (!manifest) return;
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(manifest).toMatchObject({
      org: "acme",
      team: { slug: "contractors-q1", name: "Q1 Contractors", created: true },
      projects: ["mobile-redesign"],
      expiresAt: "2026-06-30T00:00:00.000Z",
      createdAt: NOW.toISOString(),
    });
    expect(manifest.members.map((m) => [m.email, m.invited])).toEqual([
      ["ana@vendor.test", true],
      ["bo@vendor.test", true],
      ["carla.contractor@vendor.test", false],
    ]);
    const state = emu.state;
    expect(state.projects.filter((p) => p.teams.includes("contractors-q1")).map((p) => p.slug)).toEqual(["mobile-redesign"]);
    for (const person of manifest.members) {
      const member = state.members.find((m) => m.id === person.memberId);
      expect(member?.email).toBe(person.email);
      expect(member?.orgRole).toBe("member");
      // contributor is the floor of org role member, which Sentry stores as null.
      expect(member?.teams).toContainEqual({ team: "contractors-q1", role: null });
    }
    expect(state.members.find((m) => m.email === "ana@vendor.test")?.pending).toBe(true);
  });

  it("a second run after success changes nothing", async () => {
    const { sentry, emu } = harness();
    await createContractorTeam(sentry, INPUT);
    const after = accessState(emu);
    const writesBefore = writes(emu).length;
    const again = await createContractorTeam(sentry, INPUT);
    expect(again.planned).toEqual([]);
    expect(again.errors).toEqual([]);
    expect(accessState(emu)).toEqual(after);
    expect(writes(emu)).toHaveLength(writesBefore);
    expect(again.manifest?.team.created).toBe(false);
  });

  it("refuses a project that does not exist before any change", async () => {
    const { sentry, emu } = harness();
    const error = await thrown(() => createContractorTeam(sentry, { ...INPUT, projects: ["mobile-redesign", "no-such-app"] }));
    expect(isValidationError(error) && error.field).toBe("projects");
    expect(isValidationError(error) && error.message).toMatch(/no-such-app/);
    expect(writes(emu)).toEqual([]);
  });

  it("rejects bad input without any request", async () => {
    const { sentry, emu } = harness();
    for (const [patch, field] of [
      [{ slug: "Bad Slug" }, "slug"],
      [{ members: ["not-an-email"] }, "members[0]"],
      [{ projects: [] }, "projects"],
      [{ expiresAt: "2020-01-01T00:00:00Z" }, "expiresAt"],
      [{ expiresAt: "soon" }, "expiresAt"],
    ] as const) {
      const error = await thrown(() => createContractorTeam(sentry, { ...INPUT, ...patch }));
      expect(isValidationError(error) && error.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  const STEPS: Array<[string, string, number]> = [
    ["create team", "createOrganizationTeam", 1],
    ["link project", "addProjectTeam", 1],
    ["first invite", "addOrganizationMember", 1],
    ["second invite", "addOrganizationMember", 2],
    ["add existing member to team", "addOrganizationMemberTeam", 1],
  ];
  const TIMINGS: Array<[FaultTiming, FaultKind]> = [
    ["before", 503],
    ["commit", 503],
    ["commit", "drop"],
  ];
  for (const [label, operation, nth] of STEPS) {
    for (const [after, fault] of TIMINGS) {
      it(`a fault at "${label}" (${String(fault)}, ${after}) is rolled back completely`, async () => {
        const { sentry, emu } = harness({ faults: { script: [{ operation, nth, fault, after }] } });
        const before = accessState(emu);
        const report = await createContractorTeam(sentry, INPUT);
        expect(report.manifest).toBeUndefined();
        expect(report.errors).toHaveLength(1);
        expect(report.errors[0]).toMatchObject({ phase: "apply" });
        expect(report.leftBehind).toEqual([]);
        expect(report.rolledBack).toEqual([...report.applied].reverse());
        expect(accessState(emu)).toEqual(before);
        // A clean run afterwards gives the same result as a run that never failed.
        const rerun = await createContractorTeam(sentry, INPUT);
        expect(rerun.errors).toEqual([]);
        const clean = harness();
        await createContractorTeam(clean.sentry, INPUT);
        expect(accessState(emu)).toEqual(accessState(clean.emu));
      });
    }
  }

  it("a fault at revoking a surplus project link is rolled back (the link comes back)", async () => {
    const { sentry, emu } = harness({ faults: { script: [{ operation: "deleteProjectTeam", nth: 1, fault: 503, after: "commit" }] } });
    await sentry.org.teams.create({ slug: "contractors-q1", name: "Q1 Contractors" });
    await sentry.org.projects.addTeam("legacy-reports", "contractors-q1");
    const before = accessState(emu);
    const report = await createContractorTeam(sentry, INPUT);
    expect(report.planned.map((s) => s.action)).toContain("remove-project-team");
    expect(report.errors).toHaveLength(1);
    expect(accessState(emu)).toEqual(before);
  });

  it("with rollback: false a failed run is resumed by re-running with the same input", async () => {
    const { sentry, emu } = harness({ faults: { script: [{ operation: "addOrganizationMember", nth: 2, fault: 503, after: "before" }] } });
    const first = await createContractorTeam(sentry, { ...INPUT, rollback: false });
    expect(first.errors).toHaveLength(1);
    expect(first.leftBehind.map((s) => s.action)).toEqual(["create-team", "add-project-team", "invite-member"]);
    expect(emu.state.teams.some((t) => t.slug === "contractors-q1")).toBe(true);
    const second = await createContractorTeam(sentry, INPUT);
    expect(second.errors).toEqual([]);
    expect(second.planned.map((s) => s.action)).toEqual(["invite-member", "add-member-team"]);
    const clean = harness();
    await createContractorTeam(clean.sentry, INPUT);
    expect(accessState(emu)).toEqual(accessState(clean.emu));
  });

  it("when the rollback itself fails, it says what is left behind and a re-run converges", async () => {
    const { sentry, emu } = harness({
      faults: {
        script: [
          { operation: "addOrganizationMember", nth: 1, fault: 503, after: "before" },
          { operation: "deleteTeam", nth: 1, fault: 503, after: "before" },
        ],
      },
    });
    const report = await createContractorTeam(sentry, INPUT);
    expect(report.errors.map((e) => e.phase)).toEqual(["apply", "rollback"]);
    expect(report.leftBehind).toEqual([{ action: "create-team", team: "contractors-q1" }]);
    expect(report.rolledBack).toEqual([{ action: "add-project-team", project: "mobile-redesign", team: "contractors-q1" }]);
    const rerun = await createContractorTeam(sentry, INPUT);
    expect(rerun.errors).toEqual([]);
    const clean = harness();
    await createContractorTeam(clean.sentry, INPUT);
    expect(accessState(emu)).toEqual(accessState(clean.emu));
  });

  it("never puts a token into a report, even a failed one", async () => {
    const { sentry, emu } = harness({ faults: { script: [{ operation: "addProjectTeam", nth: 1, fault: 500 }] } });
    const report = await createContractorTeam(sentry, INPUT);
    const text = JSON.stringify(report) + inspect(report, { depth: 10 });
    expect(text).not.toContain(emu.adminToken);
    expect(text).not.toMatch(/sntry[usai]_/);
  });
});
