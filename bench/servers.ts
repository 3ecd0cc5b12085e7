/** node:http servers on 127.0.0.1 used by the benches. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A running bench server. */
export interface BenchServer {
  url: string;
  stats: { requests: number; limited: number };
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.keepAliveTimeout = 30_000;
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** Answers every request with a small JSON list at once. */
export async function startPlainServer(): Promise<BenchServer> {
  const stats = { requests: 0, limited: 0 };
  const body = JSON.stringify([{ id: "1", slug: "payments", name: "Payments" }]);
  const server = createServer((_req, res) => {
    stats.requests += 1;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
  });
  return { url: await listen(server), stats, close: closer(server) };
}

/**
 * Limits like Sentry: per endpoint (method + path) fixed windows aligned to epoch seconds of `limit` requests,
 * at most `concurrent` in flight, the five X-Sentry-Rate-Limit-* headers on every answer, 429 with a JSON
 * string body on excess. Each request takes `latencyMs` to serve.
 */
export async function startSentryLikeServer(options: { limit: number; concurrent: number; windowMs?: number; latencyMs?: number }): Promise<BenchServer> {
  const { limit, concurrent, windowMs = 1000, latencyMs = 2 } = options;
  const stats = { requests: 0, limited: 0 };
  const windows = new Map<string, { window: number; count: number }>();
  let inflight = 0;
  const server = createServer((req, res) => {
    stats.requests += 1;
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const key = `${req.method} ${req.url?.split("?")[0]}`;
    let state = windows.get(key);
    if (!state || state.window !== window) {
      state = { window, count: 0 };
      windows.set(key, state);
    }
    inflight += 1;
    const overConcurrent = inflight > concurrent;
    const overWindow = state.count >= limit;
    if (!overConcurrent && !overWindow) state.count += 1;
    const headers = {
      "content-type": "application/json",
      "x-sentry-rate-limit-limit": String(limit),
      "x-sentry-rate-limit-remaining": String(Math.max(0, limit - state.count)),
      "x-sentry-rate-limit-reset": String(Math.ceil(((window + 1) * windowMs) / 1000)),
      "x-sentry-rate-limit-concurrentlimit": String(concurrent),
      "x-sentry-rate-limit-concurrentremaining": String(Math.max(0, concurrent - inflight)),
    };
    const finish = (status: number, body: string) => {
      inflight -= 1;
      res.writeHead(status, headers).end(body);
    };
    if (overConcurrent || overWindow) {
      stats.limited += 1;
      finish(429, JSON.stringify(`You are attempting to use this endpoint too frequently. Limit is ${limit} requests in 1 seconds`));
      return;
    }
    setTimeout(() => finish(200, "[]"), latencyMs);
  });
  return { url: await listen(server), stats, close: closer(server) };
}
