import { createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../../src/config.js";
import { isNotFoundError } from "../../../src/http/errors/errors.js";
import { createTransport, type Transport } from "../../../src/http/send/transport.js";

const TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const BASE = "https://sentry.example.com";

const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

/** A transport whose fetch records every request it is sent and answers with `answer`. */
function recording(answer: (req: Request) => Response = () => Response.json([])) {
  const seen: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    return answer(request);
  };
  const transport = createTransport(resolveConfig({ token: TOKEN, org: "acme", baseUrl: BASE, fetch, rateLimit: false, retry: false }, {}));
  transports.push(transport);
  return { transport, seen };
}

/** The URL openapi-fetch's client would build for the same call. */
function openapiFetchUrl(path: string, params: { path?: Record<string, unknown>; query?: Record<string, unknown> }): string {
  return createFinalURL(path, { baseUrl: BASE, params, querySerializer: createQuerySerializer(), pathSerializer: defaultPathSerializer });
}

describe("the resources' api client (transport.api)", () => {
  it("builds the URL openapi-fetch builds: encoded path values, numbers, form-exploded query arrays", async () => {
    const { transport, seen } = recording();
    const path = "/api/0/organizations/{organization_id_or_slug}/members/{member_id}/teams/{team_id_or_slug}/" as const;
    const values = { organization_id_or_slug: "ac me/ü?#", member_id: "42", team_id_or_slug: "a&b=c" };
    await transport.api.POST(path, { params: { path: values } });
    const list = "/api/0/organizations/{organization_id_or_slug}/members/" as const;
    const query = { query: "email:a+b@example.com", cursor: "0:100:0" };
    await transport.api.GET(list, { params: { path: { organization_id_or_slug: "acme" }, query } });
    const events = "/api/0/organizations/{organization_id_or_slug}/audit-logs/" as const;
    await transport.api.GET(events, { params: { path: { organization_id_or_slug: 7 as unknown as string }, query: { event: "member.invite" } } });
    expect(seen.map((r) => r.url)).toEqual([
      new URL(openapiFetchUrl(path, { path: values })).href,
      new URL(openapiFetchUrl(list, { path: { organization_id_or_slug: "acme" }, query })).href,
      new URL(openapiFetchUrl(events, { path: { organization_id_or_slug: 7 }, query: { event: "member.invite" } })).href,
    ]);
    expect(seen[0]?.url).toBe(`${BASE}/api/0/organizations/ac%20me%2F%C3%BC%3F%23/members/42/teams/a%26b%3Dc/`);
  });

  it("sends a JSON body with its content type, and none on a call without a body", async () => {
    const { transport, seen } = recording(() => Response.json({ slug: "payments" }, { status: 201 }));
    const teams = "/api/0/organizations/{organization_id_or_slug}/teams/" as const;
    const { data } = await transport.api.POST(teams, { params: { path: { organization_id_or_slug: "acme" } }, body: { slug: "payments" } });
    await transport.api.GET(teams, { params: { path: { organization_id_or_slug: "acme" } } });
    expect(data).toEqual({ slug: "payments" });
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.headers.get("content-type")).toBe("application/json");
    expect(await seen[0]?.text()).toBe('{"slug":"payments"}');
    expect(seen[1]?.headers.get("content-type")).toBeNull();
    expect(seen[1]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("returns no data for a 204, and throws the typed error (with the path template) for a non-2xx", async () => {
    const { transport } = recording((req) =>
      req.method === "DELETE" ? new Response(null, { status: 204 }) : Response.json({ detail: "The requested resource does not exist" }, { status: 404 }),
    );
    const team = "/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/" as const;
    const params = { params: { path: { organization_id_or_slug: "acme", team_id_or_slug: "gone" } } };
    expect((await transport.api.DELETE(team, params)).data).toBeUndefined();
    const error = await transport.api.GET(team, params).catch((e: unknown) => e);
    expect(isNotFoundError(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, method: "GET", path: team, url: `${BASE}/api/0/teams/acme/gone/` });
  });
});
