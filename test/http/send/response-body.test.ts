import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { resolveConfig, type SentryClientOptions } from "../../../src/config.js";
import { isSentryApiError, isSentryResponseError, isSentryTimeoutError, SentryResponseError, SentryTimeoutError } from "../../../src/http/errors/errors.js";
import { call, createTransport, type Transport } from "../../../src/http/send/transport.js";

const TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const TEAMS = "/api/0/organizations/{organization_id_or_slug}/teams/" as const;
const org = { params: { path: { organization_id_or_slug: "acme" } } };
const REQUEST_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

const transports: Transport[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  for (const s of servers.splice(0)) s.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function client(fetch: (req: Request) => Response | Promise<Response>, options: SentryClientOptions = {}) {
  let calls = 0;
  const counting = async (input: Request | string | URL, init?: RequestInit) => {
    calls += 1;
    return fetch(new Request(input, init));
  };
  const transport = createTransport(
    resolveConfig({ token: TOKEN, org: "acme", fetch: counting, rateLimit: false, retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 }, ...options }, {}),
  );
  transports.push(transport);
  return { transport, calls: () => calls };
}

const jsonHeaders = { "content-type": "application/json", "x-sentry-request-id": REQUEST_ID };

/** A body that sends `first` and then never ends (or ends only when its reader cancels). */
function endless(first: Uint8Array, repeat: boolean): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(first);
      },
      pull(controller) {
        if (repeat) controller.enqueue(first);
        else return new Promise<void>(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

describe("the body is read and parsed inside the retried attempt", () => {
  it("retries a GET whose 200 body is malformed JSON, then returns the good answer", async () => {
    let n = 0;
    const { transport, calls } = client(() => new Response(++n === 1 ? '[{"slug": "pay' : '[{"slug": "payments"}]', { status: 200, headers: jsonHeaders }));
    const { data } = await call(transport.api.GET(TEAMS, org));
    expect(data).toEqual([{ slug: "payments" }]);
    expect(calls()).toBe(2);
  });

  it("surfaces malformed JSON that outlives the retries as a SentryResponseError with status, request id and hint", async () => {
    const { transport, calls } = client(() => new Response("{nope", { status: 200, headers: jsonHeaders }));
    const error = await transport.api.GET(TEAMS, org).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentryResponseError);
    expect(isSentryResponseError(error)).toBe(true);
    expect(isSentryApiError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "response", reason: "malformed", status: 200, requestId: REQUEST_ID, method: "GET" });
    expect((error as SentryResponseError).hint).toMatch(/JSON/);
    expect(calls()).toBe(3);
  });

  it("treats an HTML page with status 200 (a proxy's login page) as a malformed answer", async () => {
    const { transport } = client(() => new Response("<html>sign in</html>", { status: 200, headers: { "content-type": "text/html" } }), { retry: false });
    await expect(transport.api.GET(TEAMS, org)).rejects.toMatchObject({ kind: "response", reason: "malformed", status: 200 });
  });

  it("does not retry a POST whose answer was malformed: the server acted", async () => {
    const { transport, calls } = client(() => new Response("{", { status: 201, headers: jsonHeaders }));
    await expect(transport.api.POST(TEAMS, { ...org, body: { slug: "x" } })).rejects.toMatchObject({ kind: "response", status: 201 });
    expect(calls()).toBe(1);
  });

  it("fails a body that stalls past timeoutMs with SentryTimeoutError (phase body) carrying the status, after retrying a GET", async () => {
    const { transport, calls } = client(() => new Response(endless(new TextEncoder().encode('[{"slug":'), false), { status: 200, headers: jsonHeaders }), {
      timeoutMs: 30,
    });
    const error = await transport.api.GET(TEAMS, org).catch((e: unknown) => e);
    expect(isSentryTimeoutError(error)).toBe(true);
    expect(isSentryResponseError(error)).toBe(false);
    expect(error).toMatchObject({ kind: "timeout", phase: "body", timeoutMs: 30, status: 200, requestId: REQUEST_ID, method: "GET" });
    expect((error as SentryTimeoutError).hint).toMatch(/timeoutMs/);
    expect(calls()).toBe(3);
  });

  it("does not retry a POST whose body stalled past timeoutMs: the server acted", async () => {
    const { transport, calls } = client(() => new Response(endless(new TextEncoder().encode('{"slug":'), false), { status: 201, headers: jsonHeaders }), {
      timeoutMs: 30,
    });
    const error = await transport.api.POST(TEAMS, { ...org, body: { slug: "x" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "timeout", phase: "body", status: 201 });
    expect(calls()).toBe(1);
  });

  it("rejects with the caller's abort reason while the body is being read", async () => {
    const { transport } = client(() => new Response(endless(new TextEncoder().encode("["), false), { status: 200, headers: jsonHeaders }));
    const controller = new AbortController();
    const pending = transport.api.GET(TEAMS, { ...org, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller gave up")), 10);
    await expect(pending).rejects.toThrow("caller gave up");
  });

  it("retries a GET whose body was cut mid-stream (TypeError: terminated) and types the final failure", async () => {
    const hits: number[] = [];
    const server = createServer((req, res) => {
      hits.push(1);
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000", "x-sentry-request-id": REQUEST_ID });
      res.write('[{"slug": "payments"');
      setTimeout(() => req.socket.destroy(), 5);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = createTransport(resolveConfig({ token: TOKEN, baseUrl, rateLimit: false, retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0 } }, {}));
    transports.push(transport);
    const error = await transport.api.GET(TEAMS, org).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "response", reason: "truncated", status: 200, requestId: REQUEST_ID });
    expect(hits).toHaveLength(2);
  });
});

describe("maxResponseBytes", () => {
  it("stops reading a body that never ends once it passes maxResponseBytes, with a typed error and no retry", async () => {
    let cancelled = false;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const { transport, calls } = client(
      () => {
        const body = new ReadableStream<Uint8Array>({
          pull(c) {
            c.enqueue(chunk);
          },
          cancel() {
            cancelled = true;
          },
        });
        return new Response(body, { status: 200, headers: jsonHeaders });
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    const error = await transport.api.GET(TEAMS, org).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "response", reason: "too-large", status: 200, requestId: REQUEST_ID });
    expect((error as SentryResponseError).hint).toMatch(/maxResponseBytes/);
    expect(cancelled).toBe(true);
    expect(calls()).toBe(1);
  });

  it("refuses a declared Content-Length above the limit before reading", async () => {
    let pulled = 0;
    const { transport } = client(
      () => {
        const body = new ReadableStream<Uint8Array>({
          pull(c) {
            pulled += 1;
            c.enqueue(new Uint8Array(10));
          },
        });
        return new Response(body, { status: 200, headers: { ...jsonHeaders, "content-length": String(10 * 1024 * 1024) } });
      },
      { maxResponseBytes: 1024 },
    );
    await expect(transport.api.GET(TEAMS, org)).rejects.toMatchObject({ reason: "too-large" });
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("defaults to 50 MB and validates the option", () => {
    expect(resolveConfig({ token: TOKEN }, {}).maxResponseBytes).toBe(50 * 1024 * 1024);
    expect(() => resolveConfig({ token: TOKEN, maxResponseBytes: 0 }, {})).toThrow(/maxResponseBytes/);
  });
});
