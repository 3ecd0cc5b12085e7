/**
 * Child process for limiter-redis.test.ts: schedules `jobs` requests on one endpoint through a Redis-backed
 * limiter and prints "ran" per job that got budget. Exits after `graceMs`, leaving budget-less jobs unrun.
 */
import { createRateLimiter } from "../../src/http/limiter.js";
import { systemClock } from "../../src/config.js";

const [url, keyPrefix, jobs, graceMs] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), Number(process.argv[5])];
const limiter = createRateLimiter(
  { requestsPerSecond: 0.001, burst: 5, maxConcurrent: 10, maxConcurrentIsExplicit: false, redis: { url, keyPrefix, connectTimeoutMs: 2000, onUnavailable: "fail" } },
  { clock: systemClock, log: (_level, message) => process.stderr.write(`${message}\n`) },
);
for (let i = 0; i < jobs; i++) {
  void limiter.schedule("GET /api/0/organizations/{organization_id_or_slug}/teams/", async () => {
    process.stdout.write("ran\n");
  }).catch(() => undefined); // dropped on close: the point of the test is that they never got budget
}
setTimeout(() => {
  void limiter.close().finally(() => process.exit(0));
}, graceMs);
