import { afterEach, describe, expect, it } from "vitest";
import { isNotFoundError, isPermissionError, isValidationError } from "../../src/http/errors/errors.js";
import { closeClients, harness, pageSizes, thrown } from "./helpers.js";

afterEach(closeClients);

describe("sentry.org.projects", () => {
  it("list walks every page", async () => {
    const { sentry, seen } = harness();
    const sizes = await pageSizes(sentry.org.projects.list({ perPage: 3 }).pages());
    expect(sizes).toEqual([3, 3, 2]);
    expect(seen.map((r) => `${r.method} ${r.path} ${r.query.per_page}`)).toEqual(Array(3).fill("GET /api/0/organizations/acme/projects/ 3"));
    const slugs = await sentry.org.projects
      .list()
      .map((p) => p.slug)
      .toArray();
    expect(slugs).toContain("payment-api");
    expect(slugs).toHaveLength(8);
  });

  it("list sends the query", async () => {
    const { sentry, seen } = harness();
    const found = await sentry.org.projects.list({ query: "slug:auth-service" }).toArray();
    expect(found.map((p) => p.slug)).toEqual(["auth-service"]);
    expect(seen[0]?.query).toEqual({ per_page: "100", query: "slug:auth-service" });
  });

  it("list without org:read is PermissionError with the required scopes", async () => {
    const { emu, clientWith } = harness();
    const client = clientWith(emu.issueToken({ scopes: ["member:read"] }));
    const error = await thrown(() => client.org.projects.list().toArray());
    expect(isPermissionError(error) && error.requiredScopes).toEqual(["org:admin", "org:read", "org:write"]);
  });

  it("teams lists a project's teams across pages; unknown project is NotFoundError", async () => {
    const { sentry, seen } = harness();
    await sentry.org.projects.addTeam("web-frontend", "mobile");
    seen.length = 0;
    const sizes = await pageSizes(sentry.org.projects.teams("web-frontend", { perPage: 1 }).pages());
    expect(sizes).toEqual([1, 1, 1]);
    expect(seen[0]).toMatchObject({ method: "GET", path: "/api/0/projects/acme/web-frontend/teams/", query: { per_page: "1" } });
    const slugs = await sentry.org.projects
      .teams("web-frontend")
      .map((t) => t.slug)
      .toArray();
    expect(slugs).toEqual(["identity", "mobile", "platform"]);
    expect(isNotFoundError(await thrown(() => sentry.org.projects.teams("no-project").toArray()))).toBe(true);
  });

  it("addTeam links the team and is idempotent", async () => {
    const { sentry, seen, emu } = harness();
    const project = await sentry.org.projects.addTeam("legacy-reports", "payments");
    expect(project.slug).toBe("legacy-reports");
    expect(project.teams.map((t) => t.slug)).toEqual(["payments"]);
    expect(seen[0]).toEqual({ method: "POST", path: "/api/0/projects/acme/legacy-reports/teams/payments/", query: {}, body: undefined });
    const again = await sentry.org.projects.addTeam("legacy-reports", "payments");
    expect(again.teams.map((t) => t.slug)).toEqual(["payments"]);
    expect(emu.state.projects.find((p) => p.slug === "legacy-reports")?.teams).toEqual(["payments"]);
    expect(isNotFoundError(await thrown(() => sentry.org.projects.addTeam("legacy-reports", "no-team")))).toBe(true);
  });

  it("addTeam without project:write is PermissionError", async () => {
    const { emu, clientWith } = harness();
    const client = clientWith(emu.issueToken({ scopes: ["project:read"] }));
    const error = await thrown(() => client.org.projects.addTeam("legacy-reports", "payments"));
    expect(isPermissionError(error) && error.requiredScopes).toEqual(["project:admin", "project:write"]);
  });

  it("removeTeam unlinks; 404 throws unless ifPresent", async () => {
    const { sentry, seen, emu } = harness();
    const result = await sentry.org.projects.removeTeam("web-frontend", "identity");
    expect(result.removed).toBe(true);
    expect(result.result?.teams.map((t) => t.slug)).toEqual(["platform"]);
    expect(seen[0]).toMatchObject({ method: "DELETE", path: "/api/0/projects/acme/web-frontend/teams/identity/" });
    expect(emu.state.projects.find((p) => p.slug === "web-frontend")?.teams).toEqual(["platform"]);
    expect(isNotFoundError(await thrown(() => sentry.org.projects.removeTeam("gone-project", "identity")))).toBe(true);
    await expect(sentry.org.projects.removeTeam("gone-project", "identity", { ifPresent: true })).resolves.toEqual({ removed: false, result: undefined });
  });

  it("rejects bad slugs before any request", async () => {
    const { sentry, emu } = harness();
    const cases: Array<[() => unknown, string]> = [
      [() => sentry.org.projects.teams("Web Frontend"), "project"],
      [() => sentry.org.projects.addTeam("web-frontend", "../x"), "team"],
      [() => sentry.org.projects.removeTeam("", "payments"), "project"],
      [() => sentry.org.projects.list({ perPage: 1000 }), "perPage"],
    ];
    for (const [run, field] of cases) {
      const error = await thrown(run);
      expect(isValidationError(error) && error.field, field).toBe(field);
    }
    expect(emu.state.requests).toHaveLength(0);
  });
});
