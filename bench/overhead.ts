/** Bench: 5,000 sequential GETs through the client vs plain fetch against a loopback server. Target ≤ 1.15×. */
import { createSentryClient } from "../src/client.js";
import { startPlainServer } from "./servers.js";

/** What every bench returns; printed by bench/run.ts. */
export interface BenchResult {
  name: string;
  ratio: number;
  target: string;
  details: Record<string, number | string>;
}

const N = 5_000;
const TOKEN = "sntryu_bench000000000000000000000000000000000000000000000000000000";

/**
 * Measures per-request overhead of the SDK pipeline (limiter, retry wrapper, auth, hooks plumbing, openapi-fetch).
 * @example const result = await benchOverhead(); console.log(result.ratio);
 */
export async function benchOverhead(): Promise<BenchResult> {
  const server = await startPlainServer();
  const sentry = createSentryClient({ token: TOKEN, org: "acme", baseUrl: server.url, rateLimit: { requestsPerSecond: 1e6, burst: 1e6 } });
  const path = "/api/0/organizations/{organization_id_or_slug}/teams/" as const;
  const params = { params: { path: { organization_id_or_slug: "acme" } } };
  const rawUrl = `${server.url}/api/0/organizations/acme/teams/`;
  const rawOnce = async () => {
    const res = await fetch(rawUrl, { headers: { authorization: `Bearer ${TOKEN}`, "user-agent": "bench" } });
    await res.json();
  };
  const clientOnce = async () => {
    const { data } = await sentry.raw.GET(path, params);
    if (!data) throw new Error("bench request failed");
  };
  const time = async (fn: () => Promise<void>) => {
    const start = performance.now();
    for (let i = 0; i < N; i++) await fn();
    return performance.now() - start;
  };
  try {
    for (let i = 0; i < 300; i++) { await rawOnce(); await clientOnce(); }
    // Interleaved halves even out drift (GC, CPU frequency) between the two measurements.
    const raw1 = await time(rawOnce);
    const client1 = await time(clientOnce);
    const client2 = await time(clientOnce);
    const raw2 = await time(rawOnce);
    const rawMs = (raw1 + raw2) / 2;
    const clientMs = (client1 + client2) / 2;
    return {
      name: "overhead: 5,000 sequential GETs, client vs raw fetch",
      ratio: clientMs / rawMs,
      target: "<= 1.15",
      details: { requests: N, rawMs: Math.round(rawMs), clientMs: Math.round(clientMs), rawPerRequestUs: Math.round((rawMs / N) * 1000), clientPerRequestUs: Math.round((clientMs / N) * 1000) },
    };
  } finally {
    await sentry.close();
    await server.close();
  }
}
