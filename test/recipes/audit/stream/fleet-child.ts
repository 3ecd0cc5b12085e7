/**
 * Child process of fleet.test.ts: one fleet worker following the given organizations through the parent's proxy,
 * leases and checkpoints in Redis, one NDJSON file per organization. Prints "acquired <org>" / "lost <org>".
 */
import "../../../child-lifeline.js";
import { createSentryClient } from "../../../../src/client.js";
import { followAuditFleet } from "../../../../src/recipes/audit/stream/index.js";

const [url, redis, prefix, orgs, dir, workerId, since] = process.argv.slice(2) as [string, string, string, string, string, string, string];
const sentry = createSentryClient({
  baseUrl: url,
  token: "sntryu_fleetworkertoken0000",
  rateLimit: false,
  retry: { retries: 5, minDelayMs: 5, maxDelayMs: 50 },
});
const controller = new AbortController();
process.once("SIGTERM", () => controller.abort());
await followAuditFleet(sentry, {
  orgs: orgs.split(","),
  redis,
  prefix,
  leaseMs: 1_500,
  workerId,
  intervalMs: 50,
  lookbackMs: 2_000,
  rules: false,
  since,
  sinkFor: (org) => `file:${dir}/${org}.ndjson`,
  signal: controller.signal,
  onLease: (org, change) => process.stdout.write(`${change} ${org}\n`),
});
await sentry.close();
