import { afterEach, describe, expect, it } from "vitest";
import { isConflictError, isNotFoundError, isPermissionError, isSentryApiError, isValidationError } from "../../src/http/errors/errors.js";
import { closeClients, harness, pageSizes, thrown } from "./helpers.js";

afterEach(closeClients);

const MEMBERS = "/api/0/organizations/acme/members/";

describe("sentry.org.members", () => {
  it("list walks every page and sends the query", async () => {
    const { sentry, seen, emu } = harness();
    const sizes = await pageSizes(sentry.org.members.list({ perPage: 10 }).pages());
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(emu.state.members.length);
    expect(seen.every((r) => r.method === "GET" && r.path === MEMBERS)).toBe(true);
    seen.length = 0;
    const owners = await sentry.org.members.list({ query: "role:owner" }).toArray();
    expect(owners.map((m) => m.orgRole)).toEqual(["owner", "owner"]);
    expect(seen[0]?.query).toEqual({ per_page: "100", query: "role:owner" });
  });

  it("get returns details with teamRoles; `me` is accepted; 404 is NotFoundError", async () => {
    const { sentry, seen } = harness();
    const me = await sentry.org.members.get("me");
    expect(me.orgRole).toBe("owner");
    expect(Array.isArray(me.teamRoles)).toBe(true);
    expect(seen[0]).toMatchObject({ method: "GET", path: `${MEMBERS}me/` });
    const byNumber = await sentry.org.members.get(Number(me.id));
    expect(byNumber.email).toBe(me.email);
    expect(isNotFoundError(await thrown(() => sentry.org.members.get(999999)))).toBe(true);
  });

  it("invite maps teamRoles to Sentry's body and returns the pending member", async () => {
    const { sentry, seen, emu } = harness();
    const invited = await sentry.org.members.invite({
      email: "new.person@acme.test",
      orgRole: "member",
      teamRoles: [{ team: "payments", role: "admin" }, { team: "mobile" }],
    });
    expect(invited).toMatchObject({ email: "new.person@acme.test", orgRole: "member", pending: true, user: null });
    expect(seen[0]).toEqual({
      method: "POST",
      path: MEMBERS,
      query: {},
      body: {
        email: "new.person@acme.test",
        orgRole: "member",
        teamRoles: [
          { teamSlug: "payments", role: "admin" },
          { teamSlug: "mobile", role: null },
        ],
      },
    });
    const stored = emu.state.members.find((m) => m.email === "new.person@acme.test");
    expect(stored?.teams.map((t) => t.team).sort()).toEqual(["mobile", "payments"]);
  });

  it("invite conflicts (400 already a member / already invited) are ConflictError", async () => {
    const { sentry } = harness();
    const member = await thrown(() => sentry.org.members.invite({ email: "ada.smith@acme.test" }));
    expect(isConflictError(member) && member.status).toBe(400);
    expect(isConflictError(member) && member.fieldErrors?.email?.[0]).toMatch(/already a member/);
    const invite = await thrown(() => sentry.org.members.invite({ email: "new.hire@acme.test" }));
    expect(isConflictError(invite) && invite.detail).toMatch(/already been invited/);
  });

  it("invite with a role above the caller's is a 400 ValidationError on orgRole", async () => {
    const { emu, clientWith } = harness();
    const manager = clientWith(emu.issueToken({ scopes: ["member:admin"], userEmail: "chen.nguyen@acme.test" }));
    const error = await thrown(() => manager.org.members.invite({ email: "boss@acme.test", orgRole: "owner" }));
    expect(isValidationError(error) && error.status).toBe(400);
    expect(isValidationError(error) && error.field).toBe("orgRole");
  });

  it("invite without member scopes is PermissionError with the required scopes", async () => {
    const { emu, clientWith } = harness();
    const reader = clientWith(emu.issueToken({ scopes: ["org:read"] }));
    const error = await thrown(() => reader.org.members.invite({ email: "x@acme.test" }));
    expect(isPermissionError(error) && error.requiredScopes).toEqual(["member:admin", "member:invite", "member:write"]);
  });

  it("rejects bad input before any request, naming the field", async () => {
    const { sentry, emu } = harness();
    const m = sentry.org.members;
    const cases: Array<[() => unknown, string]> = [
      [() => m.invite({ email: "not-an-email" }), "email"],
      [() => m.invite({ email: "a@b.co", orgRole: "superuser" as never }), "orgRole"],
      [() => m.invite({ email: "a@b.co", teamRoles: [{ team: "payments", role: "owner" as never }] }), "teamRoles[0].role"],
      [() => m.invite({ email: "a@b.co", teamRoles: [{ team: "Pay Ments" }] }), "teamRoles[0].team"],
      [() => m.get("12abc"), "id"],
      [() => m.get(-3), "id"],
      [() => m.update(1, {}), "input"],
      [() => m.update(1, { orgRole: "root" as never }), "orgRole"],
      [() => m.remove("../../teams"), "id"],
      [() => m.addToTeam(1, "payments", { teamRole: "owner" as never }), "teamRole"],
      [() => m.setTeamRole(1, "payments", "member" as never), "role"],
      [() => m.removeFromTeam(1, "Bad/Team"), "team"],
      [() => m.findByEmail("a,b@acme.test"), "email"],
      [() => m.list({ perPage: 0 }), "perPage"],
    ];
    for (const [run, field] of cases) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  it("update with only orgRole reads the member first and resends its teamRoles", async () => {
    const { sentry, seen, emu } = harness();
    const target = emu.state.members.find((m) => m.email === "chen.nguyen@acme.test");
    if (!target) throw new Error("fixture changed");
    const before = target.teams.map((t) => t.team).sort();
    expect(before.length).toBeGreaterThan(0);
    const updated = await sentry.org.members.update(target.id, { orgRole: "member" });
    expect(updated.orgRole).toBe("member");
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${MEMBERS}${target.id}/`, `PUT ${MEMBERS}${target.id}/`]);
    const body = seen[1]?.body as { orgRole: string; teamRoles: Array<{ teamSlug: string }> };
    expect(body.orgRole).toBe("member");
    expect(body.teamRoles.map((t) => t.teamSlug).sort()).toEqual(before);
    const after = emu.state.members.find((m) => m.id === target.id);
    expect(after?.teams.map((t) => t.team).sort()).toEqual(before);
  });

  it("update with teamRoles replaces the team set in one PUT", async () => {
    const { sentry, seen, emu } = harness();
    const target = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    if (!target) throw new Error("fixture changed");
    await sentry.org.members.update(target.id, { teamRoles: [{ team: "payments", role: "contributor" }] });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toEqual({ teamRoles: [{ teamSlug: "payments", role: "contributor" }] });
    expect(emu.state.members.find((m) => m.id === target.id)?.teams.map((t) => t.team)).toEqual(["payments"]);
  });

  it("a role change with a non-user token fails with the role-change hint", async () => {
    const { emu, clientWith } = harness();
    const target = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    if (!target) throw new Error("fixture changed");
    const integration = clientWith(emu.issueToken({ kind: "integration", scopes: ["member:admin", "org:write"] }));
    const error = await thrown(() => integration.org.members.update(target.id, { orgRole: "manager", teamRoles: [] }));
    // Sentry answers 400, not 403: the serializer refuses the role first, as an integration token has no
    // allowed roles (tests/sentry/core/endpoints/test_organization_member_details.py test_with_internal_integration).
    expect(isSentryApiError(error) && error.status).toBe(400);
    expect(isSentryApiError(error) && error.hint).toMatch(/user auth token .*member:admin/);
  });

  it("remove deletes; insufficient role is a 400; missing member 404", async () => {
    const { sentry, seen, emu, clientWith } = harness();
    const target = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    const owner = emu.state.members.find((m) => m.orgRole === "owner");
    if (!target || !owner) throw new Error("fixture changed");
    await sentry.org.members.remove(target.id);
    expect(seen[0]).toMatchObject({ method: "DELETE", path: `${MEMBERS}${target.id}/` });
    expect(emu.state.members.some((m) => m.id === target.id)).toBe(false);
    expect(isNotFoundError(await thrown(() => sentry.org.members.remove(target.id)))).toBe(true);
    const plainMember = emu.state.members.find((m) => m.orgRole === "member" && !m.pending);
    if (!plainMember) throw new Error("fixture changed");
    const weak = clientWith(emu.issueToken({ scopes: ["member:admin"], userEmail: plainMember.email }));
    const error = await thrown(() => weak.org.members.remove(owner.id));
    expect(isValidationError(error) && error.status).toBe(400);
    expect(emu.state.members.some((m) => m.id === owner.id)).toBe(true);
  });

  it("addToTeam: 201 added, 204 already a member, both success; teamRole is set afterwards", async () => {
    const { sentry, seen, emu } = harness();
    const target = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    if (!target) throw new Error("fixture changed");
    const added = await sentry.org.members.addToTeam(target.id, "payments", { teamRole: "admin" });
    expect(added.status).toBe("added");
    expect(added.team?.slug).toBe("payments");
    expect(added.teamRole).toEqual({ isActive: true, teamRole: "admin" });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${MEMBERS}${target.id}/teams/payments/`, `PUT ${MEMBERS}${target.id}/teams/payments/`]);
    expect(seen[1]?.body).toEqual({ teamRole: "admin" });
    const again = await sentry.org.members.addToTeam(target.id, "payments");
    expect(again).toEqual({ status: "already-member", team: undefined, teamRole: undefined });
    const stored = emu.state.members.find((m) => m.id === target.id)?.teams.find((t) => t.team === "payments");
    expect(stored?.role).toBe("admin");
  });

  it("addToTeam reports a 202 access request and sets no role", async () => {
    const { emu, clientWith, seen } = harness();
    const self = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    const other = emu.state.members.find((m) => m.email === "dmitri.contractor@vendor.test");
    if (!self || !other) throw new Error("fixture changed");
    const plain = clientWith(emu.issueToken({ scopes: ["org:read"], userEmail: self.email }));
    const result = await plain.org.members.addToTeam(other.id, "payments", { teamRole: "admin" });
    expect(result).toEqual({ status: "requested", team: undefined, teamRole: undefined });
    expect(seen.map((r) => r.method)).toEqual(["POST"]);
    expect(emu.state.members.find((m) => m.id === other.id)?.teams.some((t) => t.team === "payments")).toBe(false);
  });

  it("addToTeam for a missing team is NotFoundError", async () => {
    const { sentry } = harness();
    expect(isNotFoundError(await thrown(() => sentry.org.members.addToTeam("me", "no-such-team")))).toBe(true);
  });

  it("removeFromTeam removes; a 404 throws unless ifPresent", async () => {
    const { sentry, seen, emu } = harness();
    const target = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    if (!target) throw new Error("fixture changed");
    const result = await sentry.org.members.removeFromTeam(target.id, "mobile");
    expect(result.removed).toBe(true);
    expect(result.result?.slug).toBe("mobile");
    expect(seen[0]).toMatchObject({ method: "DELETE", path: `${MEMBERS}${target.id}/teams/mobile/` });
    expect(emu.state.members.find((m) => m.id === target.id)?.teams).toEqual([]);
    expect(isNotFoundError(await thrown(() => sentry.org.members.removeFromTeam(target.id, "gone-team")))).toBe(true);
    await expect(sentry.org.members.removeFromTeam(target.id, "gone-team", { ifPresent: true })).resolves.toEqual({ removed: false, result: undefined });
    await expect(sentry.org.members.removeFromTeam(999999, "mobile", { ifPresent: true })).resolves.toEqual({ removed: false, result: undefined });
  });

  it("removeFromTeam with ifPresent still throws non-404 errors", async () => {
    const { emu, clientWith } = harness();
    const target = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    if (!target) throw new Error("fixture changed");
    const reader = clientWith(emu.issueToken({ scopes: ["project:read"] }));
    const error = await thrown(() => reader.org.members.removeFromTeam(target.id, "mobile", { ifPresent: true }));
    expect(isPermissionError(error) && error.requiredScopes).toEqual(["org:admin", "org:read", "org:write", "team:admin"]);
  });

  it("setTeamRole PUTs teamRole; Sentry answers null at the org role's minimum; 404 when not on the team", async () => {
    const { sentry, seen, emu } = harness();
    const member = emu.state.members.find((m) => m.email === "carla.contractor@vendor.test");
    const manager = emu.state.members.find((m) => m.email === "chen.nguyen@acme.test");
    if (!member || !manager) throw new Error("fixture changed");
    await expect(sentry.org.members.setTeamRole(member.id, "mobile", "admin")).resolves.toEqual({ isActive: true, teamRole: "admin" });
    expect(seen[0]).toEqual({ method: "PUT", path: `${MEMBERS}${member.id}/teams/mobile/`, query: {}, body: { teamRole: "admin" } });
    const team = manager.teams[0]?.team ?? "payments";
    await expect(sentry.org.members.setTeamRole(manager.id, team, "contributor")).resolves.toEqual({ isActive: true, teamRole: null });
    expect(isNotFoundError(await thrown(() => sentry.org.members.setTeamRole(member.id, "payments", "admin")))).toBe(true);
  });

  it("getTeamRole GETs the membership: the stored role (null at the org role's minimum); 404 when not on the team", async () => {
    const { sentry, seen, emu } = harness();
    const teamAdmin = emu.state.members.find((m) => !m.pending && m.orgRole === "member" && m.teams.some((t) => t.role === "admin"));
    const manager = emu.state.members.find((m) => m.email === "chen.nguyen@acme.test");
    if (!teamAdmin || !manager) throw new Error("fixture changed");
    const adminTeam = teamAdmin.teams.find((t) => t.role === "admin")?.team ?? "";
    await expect(sentry.org.members.getTeamRole(teamAdmin.id, adminTeam)).resolves.toEqual({ isActive: true, teamRole: "admin" });
    expect(seen[0]).toEqual({ method: "GET", path: `${MEMBERS}${teamAdmin.id}/teams/${adminTeam}/`, query: {}, body: undefined });
    const managerTeam = manager.teams[0]?.team ?? "";
    await expect(sentry.org.members.getTeamRole(manager.id, managerTeam)).resolves.toEqual({ isActive: true, teamRole: null });
    const offTeam = ["payments", "identity", "notifications", "platform", "mobile"].find((slug) => !manager.teams.some((t) => t.team === slug)) ?? "";
    expect(isNotFoundError(await thrown(() => sentry.org.members.getTeamRole(manager.id, offTeam)))).toBe(true);
    expect(isNotFoundError(await thrown(() => sentry.org.members.getTeamRole(manager.id, "no-such-team")))).toBe(true);
    const requests = seen.length;
    expect(isValidationError(await thrown(() => sentry.org.members.getTeamRole(manager.id, "Bad/Team")))).toBe(true);
    expect(isValidationError(await thrown(() => sentry.org.members.getTeamRole("someone", managerTeam)))).toBe(true);
    expect(seen).toHaveLength(requests);
  });

  it("findByEmail queries email: and matches exactly (case-insensitive)", async () => {
    const { sentry, seen } = harness();
    const found = await sentry.org.members.findByEmail("Ada.Smith@acme.test");
    expect(found?.email).toBe("ada.smith@acme.test");
    expect(seen[0]).toMatchObject({ method: "GET", path: MEMBERS, query: { query: "email:Ada.Smith@acme.test" } });
    await expect(sentry.org.members.findByEmail("nobody@acme.test")).resolves.toBeUndefined();
  });
});
