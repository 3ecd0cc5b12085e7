import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { setupServer } from "msw/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSentryClient } from "../../../src/client.js";
import { resolveConfig, type SentryClientOptions } from "../../../src/config.js";
import { isSentryTimeoutError, SentryNetworkError, SentryTimeoutError } from "../../../src/http/errors/errors.js";
import { call, createTransport, type Transport } from "../../../src/http/send/transport.js";
import { createEmulator } from "../../../src/testing/index.js";

const TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const TEAMS = "/api/0/organizations/{organization_id_or_slug}/teams/" as const;
const org = { params: { path: { organization_id_or_slug: "acme" } } };
const REQUEST_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const transports: Transport[] = [];
const servers: Server[] = [];
afterEach(async () => {
  vi.unstubAllGlobals();
  await Promise.all(transports.splice(0).map((t) => t.close()));
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback server answering with `handler`; every request it saw, body included. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen[]) => void): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      handler(req, res, seen);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function transportWith(baseUrl: string, options: SentryClientOptions = {}): Transport {
  const transport = createTransport(
    resolveConfig({ token: TOKEN, org: "acme", baseUrl, rateLimit: false, retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 }, ...options }, {}),
  );
  transports.push(transport);
  return transport;
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  const body = JSON.stringify(value);
  res
    .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-sentry-request-id": REQUEST_ID, ...headers })
    .end(body);
};

