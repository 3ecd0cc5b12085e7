import { afterEach, describe, expect, it } from "vitest";
import { isConflictError, isNotFoundError, isPermissionError, isValidationError } from "../../src/http/errors/errors.js";
import { closeClients, harness, pageSizes, thrown } from "./helpers.js";

afterEach(closeClients);

describe("sentry.org.teams", () => {
  it("list walks every page with per_page and the Link cursor", async () => {
    const { sentry, seen } = harness();
    const sizes = await pageSizes(sentry.org.teams.list({ perPage: 2 }).pages());
    expect(sizes).toEqual([2, 2, 2]);
    expect(seen.map((r) => [r.method, r.path])).toEqual(Array(3).fill(["GET", "/api/0/organizations/acme/teams/"]));
    expect(seen[0]?.query).toEqual({ per_page: "2" });
    expect(seen[1]?.query.cursor).toMatch(/^.+:\d+:0$/);
    const slugs = await sentry.org.teams
      .list({ perPage: 2 })
      .map((t) => t.slug)
      .toArray();
    expect(slugs).toEqual(["identity", "mobile", "notifications", "okta-engineering", "payments", "platform"]);
  });

  it("list passes query and detailed=0", async () => {
    const { sentry, seen } = harness();
    const teams = await sentry.org.teams.list({ query: "slug:payments", detailed: false }).toArray();
    expect(teams.map((t) => t.slug)).toEqual(["payments"]);
    expect(teams[0]?.projects).toBeUndefined();
    expect(seen[0]?.query).toEqual({ per_page: "100", query: "slug:payments", detailed: "0" });
  });

  it("get returns the team; 404 is NotFoundError", async () => {
    const { sentry, seen } = harness();
    const team = await sentry.org.teams.get("payments");
    expect(team).toMatchObject({ slug: "payments", name: "Payments" });
    expect(seen[0]).toMatchObject({ method: "GET", path: "/api/0/teams/acme/payments/" });
    const error = await thrown(() => sentry.org.teams.get("nope"));
    expect(isNotFoundError(error) && error.path).toBe("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/");
  });

  it("create posts slug and name; a taken slug is ConflictError (409)", async () => {
    const { sentry, seen, emu } = harness();
    const team = await sentry.org.teams.create({ slug: "contractors-q1", name: "Q1 Contractors" });
    expect(team).toMatchObject({ slug: "contractors-q1", name: "Q1 Contractors" });
    expect(seen[0]).toEqual({ method: "POST", path: "/api/0/organizations/acme/teams/", query: {}, body: { slug: "contractors-q1", name: "Q1 Contractors" } });
    expect(emu.state.teams.some((t) => t.slug === "contractors-q1")).toBe(true);
    const error = await thrown(() => sentry.org.teams.create({ slug: "payments" }));
    expect(isConflictError(error) && error.status).toBe(409);
    expect(seen[1]?.body).toEqual({ slug: "payments", name: "payments" });
  });

  it("create with a token lacking scopes is PermissionError naming the required scopes", async () => {
    const { emu, clientWith } = harness();
    const reader = clientWith(emu.issueToken({ scopes: ["org:read"] }));
    const error = await thrown(() => reader.org.teams.create({ slug: "x-team" }));
    expect(isPermissionError(error)).toBe(true);
    if (!isPermissionError(error)) return;
    expect(error.status).toBe(403);
    expect(error.requiredScopes).toEqual(["org:admin", "org:write", "team:write"]);
    // The token's own scopes come from the API root, so the error can say the token lacks all three.
    expect(error.missingScopes).toEqual(["org:admin", "org:write", "team:write"]);
    expect(error.hint).toMatch(/team:write/);
  });

  it("a 403 from the member's role, not the token, has no missing scopes and a role hint", async () => {
    const { emu, clientWith, seen } = harness();
    const plainMember = emu.state.members.find((m) => m.orgRole === "member" && !m.pending);
    if (!plainMember) throw new Error("demo fixture has no plain member");
    const token = emu.issueToken({ scopes: ["team:write"], userEmail: plainMember.email });
    const client = clientWith(token);
    const error = await thrown(() => client.org.teams.create({ slug: "x-team" }));
    expect(isPermissionError(error) && error.missingScopes).toEqual([]);
    expect(isPermissionError(error) && error.hint).toMatch(/role behind it is too low/);
    // One lookup of the API root per token and client, not one per error.
    await thrown(() => client.org.teams.create({ slug: "y-team" }));
    expect(seen.filter((r) => r.path === "/api/0/")).toHaveLength(1);
  });

  it("rejects bad slugs and names before any request", async () => {
    const { sentry, emu } = harness();
    const cases: Array<[() => unknown, string]> = [
      [() => sentry.org.teams.create({ slug: "Payments" }), "slug"],
      [() => sentry.org.teams.create({ slug: "12345" }), "slug"],
      [() => sentry.org.teams.create({ slug: "a".repeat(51) }), "slug"],
      [() => sentry.org.teams.create({ slug: "ok", name: "" }), "name"],
      [() => sentry.org.teams.get("../members"), "slug"],
      [() => sentry.org.teams.update("payments", { slug: "Bad Slug" }), "patch.slug"],
      [() => sentry.org.teams.update("payments", {}), "patch"],
      [() => sentry.org.teams.list({ perPage: 101 }), "perPage"],
      [() => sentry.org.teams.list({ query: "a\nb" }), "query"],
      [() => sentry.org.teams.members("Not A Slug"), "slug"],
    ];
    for (const [run, field] of cases) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field, field).toBe(field);
      expect(isValidationError(error) && error.requestSent).toBe(false);
    }
    expect(emu.state.requests).toHaveLength(0);
  });

  it("update renames (resending the current slug when only the name changes); a slug in use is 400", async () => {
    const { sentry, seen } = harness();
    const renamed = await sentry.org.teams.update("payments", { name: "Payments & Billing" });
    expect(renamed).toMatchObject({ slug: "payments", name: "Payments & Billing" });
    expect(seen[0]).toEqual({ method: "PUT", path: "/api/0/teams/acme/payments/", query: {}, body: { slug: "payments", name: "Payments & Billing" } });
    const moved = await sentry.org.teams.update("payments", { slug: "billing" });
    expect(moved.slug).toBe("billing");
    const error = await thrown(() => sentry.org.teams.update("billing", { slug: "identity" }));
    expect(isValidationError(error) && error.fieldErrors?.slug?.[0]).toMatch(/already in use/);
  });

  it("delete sends DELETE; IdP-provisioned teams are PermissionError; missing teams NotFoundError", async () => {
    const { sentry, seen, emu } = harness();
    await expect(sentry.org.teams.delete("mobile")).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({ method: "DELETE", path: "/api/0/teams/acme/mobile/" });
    expect(emu.state.teams.some((t) => t.slug === "mobile")).toBe(false);
    expect(isPermissionError(await thrown(() => sentry.org.teams.delete("okta-engineering")))).toBe(true);
    expect(isNotFoundError(await thrown(() => sentry.org.teams.delete("mobile")))).toBe(true);
  });

  it("ensure creates once, then returns the existing team (409 → GET)", async () => {
    const { sentry, seen, emu } = harness();
    const first = await sentry.org.teams.ensure({ slug: "contractors-q1", name: "Q1 Contractors" });
    expect(first.created).toBe(true);
    expect(first.team.slug).toBe("contractors-q1");
    const second = await sentry.org.teams.ensure({ slug: "contractors-q1", name: "Other name" });
    expect(second).toMatchObject({ created: false, team: { slug: "contractors-q1", name: "Q1 Contractors" } });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/0/organizations/acme/teams/",
      "POST /api/0/organizations/acme/teams/",
      "GET /api/0/teams/acme/contractors-q1/",
    ]);
    expect(emu.state.teams.filter((t) => t.slug === "contractors-q1")).toHaveLength(1);
  });

  it("ensure rethrows errors other than a 409", async () => {
    const { emu, clientWith } = harness();
    const reader = clientWith(emu.issueToken({ scopes: ["org:read"] }));
    expect(isPermissionError(await thrown(() => reader.org.teams.ensure({ slug: "x-team" })))).toBe(true);
  });

  it("members lists the team's members across pages", async () => {
    const { sentry, seen, emu } = harness();
    const expected = emu.state.members.filter((m) => !m.pending && m.teams.some((t) => t.team === "payments")).length;
    expect(expected).toBeGreaterThan(4);
    const sizes = await pageSizes(sentry.org.teams.members("payments", { perPage: 2 }).pages());
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(expected);
    expect(seen[0]).toMatchObject({ method: "GET", path: "/api/0/teams/acme/payments/members/", query: { per_page: "2" } });
    const members = await sentry.org.teams.members("payments").toArray();
    expect(members.every((m) => typeof m.email === "string")).toBe(true);
    expect(isNotFoundError(await thrown(() => sentry.org.teams.members("ghosts").toArray()))).toBe(true);
  });

  it("projects lists the team's projects across pages", async () => {
    const { sentry, seen } = harness();
    await sentry.org.projects.addTeam("legacy-reports", "payments");
    await sentry.org.projects.addTeam("web-frontend", "payments");
    seen.length = 0;
    const sizes = await pageSizes(sentry.org.teams.projects("payments", { perPage: 1 }).pages());
    expect(sizes).toEqual([1, 1, 1, 1]);
    expect(seen[0]).toMatchObject({ method: "GET", path: "/api/0/teams/acme/payments/projects/", query: { per_page: "1" } });
    const slugs = await sentry.org.teams
      .projects("payments")
      .map((p) => p.slug)
      .toArray();
    expect(slugs).toEqual(["billing-worker", "legacy-reports", "payment-api", "web-frontend"]);
  });
});
