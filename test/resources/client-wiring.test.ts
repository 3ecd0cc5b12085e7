import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSentryClient, type SentryClient } from "../../src/client.js";
import { isSentryConfigError } from "../../src/http/errors/errors.js";
import { SDK_METHODS } from "../../src/resources/method-operations.js";
import { createEmulator } from "../../src/testing/index.js";
import { BASE_URL, closeClients, harness } from "./helpers.js";

afterEach(closeClients);

/** The value at a dotted method path such as "org.teams.create", or undefined. */
function at(client: SentryClient, dotted: string): unknown {
  let value: unknown = client;
  for (const key of dotted.split(".")) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

describe("resource wiring", () => {
  it("exposes every method of the method table as a function on the client", () => {
    const { sentry } = harness();
    const missing = SDK_METHODS.filter((method) => typeof at(sentry, method) !== "function");
    expect(missing).toEqual([]);
    expect(SDK_METHODS.length).toBeGreaterThan(40);
  });

  it("whoami() reads the token's own scopes and user from the API root", async () => {
    const { emu, clientWith, seen } = harness();
    const reader = clientWith(emu.issueToken({ scopes: ["org:read", "member:read"] }));
    const me = await reader.whoami();
    expect(me.auth?.scopes).toEqual(["org:read", "member:read"]);
    expect(me.user?.email).toEqual(expect.stringContaining("@"));
    expect(seen.at(-1)).toMatchObject({ method: "GET", path: "/api/0/" });
  });

  it("the client's perPage sizes every list that does not set its own", async () => {
    const { emu, clientWith, seen } = harness();
    const small = clientWith(emu.adminToken, { perPage: 2 });
    await small.org.teams.list().toArray({ limit: 3 });
    await small.scim.users.list().toArray({ limit: 1 });
    await small.org.members.list({ perPage: 5 }).toArray({ limit: 1 });
    expect(seen.map((r) => r.query.per_page ?? r.query.count)).toEqual(["2", "2", "2", "5"]);
  });

  it("has the namespaces of the public API", () => {
    const { sentry } = harness();
    expect(Object.keys(sentry.org).sort()).toEqual(["authTokens", "members", "projects", "slug", "teams"]);
    expect(Object.keys(sentry.scim).sort()).toEqual(["groups", "users"]);
    expect(typeof sentry.apiTokens.delete).toBe("function");
    expect(typeof sentry.auditLogs.list).toBe("function");
  });

  it("sentry.org carries the slug; the client and its namespaces are frozen", () => {
    const { sentry } = harness();
    expect(sentry.org.slug).toBe("acme");
    expect(Object.isFrozen(sentry)).toBe(true);
    expect(Object.isFrozen(sentry.org)).toBe(true);
    expect(Object.isFrozen(sentry.scim)).toBe(true);
  });

  it("withOrg(slug) targets another organization over the same transport", async () => {
    const { sentry, seen } = harness();
    const other = sentry.withOrg("globex");
    expect(other.transport).toBe(sentry.transport);
    expect(other.org.slug).toBe("globex");
    await other.org.teams
      .list()
      .toArray()
      .catch(() => undefined);
    expect(seen[0]?.path).toBe("/api/0/organizations/globex/teams/");
    const teams = await other.withOrg("acme").org.teams.list().toArray();
    expect(teams.length).toBeGreaterThan(0);
  });

  it("a client without an organization fails with SentryConfigError before any request", async () => {
    const emu = createEmulator({ rateLimit: false, baseUrl: BASE_URL });
    vi.stubEnv("SENTRY_ORG", undefined);
    const client = createSentryClient({ token: emu.adminToken, baseUrl: BASE_URL, fetch: emu.fetch });
    vi.unstubAllEnvs();
    let error: unknown;
    try {
      await client.org.teams.get("payments");
    } catch (e) {
      error = e;
    }
    expect(isSentryConfigError(error) && error.option).toBe("org");
    expect(emu.state.requests).toHaveLength(0);
    await client.close();
  });
});

describe("resources through msw handlers (global fetch)", () => {
  const emu = createEmulator({ rateLimit: false, baseUrl: BASE_URL });
  const server = setupServer(...emu.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  it("lists and creates through the default fetch", async () => {
    const sentry = createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: BASE_URL, retry: false, rateLimit: false });
    try {
      const { team, created } = await sentry.org.teams.ensure({ slug: "via-msw", name: "Via msw" });
      expect(created).toBe(true);
      expect(team.slug).toBe("via-msw");
      expect(emu.state.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /api/0/organizations/acme/teams/ 201"]);
      const slugs = await sentry.org.teams
        .list({ perPage: 3 })
        .map((t) => t.slug)
        .toArray();
      expect(slugs).toContain("via-msw");
    } finally {
      await sentry.close();
    }
  });
});