// Both senders answer every case alike: same request headers, same decoding, same typed errors and messages.
describe.each(["fetch", "undici"] as const)("requests through the %s sender (no fetch option), against a real server", (sender) => {
  const transportFor = (baseUrl: string, options: SentryClientOptions = {}): Transport => transportWith(baseUrl, { sender, ...options });

  it("sends the token, User-Agent, Accept and Accept-Encoding", async () => {
    const { baseUrl, seen } = await serve((_req, res) => json(res, 200, [{ slug: "payments" }]));
    const transport = transportFor(baseUrl);
    const { data } = await call(transport.api.GET(TEAMS, org));
    expect(data).toEqual([{ slug: "payments" }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "GET", url: "/api/0/organizations/acme/teams/" });
    expect(seen[0]!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: "*/*", "accept-encoding": "gzip, deflate" });
    expect(seen[0]!.headers["user-agent"]).toMatch(/^sentry-rbac\//);
    // `sec-fetch-mode` is what undici's fetch adds: the request went through the platform fetch, or around it.
    expect(seen[0]!.headers["sec-fetch-mode"]).toBe(sender === "fetch" ? "cors" : undefined);
  });

  it("keeps every response header, repeated ones included, and the status text", async () => {
    const { baseUrl } = await serve((_req, res) => {
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.setHeader("link", '<https://x/?cursor=1>; rel="next"; results="true"');
      res.statusMessage = "Fine";
      json(res, 200, []);
    });
    const { response } = await transportFor(baseUrl).raw.GET("/api/0/" as never);
    expect(response.status).toBe(200);
    expect(response.statusText).toBe("Fine");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(response.headers.get("link")).toContain('rel="next"');
    expect(response.headers.get("x-sentry-request-id")).toBe(REQUEST_ID);
  });

  it("sends a POST body, the same on a retry, and reads a 204 as no data", async () => {
    const { baseUrl, seen } = await serve((_req, res, all) => {
      if (all.length === 1) json(res, 503, { detail: "busy" });
      else res.writeHead(204).end();
    });
    const transport = transportFor(baseUrl);
    const result = await call(
      transport.api.PUT(
        "/api/0/organizations/{organization_id_or_slug}/members/{member_id}/teams/{team_id_or_slug}/" as never,
        { params: { path: { organization_id_or_slug: "acme", member_id: "7", team_id_or_slug: "payments" } }, body: { teamRole: "admin" } } as never,
      ),
    );
    expect(result.data).toBeUndefined();
    expect(seen.map((s) => [s.method, s.body, s.headers["content-type"]])).toEqual([
      ["PUT", '{"teamRole":"admin"}', "application/json"],
      ["PUT", '{"teamRole":"admin"}', "application/json"],
    ]);
  });

  it("decodes gzip, deflate (zlib and raw) and brotli bodies", async () => {
    const value = [{ slug: "payments", name: "x".repeat(2000) }];
    const raw = Buffer.from(JSON.stringify(value));
    const encodings: Record<string, Buffer> = {
      gzip: gzipSync(raw),
      deflate: deflateSync(raw),
      "deflate-raw": deflateRawSync(raw),
      br: brotliCompressSync(raw),
      "gzip, br": brotliCompressSync(gzipSync(raw)),
    };
    const { baseUrl } = await serve((req, res) => {
      const name = decodeURIComponent(new URL(req.url ?? "", "http://x").searchParams.get("e") ?? "");
      const body = encodings[name]!;
      res
        .writeHead(200, {
          "content-type": "application/json",
          "content-encoding": name === "deflate-raw" ? "deflate" : name,
          "content-length": body.byteLength,
        })
        .end(body);
    });
    const transport = transportFor(baseUrl);
    for (const name of Object.keys(encodings)) {
      const { data } = await call(transport.api.GET(TEAMS, { params: { ...org.params, query: { e: name } } } as never));
      expect(data, name).toEqual(value);
    }
  });

  it("decodes x-gzip, and passes identity and unknown codings through as they came", async () => {
    const value = [{ slug: "payments" }];
    const raw = Buffer.from(JSON.stringify(value));
    const bodies: Record<string, Buffer> = { "x-gzip": gzipSync(raw), identity: raw, "x-unknown": raw, "gzip, x-unknown": raw };
    const { baseUrl } = await serve((req, res) => {
      const name = decodeURIComponent(new URL(req.url ?? "", "http://x").searchParams.get("e") ?? "");
      const body = bodies[name]!;
      res.writeHead(200, { "content-type": "application/json", "content-encoding": name, "content-length": body.byteLength }).end(body);
    });
    const transport = transportFor(baseUrl);
    for (const name of Object.keys(bodies)) {
      const { data } = await call(transport.api.GET(TEAMS, { params: { ...org.params, query: { e: name } } } as never));
      expect(data, name).toEqual(value);
    }
  });

  it("reads a 304 and the answer to a HEAD as having no body", async () => {
    const { baseUrl, seen } = await serve((req, res) => {
      if (req.method === "HEAD") res.writeHead(200, { "content-type": "application/json", "content-length": "2" }).end();
      else res.writeHead(304, { etag: '"v1"' }).end();
    });
    const transport = transportFor(baseUrl);
    const head = await transport.raw.HEAD("/api/0/" as never);
    expect([head.response.status, head.response.body]).toEqual([200, null]);
    const notModified = await transport.raw.GET("/api/0/" as never, { headers: { "if-none-match": '"v1"' } } as never);
    expect([notModified.response.status, notModified.response.body, notModified.response.headers.get("etag")]).toEqual([304, null, '"v1"']);
    expect(seen.map((s) => s.method)).toEqual(["HEAD", "GET"]);
  });

  it("bounds a compressed body by its decoded size (maxResponseBytes), without retrying", async () => {
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
    const { baseUrl, seen } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": bomb.byteLength }).end(bomb);
    });
    const error = await transportFor(baseUrl, { maxResponseBytes: 64 * 1024 })
      .api.GET(TEAMS, org)
      .catch((e: unknown) => e);
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    expect(error).toMatchObject({ kind: "response", reason: "too-large", status: 200 });
    expect(seen).toHaveLength(1);
  });

  it("refuses a declared Content-Length above the limit, and stops a chunked body that passes it", async () => {
    const { baseUrl } = await serve((req, res) => {
      if (req.url?.includes("declared")) {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(10 * 1024 * 1024), "x-sentry-request-id": REQUEST_ID });
        res.write("[");
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "x-sentry-request-id": REQUEST_ID });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const timer = setInterval(() => res.write(chunk), 1);
      res.on("close", () => clearInterval(timer));
    });
    const transport = transportFor(baseUrl, { maxResponseBytes: 100 * 1024 });
    await expect(transport.api.GET(TEAMS, { params: { ...org.params, query: { declared: "1" } } } as never)).rejects.toMatchObject({
      reason: "too-large",
      requestId: REQUEST_ID,
    });
    await expect(transport.api.GET(TEAMS, org)).rejects.toMatchObject({ reason: "too-large", requestId: REQUEST_ID });
  });

  it("answers malformed JSON on a 200 as a typed error, after retrying the GET", async () => {
    const { baseUrl, seen } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-sentry-request-id": REQUEST_ID }).end('[{"slug": "pay');
    });
    await expect(transportFor(baseUrl).api.GET(TEAMS, org)).rejects.toMatchObject({
      kind: "response",
      reason: "malformed",
      status: 200,
      requestId: REQUEST_ID,
    });
    expect(seen).toHaveLength(3);
  });

  it("retries a GET whose body was cut mid-stream, then returns the good answer", async () => {
    const { baseUrl, seen } = await serve((req, res, all) => {
      if (all.length > 1) return json(res, 200, [{ slug: "payments" }]);
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('[{"slug": "pay');
      setTimeout(() => req.socket.destroy(), 5);
    });
    const { data } = await call(transportFor(baseUrl).api.GET(TEAMS, org));
    expect(data).toEqual([{ slug: "payments" }]);
    expect(seen).toHaveLength(2);
  });

  it("fails a gzip body cut mid-stream as truncated, after retrying the GET", async () => {
    const whole = gzipSync(Buffer.from(JSON.stringify([{ slug: "payments", name: "x".repeat(4000) }])));
    const { baseUrl, seen } = await serve((req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": whole.byteLength,
        "x-sentry-request-id": REQUEST_ID,
      });
      res.write(whole.subarray(0, Math.floor(whole.byteLength / 2)));
      setTimeout(() => req.socket.destroy(), 5);
    });
    await expect(transportFor(baseUrl).api.GET(TEAMS, org)).rejects.toMatchObject({
      kind: "response",
      reason: "truncated",
      status: 200,
      requestId: REQUEST_ID,
    });
    expect(seen).toHaveLength(3);
  });

  it("fails an answer that never comes, and a body that stalls past timeoutMs, with SentryTimeoutError after retrying the GET", async () => {
    const { baseUrl, seen } = await serve((req, res) => {
      if (req.url?.includes("stall")) {
        res.writeHead(200, { "content-type": "application/json", "x-sentry-request-id": REQUEST_ID });
        res.write("[");
      }
      // Otherwise: no answer at all.
    });
    // Attempts counted where they start (a loaded machine may time one out before the server sees it).
    let attempts = 0;
    const transport = transportFor(baseUrl, {
      timeoutMs: 400,
      retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 },
      hooks: {
        onRequest: () => {
          attempts += 1;
        },
      },
    });
    const silent = await transport.api.GET(TEAMS, org).catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(SentryTimeoutError);
    expect(silent).toMatchObject({ kind: "timeout", phase: "headers", timeoutMs: 400 });
    expect(attempts).toBe(2);
    const stalled = await transport.api.GET(TEAMS, { params: { ...org.params, query: { stall: "1" } } } as never).catch((e: unknown) => e);
    expect(isSentryTimeoutError(stalled)).toBe(true);
    expect(stalled).toMatchObject({ kind: "timeout", phase: "body", timeoutMs: 400, status: 200, requestId: REQUEST_ID });
    expect((stalled as Error).message).toContain("body");
    expect(attempts).toBe(4);
    expect(seen.length).toBeLessThanOrEqual(4);
  });

  it("rejects with the caller's abort reason (an Error or not) before the answer and while its body is read, without retrying", async () => {
    let arrived: () => void = () => undefined;
    const { baseUrl, seen } = await serve((req, res) => {
      if (req.url?.includes("body")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[", () => arrived());
      } else arrived();
    });
    const transport = transportFor(baseUrl);
    for (const reason of [new Error("caller gave up"), "user pressed stop"]) {
      for (const query of [{}, { body: "1" }]) {
        const controller = new AbortController();
        // The abort comes once the server holds the request (and, for the second, has started the body).
        const atServer = new Promise<void>((resolve) => {
          arrived = resolve;
        });
        const pending = transport.api.GET(TEAMS, { params: { ...org.params, query }, signal: controller.signal } as never).catch((e: unknown) => e);
        void atServer.then(() => setTimeout(() => controller.abort(reason), 10));
        expect(await pending).toBe(reason);
      }
    }
    expect(seen).toHaveLength(4);
  });

  it("follows a same-origin redirect with the token and never sends it to another origin", async () => {
    const other = await serve((_req, res) => json(res, 200, ["elsewhere"]));
    const { baseUrl, seen } = await serve((req, res) => {
      if (req.url?.includes("away")) res.writeHead(302, { location: `${other.baseUrl}/api/0/` }).end();
      else if (req.url?.startsWith("/api/0/organizations/acme/teams/")) res.writeHead(301, { location: "/api/0/moved/" }).end();
      else json(res, 200, ["moved"]);
    });
    const transport = transportFor(baseUrl);
    const { data } = await call(transport.api.GET(TEAMS, org));
    expect(data).toEqual(["moved"]);
    expect(seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ["/api/0/organizations/acme/teams/", `Bearer ${TOKEN}`],
      ["/api/0/moved/", `Bearer ${TOKEN}`],
    ]);
    const { response } = await transport.raw.GET("/api/0/away/" as never);
    expect(response.status).toBe(302);
    expect(other.seen).toHaveLength(0);
  });

  it("walks a Link-paginated list asking for each page once, the next one as soon as its Link header is in", async () => {
    const pages = 5;
    let inFlight = 0;
    let overlapped = 0;
    const { baseUrl, seen } = await serve((req, res) => {
      const page = Number(new URL(req.url ?? "", "http://x").searchParams.get("cursor")?.split(":")[1] ?? 0);
      const link = (n: number, rel: string, results: boolean) =>
        `<${baseUrl}/api/0/organizations/acme/teams/?cursor=0:${n}:0>; rel="${rel}"; results="${results}"; cursor="0:${n}:0"`;
      // Headers first, the body a little later: the walk may ask for the next page in between.
      inFlight += 1;
      if (inFlight > 1) overlapped += 1;
      res.writeHead(200, { "content-type": "application/json", link: `${link(page - 1, "previous", page > 0)}, ${link(page + 1, "next", page < pages - 1)}` });
      res.flushHeaders();
      setTimeout(() => {
        inFlight -= 1;
        res.end(JSON.stringify([{ id: String(page), slug: `team-${page}`, name: `Team ${page}` }]));
      }, 20);
    });
    const sentry = createSentryClient({ token: TOKEN, org: "acme", baseUrl, sender, rateLimit: false });
    const slugs = await sentry.org.teams
      .list()
      .map((team) => team.slug)
      .toArray();
    await sentry.close();
    expect(slugs).toEqual(["team-0", "team-1", "team-2", "team-3", "team-4"]);
    expect(seen.map((s) => new URL(s.url, "http://x").searchParams.get("cursor"))).toEqual([null, "0:1:0", "0:2:0", "0:3:0", "0:4:0"]);
    expect(overlapped).toBeGreaterThan(0);
  });

  it("names a refused connection as a network error and retries it, even for a POST", async () => {
    const { baseUrl } = await serve(() => undefined);
    servers[0]!.closeAllConnections();
    await new Promise((r) => servers.splice(0)[0]!.close(r));
    const error = await transportFor(baseUrl, { retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 } })
      .api.POST(TEAMS, { ...org, body: { slug: "x" } } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentryNetworkError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", requestSent: false });
  });
});

