/**
 * Rate limits and retries: the client learns an endpoint's window from X-Sentry-Rate-Limit-* headers, waits out
 * 429s, retries idempotent calls on 502/503/504, and never retries a POST the server may have applied.
 *   npx tsx examples/rate-limits-and-retries.ts
 */
import { createSentryClient, isServerError } from "../src/index.js";
import { createEmulator } from "../src/testing/index.js";

const TEAMS = "GET /api/0/organizations/{organization_id_or_slug}/teams/";
const emu = createEmulator({
  fixture: "demo",
  baseUrl: "https://sentry.test",
  // 5 team listings per second; every other endpoint keeps the default 40/s.
  rateLimit: { perEndpoint: { [TEAMS]: { limit: 5, windowMs: 1000 } } },
  faults: {
    script: [
      { method: "GET", operation: "getTeam", nth: 1, fault: 503 }, // a blip: retried
      { method: "POST", path: "/teams/", nth: 1, fault: 503, after: "commit" }, // applied, then failed: not retried
    ],
  },
});

const events: string[] = [];
const sentry = createSentryClient({
  token: emu.adminToken,
  org: "acme",
  baseUrl: "https://sentry.test",
  fetch: emu.fetch,
  retry: { retries: 4, minDelayMs: 100, maxDelayMs: 2_000, budgetMs: 10_000 },
  hooks: {
    onRetry: (e) => void events.push(`retry ${e.method} ${e.reason}${e.status ? ` ${e.status}` : ""} after ${e.delayMs} ms`),
    onRateLimit: (e) => void events.push(`rate-limited ${e.endpoint} until ${e.resetAt?.toISOString() ?? "?"}`),
  },
});

try {
  // Twelve listings at once against a 5/s window: the first answers teach the client the window, and anything
  // refused with 429 is retried at the window's reset. All twelve succeed.
  const started = Date.now();
  const results = await Promise.all(Array.from({ length: 12 }, () => sentry.org.teams.list({ detailed: false }).toArray()));
  console.log(`12 listings of ${results[0]?.length} teams in ${Date.now() - started} ms`);
  const refused = emu.state.requests.filter((r) => r.status === 429).length;
  console.log(`429s seen by the server: ${refused}`);

  // A GET that meets a 503 is retried with jittered backoff.
  const team = await sentry.org.teams.get("payments");
  console.log(`got ${team.slug} after a 503`);

  // A POST that meets a 503 is not retried: Sentry may have created the team (here it did).
  try {
    await sentry.org.teams.create({ slug: "growth", name: "Growth" });
  } catch (error) {
    if (!isServerError(error)) throw error;
    const exists = emu.state.teams.some((t) => t.slug === "growth");
    console.log(`create failed with ${error.status}; team exists anyway: ${exists}`);
    // Converge instead of blindly re-posting: ensure() reads the team when the slug is taken.
    const { created } = await sentry.org.teams.ensure({ slug: "growth", name: "Growth" });
    console.log(`ensure after the failure: created=${created}`);
  }
  for (const line of events) console.log(line);
} finally {
  await sentry.close();
}
