import { afterEach, describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/http/errors/errors.js";
import { createContractorTeam, offboardContractors, type ContractorManifest, type ContractorTeamOptions } from "../../../src/recipes/contractor/index.js";
import { closeClients, harness, thrown, type Harness } from "../../resources/helpers.js";
import { accessState, writes } from "../shared/org-state.js";

afterEach(closeClients);

const INPUT: ContractorTeamOptions = {
  slug: "contractors-q1",
  name: "Q1 Contractors",
  projects: ["mobile-redesign", "web-frontend"],
  members: ["ana@vendor.test", "sam@vendor.test", "carla.contractor@vendor.test"],
  expiresAt: "2026-06-30T00:00:00Z",
  now: new Date("2026-03-01T12:00:00Z"),
};
const AFTER_EXPIRY = new Date("2026-07-01T00:00:00Z");

/** A contractor team where sam is SCIM-provisioned (so only SCIM can remove him). */
async function setUp(h: Harness): Promise<ContractorManifest> {
  await h.sentry.scim.users.provision({ userName: "sam@vendor.test" });
  const { manifest } = await createContractorTeam(h.sentry, INPUT);
  if (!manifest) throw new Error("setup failed");
  return manifest;
}

describe("offboardContractors", () => {
  it("refuses before expiresAt without force, before any request", async () => {
    const h = harness();
    const manifest = await setUp(h);
    const requests = h.emu.state.requests.length;
    const error = await thrown(() => offboardContractors(h.sentry, manifest, { now: new Date("2026-05-01T00:00:00Z") }));
    expect(isValidationError(error) && error.field).toBe("manifest.expiresAt");
    expect(h.emu.state.requests).toHaveLength(requests);
  });

  it("dry run lists what would go and changes nothing", async () => {
    const h = harness();
    const manifest = await setUp(h);
    const before = accessState(h.emu);
    const writesBefore = writes(h.emu).length;
    const report = await offboardContractors(h.sentry, manifest, { now: AFTER_EXPIRY, dryRun: true });
    const ids = Object.fromEntries(manifest.members.map((m) => [m.email, m.memberId]));
    expect(report.planned).toEqual([
      { action: "remove-member", email: "ana@vendor.test", memberId: ids["ana@vendor.test"] },
      { action: "scim-deactivate", email: "sam@vendor.test", memberId: ids["sam@vendor.test"] },
      // Carla was in the organization before (team mobile): she only leaves the contractor team.
      { action: "remove-member-team", email: "carla.contractor@vendor.test", memberId: ids["carla.contractor@vendor.test"], team: "contractors-q1" },
      { action: "remove-project-team", project: "mobile-redesign", team: "contractors-q1" },
      { action: "remove-project-team", project: "web-frontend", team: "contractors-q1" },
      { action: "delete-team", team: "contractors-q1" },
    ]);
    expect(accessState(h.emu)).toEqual(before);
    expect(writes(h.emu)).toHaveLength(writesBefore);
  });

  it("removes people (SCIM-managed ones through SCIM), the project access and the team; a re-run is a no-op", async () => {
    const h = harness();
    const manifest = await setUp(h);
    const seenBefore = h.seen.length;
    const report = await offboardContractors(h.sentry, manifest, { now: AFTER_EXPIRY });
    expect(report.errors).toEqual([]);
    expect(report.applied).toEqual(report.planned);
    const sam = manifest.members.find((m) => m.email === "sam@vendor.test");
    const scimCall = h.seen.slice(seenBefore).find((r) => r.method === "PATCH");
    expect(scimCall?.path).toBe(`/api/0/organizations/acme/scim/v2/Users/${sam?.memberId}`);
    const state = h.emu.state;
    expect(state.members.map((m) => m.email)).not.toContain("ana@vendor.test");
    expect(state.members.map((m) => m.email)).not.toContain("sam@vendor.test");
    expect(state.members.find((m) => m.email === "carla.contractor@vendor.test")?.teams).toEqual([{ team: "mobile", role: null }]);
    expect(state.teams.map((t) => t.slug)).not.toContain("contractors-q1");
    expect(state.projects.find((p) => p.slug === "mobile-redesign")?.teams).toEqual(["mobile"]);

    const after = accessState(h.emu);
    const again = await offboardContractors(h.sentry, manifest, { now: AFTER_EXPIRY });
    expect(again.planned).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(expect.arrayContaining(["already gone", "already gone from the organization"]));
    expect(accessState(h.emu)).toEqual(after);
  });

  it("keeps a team it did not create (unless deleteTeam) but still revokes its project access", async () => {
    const h = harness();
    const manifest = await setUp(h);
    const report = await offboardContractors(h.sentry, { ...manifest, team: { ...manifest.team, created: false } }, { now: AFTER_EXPIRY });
    expect(report.planned.map((s) => s.action)).not.toContain("delete-team");
    expect(h.emu.state.teams.map((t) => t.slug)).toContain("contractors-q1");
    expect(h.emu.state.projects.filter((p) => p.teams.includes("contractors-q1"))).toEqual([]);
  });

  for (const [label, operation] of [
    ["member removal", "deleteOrganizationMember"],
    ["SCIM deactivation", "updateOrganizationScimV2User"],
    ["team leave", "deleteOrganizationMemberTeam"],
    ["project unlink", "deleteProjectTeam"],
    ["team deletion", "deleteTeam"],
  ] as const) {
    it(`a fault at ${label} is reported, the other steps go on, and a re-run finishes`, async () => {
      const h = harness({ faults: { script: [{ operation, nth: 1, fault: 503, after: "before" }] } });
      const manifest = await setUp(h);
      const clean = harness();
      const cleanManifest = await setUp(clean);
      await offboardContractors(clean.sentry, cleanManifest, { now: AFTER_EXPIRY });

      const report = await offboardContractors(h.sentry, manifest, { now: AFTER_EXPIRY });
      expect(report.errors).toHaveLength(1);
      expect(report.applied).toHaveLength(report.planned.length - 1);
      const rerun = await offboardContractors(h.sentry, manifest, { now: AFTER_EXPIRY });
      expect(rerun.errors).toEqual([]);
      expect(accessState(h.emu)).toEqual(accessState(clean.emu));
    });
  }

  it("rejects something that is not a manifest", async () => {
    const { sentry, emu } = harness();
    const error = await thrown(() => offboardContractors(sentry, { version: 2 } as unknown as ContractorManifest));
    expect(isValidationError(error) && error.field).toBe("manifest");
    expect(emu.state.requests).toHaveLength(0);
  });
});