describe("a replaced fetch is the one called", () => {
  it("uses a globalThis.fetch stubbed after the client was made (msw, a test double), and the platform one once it is restored", async () => {
    const { baseUrl, seen } = await serve((_req, res) => json(res, 200, []));
    const transport = transportWith(baseUrl);
    const platform = globalThis.fetch;
    let stubbed = 0;
    vi.stubGlobal("fetch", (input: Request | string | URL, init?: RequestInit) => {
      stubbed += 1;
      return platform(input, init);
    });
    await call(transport.api.GET(TEAMS, org));
    expect(stubbed).toBe(1);
    expect(seen[0]!.headers["sec-fetch-mode"]).toBe("cors");
    vi.unstubAllGlobals();
    await call(transport.api.GET(TEAMS, org));
    expect(stubbed).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it("is answered by msw's setupServer, started after the client was made, for a client without a fetch option", async () => {
    const emu = createEmulator({ rateLimit: false });
    const sentry = createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: emu.baseUrl, rateLimit: false, retry: false });
    const server = setupServer(...emu.handlers);
    server.listen({ onUnhandledRequest: "error" });
    try {
      const created = await sentry.org.teams.create({ slug: "via-msw" });
      expect(created.slug).toBe("via-msw");
      expect((await sentry.org.teams.list().toArray()).map((team) => team.slug)).toContain("via-msw");
      expect(emu.state.requests.map((r) => [r.method, r.status])).toEqual([
        ["POST", 201],
        ["GET", 200],
      ]);
    } finally {
      server.close();
      await sentry.close();
    }
  });

  it("uses the fetch option when one is given", async () => {
    const { baseUrl, seen } = await serve((_req, res) => json(res, 200, []));
    let given = 0;
    await call(transportWith(baseUrl, { fetch: (input, init) => ((given += 1), globalThis.fetch(input, init)) }).api.GET(TEAMS, org));
    expect(given).toBe(1);
    expect(seen[0]!.headers["sec-fetch-mode"]).toBe("cors");
  });

  it('is never called by a client made with sender "undici", which refuses a fetch option beside it', async () => {
    const { baseUrl, seen } = await serve((_req, res) => json(res, 200, [{ slug: "payments" }]));
    const transport = transportWith(baseUrl, { sender: "undici" });
    let stubbed = 0;
    const platform = globalThis.fetch;
    vi.stubGlobal("fetch", (input: Request | string | URL, init?: RequestInit) => {
      stubbed += 1;
      return platform(input, init);
    });
    const { data } = await call(transport.api.GET(TEAMS, org));
    expect(data).toEqual([{ slug: "payments" }]);
    expect(stubbed).toBe(0);
    expect(seen).toHaveLength(1);
    expect(() => resolveConfig({ token: TOKEN, baseUrl, sender: "undici", fetch: platform }, {})).toThrow(
      'Invalid option `sender`: give either a `fetch` or sender "undici", not both',
    );
    expect(() => resolveConfig({ token: TOKEN, baseUrl, sender: "http2" as never }, {})).toThrow('Invalid option `sender`: must be "fetch" or "undici"');
  });
});
