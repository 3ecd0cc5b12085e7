import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isSentryConfigError } from "../../../src/http/errors/errors.js";

const servers: Server[] = [];
afterEach(async () => {
  vi.doUnmock("undici");
  vi.resetModules();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const headers = () => new Headers({ authorization: "Bearer t" });

describe("the undici sender", () => {
  it("names the missing optional peer dependency on the first request, before anything is sent", async () => {
    vi.resetModules();
    vi.doMock("undici", () => {
      throw new Error("Cannot find package 'undici'");
    });
    const { undiciSender } = await import("../../../src/http/send/undici-sender.js");
    const error = await undiciSender("http://127.0.0.1:9")
      .send(new URL("http://127.0.0.1:9/api/0/"), { method: "GET", headers: headers(), body: undefined, signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect(isSentryConfigError(error)).toBe(true);
    expect((error as Error).message).toBe('Invalid option `sender`: sender "undici" needs the optional peer dependency `undici` (npm i undici@7)');
    // Through a client, the same SentryConfigError reaches the caller, not wrapped as a network failure nor retried.
    const { createSentryClient } = await import("../../../src/client.js");
    const sentry = createSentryClient({
      token: "t".repeat(20),
      org: "acme",
      baseUrl: "http://127.0.0.1:9",
      sender: "undici",
      retry: { retries: 2, minDelayMs: 0, maxDelayMs: 0 },
    });
    const viaClient = await sentry.org.teams.get("payments").catch((e: unknown) => e);
    await sentry.close();
    expect(isSentryConfigError(viaClient) && viaClient.option).toBe("sender");
    expect((viaClient as Error).message).toBe((error as Error).message);
  });

  it("keeps its connections alive across requests and closes them on close()", async () => {
    const sockets = new Set<Socket>();
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { "content-type": "application/json", "content-length": "2" }).end("[]");
    });
    server.on("connection", (socket: Socket) => sockets.add(socket));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/0/`);
    const { undiciSender } = await import("../../../src/http/send/undici-sender.js");
    const sender = undiciSender(url.origin);
    for (let i = 0; i < 10; i++) {
      const head = await sender.send(url, { method: "GET", headers: headers(), body: undefined, signal: new AbortController().signal });
      expect(head.status).toBe(200);
      const chunks: Uint8Array[] = [];
      for (let r = await head.body!.read(); !r.done; r = await head.body!.read()) chunks.push(r.value);
      expect(Buffer.concat(chunks).toString()).toBe("[]");
    }
    // Reused: undici may open a second connection while the first is still finishing an answer, not one per request.
    expect(requests).toBe(10);
    expect(sockets.size).toBeLessThanOrEqual(2);
    const closed = [...sockets].map((socket) => (socket.destroyed ? Promise.resolve() : new Promise<void>((resolve) => socket.once("close", () => resolve()))));
    await sender.close();
    await Promise.all(closed);
    expect([...sockets].every((socket) => socket.destroyed)).toBe(true);
  });

  it("rejects with the reason of a signal aborted before sending, and sends nothing", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end("[]");
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/0/`);
    const { undiciSender } = await import("../../../src/http/send/undici-sender.js");
    const sender = undiciSender(url.origin);
    const error = await sender
      .send(url, { method: "GET", headers: headers(), body: undefined, signal: AbortSignal.abort(new Error("gave up")) })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe("gave up");
    await expect(
      sender.send(new URL("http://elsewhere.example/api/0/"), { method: "GET", headers: headers(), body: undefined, signal: new AbortController().signal }),
    ).rejects.toThrow(`the undici sender only sends to ${url.origin}`);
    await sender.close();
    expect(requests).toBe(0);
  });

  it("reads a body far larger than its queue in order (the response is paused and resumed), and sends bytes as given", async () => {
    const chunk = (i: number) => Buffer.alloc(16 * 1024, 97 + (i % 26));
    let received = "";
    const server = createServer((req, res) => {
      req.setEncoding("utf8");
      req.on("data", (part: string) => (received += part));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        for (let i = 0; i < 64; i++) res.write(chunk(i));
        res.end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/0/`);
    const { undiciSender } = await import("../../../src/http/send/undici-sender.js");
    const sender = undiciSender(url.origin);
    const sent = new TextEncoder().encode('{"slug":"x"}');
    const head = await sender.send(url, { method: "POST", headers: headers(), body: sent.buffer, signal: new AbortController().signal });
    const parts: Uint8Array[] = [];
    for (let r = await head.body!.read(); !r.done; r = await head.body!.read()) {
      parts.push(r.value);
      // A slow reader: the chunks pile up behind it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(received).toBe('{"slug":"x"}');
    expect(Buffer.concat(parts).equals(Buffer.concat(Array.from({ length: 64 }, (_, i) => chunk(i))))).toBe(true);
    await sender.close();
  });

  it("cancels a body with a reason that is not an Error: reads then reject with an AbortError", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/0/`);
    const { undiciSender } = await import("../../../src/http/send/undici-sender.js");
    const sender = undiciSender(url.origin);
    const head = await sender.send(url, { method: "GET", headers: headers(), body: undefined, signal: new AbortController().signal });
    await head.body!.cancel("no longer needed");
    await expect(head.body!.read()).rejects.toMatchObject({ name: "AbortError" });
    await expect(head.body!.read()).rejects.toMatchObject({ name: "AbortError" });
    await sender.close();
  });
});
