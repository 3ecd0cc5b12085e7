import { afterEach, describe, expect, it } from "vitest";
import { isNotFoundError } from "../../../src/http/errors/errors.js";
import { effectiveAccess, whoCanAccess } from "../../../src/recipes/who-can-access/who-can-access.js";
import { closeClients, harness, thrown } from "../../resources/helpers.js";

afterEach(closeClients);

describe("effectiveAccess", () => {
  it("a member with team admin on one team: scopes with reasons, and only that team's projects", async () => {
    const { sentry, emu } = harness();
    const target = emu.state.members.find((m) => m.orgRole === "member" && !m.pending && m.teams.some((t) => t.role === "admin"));
    if (!target) throw new Error("fixture has no team admin");
    const adminTeam = target.teams.find((t) => t.role === "admin")?.team ?? "";
    const report = await effectiveAccess(sentry, target.email);
    expect(report.member).toMatchObject({ id: target.id, email: target.email, pending: false });
    expect(report.orgRole).toBe("member");
    expect(report.grants).toContainEqual({ scope: "team:admin", via: { kind: "teamRole", team: adminTeam, role: "admin" } });
    expect(report.grants).toContainEqual({ scope: "org:read", via: { kind: "orgRole", role: "member" } });
    const expected = emu.state.projects.filter((p) => p.teams.some((team) => target.teams.some((t) => t.team === team))).map((p) => p.slug);
    expect(report.projects.map((p) => p.project).sort()).toEqual(expected.sort());
    const viaAdmin = report.projects.find((p) => p.reasons.some((r) => r.kind === "team" && r.team === adminTeam));
    expect(viaAdmin?.scopes).toContain("project:admin");
  });

  it("an owner sees every project through the global org role; lookups by id work too", async () => {
    const { sentry, emu } = harness();
    const owner = emu.state.members.find((m) => m.orgRole === "owner");
    const report = await effectiveAccess(sentry, owner?.id ?? "");
    expect(report.isGlobal).toBe(true);
    expect(report.projects).toHaveLength(emu.state.projects.length);
    expect(report.projects.every((p) => p.reasons[0]?.kind === "globalOrgRole")).toBe(true);
  });

  it("an unknown email is NotFoundError", async () => {
    const { sentry } = harness();
    const error = await thrown(() => effectiveAccess(sentry, "nobody@acme.test"));
    expect(isNotFoundError(error)).toBe(true);
  });
});

describe("whoCanAccess", () => {
  it("lists team members with their team role and every owner/manager, excluding pending invites", async () => {
    const { sentry, emu } = harness();
    const report = await whoCanAccess(sentry, "payment-api");
    expect(report.teams).toEqual(["payments"]);
    const expected = emu.state.members
      .filter((m) => !m.pending && (m.orgRole === "owner" || m.orgRole === "manager" || m.teams.some((t) => t.team === "payments")))
      .map((m) => m.email)
      .sort();
    expect(report.members.map((m) => m.email)).toEqual(expected);
    expect(report.members.every((m) => !m.pending)).toBe(true);
    const teamMember = emu.state.members.find((m) => m.orgRole === "member" && m.teams.some((t) => t.team === "payments"));
    const entry = report.members.find((m) => m.email === teamMember?.email);
    const stored = teamMember?.teams.find((t) => t.team === "payments")?.role;
    expect(entry?.reasons).toEqual([{ kind: "team", team: "payments", role: stored ?? "contributor" }]);
    const manager = report.members.find((m) => m.orgRole === "manager");
    expect(manager?.reasons[0]).toEqual({ kind: "globalOrgRole", role: "manager" });
  });

  it("flags pending invites on the project's teams only with includePending", async () => {
    const { sentry } = harness();
    await sentry.org.members.invite({ email: "newbie@acme.test", teamRoles: [{ team: "payments" }] });
    const without = await whoCanAccess(sentry, "billing-worker");
    expect(without.members.map((m) => m.email)).not.toContain("newbie@acme.test");
    const withPending = await whoCanAccess(sentry, "billing-worker", { includePending: true });
    expect(withPending.members.find((m) => m.email === "newbie@acme.test")).toMatchObject({
      pending: true,
      reasons: [{ kind: "team", team: "payments", role: "contributor" }],
    });
    // The pending manager invite in the fixture sees everything once accepted.
    expect(withPending.members.find((m) => m.email === "old.manager@acme.test")?.pending).toBe(true);
  });

  it("with open membership every member can see the project", async () => {
    const { sentry, emu } = harness();
    const report = await whoCanAccess(sentry, "legacy-reports", { openMembership: true });
    const expected = emu.state.members
      .filter((m) => !m.pending && m.orgRole !== "billing")
      .map((m) => m.email)
      .sort();
    expect(report.members.map((m) => m.email)).toEqual(expected);
  });

  it("an unknown project is NotFoundError", async () => {
    const { sentry } = harness();
    expect(isNotFoundError(await thrown(() => whoCanAccess(sentry, "no-such-app")))).toBe(true);
  });
});
