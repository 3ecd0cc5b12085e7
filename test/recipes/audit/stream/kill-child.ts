/**
 * Child process of kill.test.ts: follows the emulator server's audit log into an NDJSON file with a file checkpoint,
 * until the parent kills it (SIGKILL at a random point, or at the end).
 */
import "../../../child-lifeline.js";
import { createSentryClient } from "../../../../src/client.js";
import { tailAuditLog } from "../../../../src/recipes/audit/stream/index.js";

const [url, token, org, sinkPath, checkpointPath, since] = process.argv.slice(2) as [string, string, string, string, string, string];
const sentry = createSentryClient({ baseUrl: url, token, org, rateLimit: false, retry: { retries: 5, minDelayMs: 5, maxDelayMs: 50 } });
await tailAuditLog(sentry, {
  follow: true,
  since,
  sink: `file:${sinkPath}`,
  checkpoint: checkpointPath,
  format: "ocsf",
  intervalMs: 400,
  lookbackMs: 2_000,
  batchSize: 500,
  rules: false,
  onError: (error) => process.stderr.write(`${(error as Error).message}\n`),
});
