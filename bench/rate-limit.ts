/**
 * Bench: 1,000 requests over two endpoints issued at once against a server limiting like Sentry (fixed 1 s
 * windows of 40 per endpoint, 25 concurrent). Wall time vs the theoretical minimum (target ≤ 1.05), failed
 * calls (target 0), 429 share (target ≤ 1%); the same figures for a naive Promise.all of plain fetches.
 */
import { createSentryClient } from "../src/client.js";
import type { BenchResult } from "./overhead.js";
import { startSentryLikeServer } from "./servers.js";

const TOTAL = 1_000;
const LIMIT = 40;
const CONCURRENT = 25;
const TOKEN = "sntryu_bench000000000000000000000000000000000000000000000000000000";
const PATHS = ["/api/0/organizations/acme/teams/", "/api/0/organizations/acme/members/"] as const;

/** Earliest possible finish: each endpoint gets LIMIT per epoch-aligned window, starting in the window of `start`. */
function theoreticalMinimumMs(start: number, perEndpoint: number): number {
  const windows = Math.ceil(perEndpoint / LIMIT);
  const lastWindowStart = (Math.floor(start / 1000) + windows - 1) * 1000;
  return Math.max(1, lastWindowStart - start);
}

/**
 * Runs the SDK and the naive baseline.
 * @example const result = await benchRateLimit(); console.log(result.ratio, result.details);
 */
export async function benchRateLimit(): Promise<BenchResult> {
  const server = await startSentryLikeServer({ limit: LIMIT, concurrent: CONCURRENT });
  const sentry = createSentryClient({ token: TOKEN, org: "acme", baseUrl: server.url, retry: { retries: 10, budgetMs: 120_000 } });
  try {
    const start = Date.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: TOTAL }, (_, i) => {
        const teams = i % 2 === 0;
        return teams
          ? sentry.transport.api.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: { organization_id_or_slug: "acme" } } })
          : sentry.transport.api.GET("/api/0/organizations/{organization_id_or_slug}/members/", { params: { path: { organization_id_or_slug: "acme" } } });
      }),
    );
    const wallMs = Date.now() - start;
    const minMs = theoreticalMinimumMs(start, TOTAL / 2);
    const failed = outcomes.filter((o) => o.status === "rejected").length;
    const sdk = { ...server.stats };

    // Naive baseline: everything at once, no limiter, no retries.
    server.stats.requests = 0;
    server.stats.limited = 0;
    const naiveStart = Date.now();
    const naive = await Promise.all(
      Array.from({ length: TOTAL }, (_, i) =>
        fetch(`${server.url}${PATHS[i % 2]}`, { headers: { authorization: `Bearer ${TOKEN}` } }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    const naiveWallMs = Date.now() - naiveStart;
    const naiveFailed = naive.filter((s) => s !== 200).length;

    return {
      name: "rate-limited throughput: 1,000 requests, 2 endpoints, 40/s windows, 25 concurrent",
      ratio: wallMs / minMs,
      target: "<= 1.05, 0 failed, <= 1% 429",
      details: {
        wallMs,
        theoreticalMinMs: minMs,
        failedCalls: failed,
        serverResponses: sdk.requests,
        share429: `${((sdk.limited / sdk.requests) * 100).toFixed(2)}%`,
        naiveWallMs,
        naiveFailedCalls: naiveFailed,
        naiveShare429: `${((server.stats.limited / server.stats.requests) * 100).toFixed(2)}%`,
      },
    };
  } finally {
    await sentry.close();
    await server.close();
  }
}
