// The HTTP sinks against a local node:http server that fails (503, a dropped connection) and stalls (no answer):
// Splunk HEC framing and auth, retries with backoff, 0 records lost, no token in any message or log line.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AuditSinkError, httpSink, tailAuditLog } from "../../../../src/recipes/audit/stream/index.js";
import { harness, START } from "./helpers.js";

const TOKEN = "11111111-2222-3333-4444-555555555555";

interface Hec {
  url: string;
  events: Array<Record<string, unknown>>;
  requests: number;
  auth: Set<string>;
  close(): Promise<void>;
}

/** A HEC look-alike: the n-th requests answer as `plan` says (503, drop, stall), the rest 200. */
async function hec(plan: (n: number) => "ok" | "503" | "drop" | "stall" | "401"): Promise<Hec> {
  const state = { events: [] as Array<Record<string, unknown>>, requests: 0, auth: new Set<string>() };
  const stalled: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = state.requests++;
      state.auth.add(String(req.headers.authorization));
      const what = plan(n);
      if (what === "drop") return req.socket.destroy();
      if (what === "stall") return void stalled.push(res);
      if (what === "503") return res.writeHead(503).end('{"text":"Server is busy","code":9}');
      if (what === "401") return res.writeHead(401).end('{"text":"Invalid token","code":4}');
      // HEC's JSON endpoint takes concatenated event objects.
      for (const line of Buffer.concat(chunks).toString("utf8").split("\n")) if (line) state.events.push(JSON.parse(line) as Record<string, unknown>);
      res.writeHead(200, { "content-type": "application/json" }).end('{"text":"Success","code":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/collector/event`,
    get events() {
      return state.events;
    },
    get requests() {
      return state.requests;
    },
    auth: state.auth,
    close: () =>
      new Promise((resolve) => {
        for (const r of stalled) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let servers: Hec[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe("httpSink", () => {
  it("delivers every row to Splunk HEC through 503s, drops and stalls: 0 lost", async () => {
    const plan = ["503", "ok", "drop", "ok", "stall", "503", "ok"];
    const server = await hec((n) => (plan[n] ?? (n % 5 === 0 ? "503" : "ok")) as "ok");
    servers.push(server);
    const h = harness({ auditRows: 0 });
    h.emu.liveAudit({ ratePerSecond: 10, maxRows: 450, seed: 4 });
    const log: string[] = [];
    const controller = new AbortController();
    await tailAuditLog(h.sentry, {
      follow: true,
      since: new Date(START),
      format: "ecs",
      rules: false,
      clock: h.clock,
      intervalMs: 3_000,
      lookbackMs: 5_000,
      sink: server.url,
      http: { token: TOKEN, batchSize: 40, timeoutMs: 1_000, minDelayMs: 1, maxDelayMs: 5, log: (m) => log.push(m) },
      signal: controller.signal,
      onProgress: (p) => {
        if (p.caughtUp && h.clock.now() > START + 60_000) controller.abort();
      },
    });
    const ids = server.events.map((e) => String((e.event as { event: { id: string } }).event.id));
    expect(new Set(ids).size).toBe(450);
    // Only a batch whose answer was lost (the drop, the stall) may repeat: the SIEM deduplicates by event.id.
    expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(80);
    expect(server.events[0]).toMatchObject({ source: "sentry-rbac", sourcetype: "sentry:audit", time: expect.any(Number) });
    expect([...server.auth]).toEqual([`Splunk ${TOKEN}`]);
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log.join("\n")).not.toContain(TOKEN);
    expect(log.some((m) => m.includes("no answer within 1000 ms"))).toBe(true);
    await h.close();
  });

  it("fails a refused batch (401) without the token in the error, and needs a token for HEC", async () => {
    const server = await hec(() => "401");
    servers.push(server);
    const sink = httpSink(server.url, { token: TOKEN, minDelayMs: 1, maxDelayMs: 1 });
    const error = await sink.write([{ id: "1" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditSinkError);
    expect((error as AuditSinkError).status).toBe(401);
    expect(JSON.stringify({ message: (error as Error).message })).not.toContain(TOKEN);
    expect(server.requests).toBe(1);
    const saved = process.env.SPLUNK_HEC_TOKEN;
    delete process.env.SPLUNK_HEC_TOKEN;
    await expect(httpSink(server.url).write([{ id: "1" }])).rejects.toThrow(/SPLUNK_HEC_TOKEN/);
    if (saved !== undefined) process.env.SPLUNK_HEC_TOKEN = saved;
  });

  it("posts a JSON array to a generic webhook, retrying a 503", async () => {
    const bodies: unknown[] = [];
    let calls = 0;
    const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
      calls += 1;
      if (calls === 1) return new Response("busy", { status: 503 });
      bodies.push(JSON.parse(String(init?.body)));
      return new Response(null, { status: 204 });
    };
    const sink = httpSink("https://siem.example.com/hooks/sentry", { fetch, headers: { "x-api-key": "k" }, minDelayMs: 1, maxDelayMs: 1 });
    await sink.write([{ id: "1" }, { id: "2" }]);
    expect(bodies).toEqual([[{ id: "1" }, { id: "2" }]]);
    expect(calls).toBe(2);
    expect(() => httpSink("http://siem.example.com/hook")).toThrow(/https/);
  });
});

describe("httpSink waits as every outbound request of the package does", () => {
  it("honours Retry-After in seconds and as an HTTP-date, beyond maxDelayMs, cut to maxPauseMs", async () => {
    const sleeps: number[] = [];
    const answers = [
      () => new Response("slow down", { status: 429, headers: { "retry-after": "45" } }),
      () => new Response("busy", { status: 503, headers: { "retry-after": new Date(Date.now() + 45_000).toUTCString() } }),
      () => new Response("slow down", { status: 429, headers: { "retry-after": "315360000" } }),
      () => new Response(null, { status: 204 }),
    ];
    let calls = 0;
    const sink = httpSink("https://siem.example.com/hooks/sentry", {
      fetch: async () => answers[calls++]!(),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0,
      maxDelayMs: 30_000,
      maxPauseMs: 120_000,
      budgetMs: 600_000,
    });
    await sink.write([{ id: "1" }]);
    expect(calls).toBe(4);
    expect(sleeps[0]).toBe(45_000);
    // An HTTP-date has whole-second resolution: a second's slack, no more.
    expect(sleeps[1]).toBeGreaterThan(43_000);
    expect(sleeps[1]).toBeLessThanOrEqual(45_000);
    expect(sleeps[2]).toBe(120_000);
  });

  it("stops when the retry budget would be passed, naming the attempts and the last answer", async () => {
    let calls = 0;
    const sink = httpSink("https://siem.example.com/hooks/sentry", {
      fetch: async () => (calls++, new Response("slow down", { status: 429, headers: { "retry-after": "40" } })),
      sleep: async () => undefined,
      random: () => 0,
      budgetMs: 100_000,
    });
    const error = await sink.write([{ id: "1" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditSinkError);
    expect(error).toMatchObject({ status: 429 });
    expect((error as Error).message).toMatch(/after 3 attempts: 429 slow down/);
    expect(calls).toBe(3);
  });

  it("allows plain http on every loopback address (127.0.0.0/8, ::1, localhost), as the client's baseUrl does", () => {
    for (const url of ["http://127.0.0.1:8088/hook", "http://127.0.0.2:8088/hook", "http://[::1]:8088/hook", "http://localhost:8088/hook"]) {
      expect(() => httpSink(url, { token: TOKEN }), url).not.toThrow();
    }
    for (const url of ["http://10.0.0.1/hook", "http://128.0.0.1/hook", "http://localhost.example.com/hook"]) {
      expect(() => httpSink(url, { token: TOKEN }), url).toThrow(/https/);
    }
  });
});
