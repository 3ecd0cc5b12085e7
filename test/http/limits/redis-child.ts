/**
 * Child process for limiter-redis.test.ts: schedules `jobs` requests on one endpoint through a Redis-backed
 * limiter and prints "ran" per job that got budget, plus one job on another endpoint that prints "probe" (proof
 * that this process reached Redis). Exits once every job and the probe ran, or `graceMs` after the probe ran,
 * leaving budget-less jobs unrun.
 */
import "../../child-lifeline.js";
import { createRateLimiter } from "../../../src/http/limits/create-limiter.js";
import { systemClock } from "../../../src/config.js";

const [url, keyPrefix, jobs, graceMs] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), Number(process.argv[5])];
const limiter = createRateLimiter(
  {
    requestsPerSecond: 0.001,
    burst: 5,
    maxConcurrent: 10,
    maxConcurrentIsExplicit: false,
    redis: { url, keyPrefix, connectTimeoutMs: 10_000, onUnavailable: "fail" },
  },
  { clock: systemClock, log: (_level, message) => process.stderr.write(`${message}\n`) },
);
let ran = 0;
let probed = false;
const finish = () => void limiter.close().finally(() => process.exit(0));
for (let i = 0; i < jobs; i++) {
  void limiter
    .schedule("GET /api/0/organizations/{organization_id_or_slug}/teams/", async () => {
      process.stdout.write("ran\n");
      ran += 1;
      if (ran === jobs && probed) finish();
    })
    .catch(() => undefined); // dropped on close: the point of the test is that they never got budget
}
void limiter
  .schedule("GET /api/0/organizations/{organization_id_or_slug}/members/", async () => {
    process.stdout.write("probe\n");
    probed = true;
    if (ran === jobs) finish();
    else setTimeout(finish, graceMs);
  })
  .catch((error: unknown) => {
    process.stderr.write(`probe failed: ${String(error)}\n`);
    process.exit(1);
  });
