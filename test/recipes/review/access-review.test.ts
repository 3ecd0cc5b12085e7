import { afterEach, describe, expect, it } from "vitest";
import { accessReview } from "../../../src/recipes/review/access-review.js";
import { demoFixture } from "../../../src/testing/index.js";
import { closeClients, harness } from "../../resources/helpers.js";

afterEach(closeClients);

const NOW = new Date("2026-03-01T12:00:00Z");

function subjects(findings: Array<{ kind: string; subject: string }>, kind: string): string[] {
  return findings
    .filter((f) => f.kind === kind)
    .map((f) => f.subject)
    .sort();
}

describe("accessReview", () => {
  it("finds the demo organization's risky states, each with a fix, without changing anything", async () => {
    const { sentry, emu } = harness();
    const report = await accessReview(sentry, { now: NOW });
    const state = emu.state;
    const active = state.members.filter((m) => !m.pending);
    expect(report.summary).toEqual({
      members: active.length,
      pendingInvites: state.members.length - active.length,
      owners: active.filter((m) => m.orgRole === "owner").length,
      managers: active.filter((m) => m.orgRole === "manager").length,
      teams: state.teams.length,
      projects: state.projects.length,
      ssoProvider: "okta",
      ssoRequired: true,
    });
    const { findings } = report;
    expect(findings.every((f) => f.fix.length > 0 && f.detail.length > 0)).toBe(true);
    expect(subjects(findings, "too-many-privileged")).toEqual(["acme"]);
    expect(subjects(findings, "project-without-team")).toEqual(["legacy-reports"]);
    expect(subjects(findings, "team-without-projects")).toEqual(["okta-engineering"]);
    expect(subjects(findings, "stale-invite")).toEqual(["forgotten@vendor.test", "old.manager@acme.test", "stale.invite@acme.test"]);
    expect(subjects(findings, "expired-invite")).toEqual(["expired.one@acme.test", "expired.two@vendor.test"]);
    expect(subjects(findings, "sso-link-invalid")).toContain("dmitri.contractor@vendor.test");
    const unlinked = active
      .filter((m) => !m.flags["sso:linked"])
      .map((m) => m.email)
      .sort();
    expect(subjects(findings, "sso-not-linked")).toEqual(unlinked);
    expect(subjects(findings, "member-without-team")).toEqual([]);
    // High severity first.
    expect(findings[0]?.severity).toBe("high");
    expect(state.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("flags members on no team (not billing, not global roles), and honours pendingInviteDays and maxPrivileged", async () => {
    const { sentry, emu } = harness();
    const loner = emu.state.members.find((m) => m.orgRole === "member" && !m.pending && m.teams.length === 1);
    await sentry.org.members.update(loner?.id ?? "", { teamRoles: [] });
    const report = await accessReview(sentry, { now: NOW, pendingInviteDays: 20, maxPrivileged: 5 });
    expect(subjects(report.findings, "member-without-team")).toEqual([loner?.email]);
    expect(subjects(report.findings, "stale-invite")).toEqual(["forgotten@vendor.test", "old.manager@acme.test"]);
    expect(subjects(report.findings, "too-many-privileged")).toEqual([]);
  });

  it("reports SSO links only where SSO is required (provider require_link, or requireSso)", async () => {
    const fixture = demoFixture();
    fixture.authProvider = null;
    const { sentry } = harness({ fixture });
    const relaxed = await accessReview(sentry, { now: NOW });
    expect(relaxed.summary).toMatchObject({ ssoProvider: null, ssoRequired: false });
    expect(subjects(relaxed.findings, "sso-not-linked")).toEqual([]);
    const strict = await accessReview(sentry, { now: NOW, requireSso: true });
    expect(subjects(strict.findings, "sso-not-linked").length).toBeGreaterThan(0);
  });

  it("refuses a bad threshold before any request", async () => {
    const { sentry, emu } = harness();
    // A ValidationError like every other bad input (issue 19: no bare RangeError outside the hierarchy).
    await expect(accessReview(sentry, { pendingInviteDays: -1 })).rejects.toMatchObject({ kind: "validation", field: "pendingInviteDays" });
    expect(emu.state.requests).toHaveLength(0);
  });
});
