/**
 * Child process for limiter-redis.test.ts: one SDK client against the emulator at argv[2], sharing its rate-limit
 * budget through Redis (argv[3], key prefix argv[4]); makes argv[5] team listings and prints how many answers were 429.
 */
import "../../child-lifeline.js";
import { createSentryClient } from "../../../src/client.js";

const [baseUrl, url, keyPrefix, calls, token] = [process.argv[2]!, process.argv[3]!, process.argv[4]!, Number(process.argv[5]), process.argv[6]!];
let limited = 0;
const sentry = createSentryClient({
  token,
  org: "acme",
  baseUrl,
  rateLimit: { redis: { url, keyPrefix, onUnavailable: "fail" } },
  hooks: {
    onResponse: (e) => {
      if (e.status === 429) limited += 1;
    },
  },
});
const queue = Array.from({ length: calls }, (_, i) => i);
// Ten workers per process, as a script listing teams in parallel would.
await Promise.all(
  Array.from({ length: 10 }, async () => {
    while (queue.shift() !== undefined)
      await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
        params: { path: { organization_id_or_slug: "acme" }, query: { per_page: 1 } as never },
      });
  }),
);
await sentry.close();
process.stdout.write(`${JSON.stringify({ limited })}\n`);
