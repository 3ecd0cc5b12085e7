import { afterEach, describe, expect, it } from "vitest";
import { createSentryClient, type SentryClient } from "../src/client.js";
import { isSentryConfigError } from "../src/http/errors/errors.js";

const TOKEN = "sntryu_client0test0000000000000000000000000000000000000000000000";
const clients: SentryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(seen: Request[] = [], org = "acme") {
  const c = createSentryClient({
    token: TOKEN,
    org,
    fetch: async (input, init) => {
      const r = new Request(input, init);
      seen.push(r);
      return Response.json([{ slug: "payments" }]);
    },
  });
  clients.push(c);
  return c;
}

describe("createSentryClient", () => {
  it("sends raw calls through the pipeline with the org's path", async () => {
    const seen: Request[] = [];
    const sentry = client(seen);
    const { data } = await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
      params: { path: { organization_id_or_slug: sentry.org.slug! } },
    });
    expect(data).toEqual([{ slug: "payments" }]);
    expect(seen[0]?.url).toBe("https://sentry.io/api/0/organizations/acme/teams/");
    expect(seen[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("withOrg shares the transport (and so the limiter) and validates the slug", () => {
    const sentry = client();
    const other = sentry.withOrg("globex");
    expect(other.org.slug).toBe("globex");
    expect(other.transport).toBe(sentry.transport);
    expect(other.raw).toBe(sentry.raw);
    expect(sentry.org.slug).toBe("acme");
    let error: unknown;
    try {
      sentry.withOrg("Not A Slug");
    } catch (e) {
      error = e;
    }
    expect(isSentryConfigError(error) && error.option).toBe("withOrg(slug)");
  });

  it("validates options before any request", () => {
    const seen: Request[] = [];
    expect(() =>
      createSentryClient({
        token: TOKEN,
        baseUrl: "http://sentry.corp",
        fetch: async (i) => {
          seen.push(new Request(i));
          return new Response();
        },
      }),
    ).toThrow(/http:\/\/ is allowed only for loopback/);
    expect(seen).toHaveLength(0);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(client())).toBe(true);
  });
});
