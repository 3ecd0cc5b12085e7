import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveConfig, type SentryClientOptions } from "../../../src/config.js";
import {
  isNotFoundError,
  isPermissionError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SentryNetworkError,
  SentryTimeoutError,
} from "../../../src/http/errors/errors.js";
import { call, createTransport, type Transport } from "../../../src/http/send/transport.js";
import { VERSION } from "../../../src/version.js";
import { fakeClock, settle } from "../fake-clock.js";

const TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const SCIM_TOKEN = "scim-secret-4f9a8b7c6d5e4f3a2b1c";
const TEAMS = "/api/0/organizations/{organization_id_or_slug}/teams/" as const;
const org = { params: { path: { organization_id_or_slug: "acme" } } };

type Handler = (request: Request) => Response | Promise<Response>;

function setup(handler: Handler, options: SentryClientOptions = {}) {
  const seen: Request[] = [];
  const bodies: string[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    bodies.push(await request.clone().text());
    return handler(request);
  };
  const transport = createTransport(resolveConfig({ token: TOKEN, org: "acme", fetch, retry: { minDelayMs: 0, maxDelayMs: 0 }, ...options }, {}));
  transports.push(transport);
  return { transport, seen, bodies };
}

const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  vi.unstubAllGlobals();
});

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("attempt headers and URLs", () => {
  it("sends the bearer token and the User-Agent to the base URL, keeping a self-hosted path prefix", async () => {
    const { transport, seen } = setup(() => json([]), { baseUrl: "https://sentry.example.com/tools/sentry", userAgent: "ops-bot/2.1" });
    await call(transport.api.GET(TEAMS, org));
    expect(seen[0]?.url).toBe("https://sentry.example.com/tools/sentry/api/0/organizations/acme/teams/");
    expect(seen[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers.get("user-agent")).toBe(`sentry-rbac/${VERSION} ops-bot/2.1`);
  });

  it("uses the SCIM token on SCIM paths when one is configured, else the auth token", async () => {
    const scimPath = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Users" as const;
    const withScim = setup(() => json({ Resources: [] }), { scimToken: SCIM_TOKEN });
    await withScim.transport.api.GET(scimPath, org);
    await withScim.transport.api.GET(TEAMS, org);
    expect(withScim.seen.map((r) => r.headers.get("authorization"))).toEqual([`Bearer ${SCIM_TOKEN}`, `Bearer ${TOKEN}`]);
    const without = setup(() => json({ Resources: [] }));
    await without.transport.api.GET(scimPath, org);
    expect(without.seen[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("reads a token provider per request, so a rotated secret applies at once", async () => {
    let current = "sntryu_first-token-value-000000";
    const { transport, seen } = setup(() => json([]), { token: async () => current });
    await transport.api.GET(TEAMS, org);
    current = "sntryu_second-token-value-11111";
    await transport.api.GET(TEAMS, org);
    expect(seen.map((r) => r.headers.get("authorization"))).toEqual(["Bearer sntryu_first-token-value-000000", "Bearer sntryu_second-token-value-11111"]);
  });

  it("looks globalThis.fetch up at call time (msw started after the client still sees requests)", async () => {
    const transport = createTransport(resolveConfig({ token: TOKEN }, {}));
    transports.push(transport);
    const stub = vi.fn(async (_input: Request | string | URL) => json([]));
    vi.stubGlobal("fetch", stub);
    await call(transport.api.GET(TEAMS, org));
    expect(stub).toHaveBeenCalledTimes(1);
  });

  it("never sends the token to another origin, even when redirected there", async () => {
    const { transport, seen } = setup((req) =>
      new URL(req.url).hostname === "sentry.io" ? new Response(null, { status: 302, headers: { location: "https://collector.example/steal" } }) : json([]),
    );
    const result = await transport.raw.GET(TEAMS, org);
    expect(result.response.status).toBe(302);
    expect(seen.map((r) => new URL(r.url).hostname)).toEqual(["sentry.io"]);
  });

  it("follows a same-origin redirect with the token", async () => {
    const { transport, seen } = setup((req) =>
      req.url.endsWith("/teams/") ? new Response(null, { status: 301, headers: { location: "/api/0/organizations/acme/teams2/" } }) : json([{ slug: "a" }]),
    );
    const { data } = await call(transport.api.GET(TEAMS, org));
    expect(data).toEqual([{ slug: "a" }]);
    expect(seen[1]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });
});

describe("api, raw and call", () => {
  it("api throws the SentryApiError subclass, with required scopes on 403", async () => {
    const { transport } = setup(() => json({ detail: "You do not have permission to perform this action." }, 403));
    const error = await transport.api.POST(TEAMS, { ...org, body: { slug: "payments" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect(isPermissionError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 403,
      method: "POST",
      path: TEAMS,
      operationId: "createOrganizationTeam",
      requiredScopes: ["org:admin", "org:write", "team:write"],
    });
  });

  it("raw returns { error, response } and call() turns it into the error", async () => {
    const { transport } = setup(() => json({ detail: "The requested resource does not exist" }, 404));
    const result = await transport.raw.GET(TEAMS, org);
    expect(result.error).toEqual({ detail: "The requested resource does not exist" });
    const error = await call(Promise.resolve(result)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(isNotFoundError(error) && error.method).toBe("GET");
  });

  it("re-sends the same body on every attempt", async () => {
    let n = 0;
    const { transport, bodies } = setup(
      () =>
        ++n === 1 ? json("You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds", 429) : json({ slug: "payments" }, 201),
      { rateLimit: false },
    );
    const { data } = await call(transport.api.POST(TEAMS, { ...org, body: { slug: "payments", name: "Payments" } }));
    expect(data).toMatchObject({ slug: "payments" });
    expect(bodies).toEqual(['{"slug":"payments","name":"Payments"}', '{"slug":"payments","name":"Payments"}']);
  });

  it("surfaces a 429 that outlives the retries as RateLimitError with the bare-string detail", async () => {
    const { transport, seen } = setup(() => json("You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds", 429), {
      retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 },
      rateLimit: false,
    });
    const error = await transport.api.GET(TEAMS, org).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).detail).toMatch(/too frequently/);
    expect(seen).toHaveLength(2);
  });
});

describe("middleware on raw sees a Request", () => {
  it("gets the URL, method and headers (without the token), and a header it sets is sent", async () => {
    const { transport, seen } = setup(() => json([]));
    const observed: Array<{ url: string; method: string; auth: string | null; clones: boolean }> = [];
    transport.raw.use({
      onRequest({ request }) {
        observed.push({ url: request.url, method: request.method, auth: request.headers.get("authorization"), clones: typeof request.clone === "function" });
        request.headers.set("x-trace", "abc");
        return undefined;
      },
    });
    await transport.raw.GET(TEAMS, org);
    expect(observed).toEqual([{ url: "https://sentry.io/api/0/organizations/acme/teams/", method: "GET", auth: null, clones: true }]);
    expect(seen[0]!.headers.get("x-trace")).toBe("abc");
    expect(seen[0]!.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("can read the body, signal and a clone, and may replace the request with a platform Request", async () => {
    const { transport, seen, bodies } = setup(() => json({ slug: "payments" }, 201));
    const read: string[] = [];
    transport.raw.use({
      async onRequest({ request }) {
        read.push(await request.clone().text(), String(request.signal.aborted));
        return new Request(request.url, { method: "POST", headers: request.headers, body: '{"slug":"replaced"}' });
      },
    });
    const { data } = await transport.raw.POST(TEAMS, { ...org, body: { slug: "payments" } });
    expect(data).toEqual({ slug: "payments" });
    expect(read).toEqual(['{"slug":"payments"}', "false"]);
    expect(bodies).toEqual(['{"slug":"replaced"}']);
    expect(seen[0]!.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("sends a FormData body with its multipart boundary, the same on a retry", async () => {
    let n = 0;
    const { transport, seen, bodies } = setup(() => (++n === 1 ? json("slow down", 429) : json({ ok: true })), { rateLimit: false });
    const form = new FormData();
    form.set("name", "release.js");
    // Through openapi-fetch, as `raw` sends it (the path is not in the spec, hence the loose type).
    const loose = transport.raw as unknown as { PUT(path: string, init: { body: FormData }): Promise<{ response: Response }> };
    const { response } = await loose.PUT("/api/0/organizations/acme/files/", { body: form });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    const type = seen[0]!.headers.get("content-type") ?? "";
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[1]!.headers.get("content-type")).toBe(type);
    expect(bodies[0]).toContain('name="name"');
    expect(bodies[1]).toBe(bodies[0]);
  });
});

describe("timeouts and aborts", () => {
  const hang: Handler = (req) => new Promise((_, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason)));

  it("fails an attempt that outlives timeoutMs with SentryTimeoutError", async () => {
    const { transport } = setup(hang, { timeoutMs: 20, retry: false });
    await expect(transport.api.GET(TEAMS, org)).rejects.toBeInstanceOf(SentryTimeoutError);
  });

  it("rejects with the caller's abort reason and does not retry", async () => {
    const { transport, seen } = setup(hang);
    const controller = new AbortController();
    const pending = transport.api.GET(TEAMS, { ...org, signal: controller.signal });
    await settle();
    controller.abort(new Error("stop now"));
    await expect(pending).rejects.toThrow("stop now");
    expect(seen).toHaveLength(1);
  });

  it("cancels a wait in the limiter (endpoint paused by a 429)", async () => {
    const clock = fakeClock(1_700_000_000_000);
    const reset = String(1_700_000_000 + 30);
    const { transport, seen } = setup(
      () => json("limited", 429, { "X-Sentry-Rate-Limit-Remaining": "0", "X-Sentry-Rate-Limit-Limit": "40", "X-Sentry-Rate-Limit-Reset": reset }),
      { clock, retry: false },
    );
    await transport.api.GET(TEAMS, org).catch(() => undefined);
    const controller = new AbortController();
    const pending = transport.api.GET(TEAMS, { ...org, signal: controller.signal });
    await settle();
    controller.abort(new Error("no more waiting"));
    await expect(pending).rejects.toThrow("no more waiting");
    expect(seen).toHaveLength(1);
  });

  it("cancels a backoff sleep between attempts", async () => {
    const clock = fakeClock(1_700_000_000_000);
    const { transport, seen } = setup(() => json({ detail: "bad gateway" }, 502, { "Retry-After": "10" }), { clock, rateLimit: false });
    const controller = new AbortController();
    const pending = transport.api.GET(TEAMS, { ...org, signal: controller.signal });
    await settle();
    expect(clock.sleeps).toEqual([10_000]);
    controller.abort(new Error("deadline"));
    await expect(pending).rejects.toThrow("deadline");
    expect(seen).toHaveLength(1);
  });
});

describe("hooks and logger never see a token", () => {
  it("reports requests, responses, retries and rate limits with redacted payloads", async () => {
    const events: unknown[] = [];
    const logs: string[] = [];
    let n = 0;
    const { transport } = setup(
      () =>
        ++n === 1
          ? json("limited", 429, { "X-Sentry-Rate-Limit-Remaining": "0", "X-Sentry-Rate-Limit-Limit": "40", "X-Sentry-Rate-Limit-Reset": "1700000000" })
          : json({ id: "1", name: "ci", token: TOKEN, refreshToken: "sntryu_refresh0123456789", note: `made with ${TOKEN}` }, 201),
      {
        clock: fakeClock(1_700_000_000_000),
        hooks: {
          onRequest: (e) => {
            events.push(["request", e]);
          },
          onResponse: async (e) => {
            events.push(["response", { ...e, body: await e.body() }]);
          },
          onRetry: (e) => {
            events.push(["retry", e]);
          },
          onRateLimit: (e) => {
            events.push(["rateLimit", e]);
          },
        },
        logger: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      },
    );
    await call(transport.api.PUT("/api/0/api-tokens/{token_id}/" as never, { params: { path: { token_id: "1" } }, body: { name: "ci" } } as never));
    expect(events.map((e) => (e as [string])[0])).toEqual(["request", "rateLimit", "response", "retry", "request", "response"]);
    const lastResponse = events[5] as [string, { body: Record<string, unknown>; status: number }];
    expect(lastResponse[1].status).toBe(201);
    expect(lastResponse[1].body).toMatchObject({ name: "ci", token: "[REDACTED]", refreshToken: "[REDACTED]", note: "made with [REDACTED]" });
    const everything = JSON.stringify(events) + inspect(events, { depth: 10 }) + logs.join("\n");
    expect(logs.length).toBeGreaterThan(0);
    expect(everything).not.toContain(TOKEN.slice(7));
  });

  it("keeps the token out of the transport's config in inspect and JSON", () => {
    const { transport } = setup(() => json([]));
    const dump = JSON.stringify(transport.config) + inspect(transport, { depth: 6, showHidden: true });
    expect(dump).not.toContain(TOKEN.slice(7));
  });
});

describe("real sockets", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("retries a POST whose connection was refused (nothing was sent)", async () => {
    const url = await listen(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const retries: unknown[] = [];
    const transport = createTransport(
      resolveConfig(
        {
          token: TOKEN,
          baseUrl: url,
          retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 },
          hooks: {
            onRetry: (e) => {
              retries.push(e.reason);
            },
          },
        },
        {},
      ),
    );
    transports.push(transport);
    const error = await transport.api.POST(TEAMS, { ...org, body: { slug: "x" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentryNetworkError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", requestSent: false });
    expect(retries).toEqual(["network", "network"]);
  });

  it("retries a GET after a dropped connection but not a POST that may have been applied", async () => {
    const hits: string[] = [];
    const url = await listen((req, res) => {
      hits.push(req.method!);
      if (hits.length % 2 === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end("[]");
    });
    const transport = createTransport(resolveConfig({ token: TOKEN, baseUrl: url, retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 } }, {}));
    transports.push(transport);
    await expect(call(transport.api.GET(TEAMS, org))).resolves.toMatchObject({ data: [] });
    expect(hits).toEqual(["GET", "GET"]);
    const error = await transport.api.POST(TEAMS, { ...org, body: { slug: "x" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "network", requestSent: true });
    expect(hits).toEqual(["GET", "GET", "POST"]);
  });
});
