/**
 * Child process of bench/resilience.ts.
 * `export <path> <format> <perPage> <killAtPage>`: exports the demo emulator's audit log, printing each checkpoint,
 * and SIGKILLs itself when the checkpoint of page <killAtPage> is reported.
 * `budget <baseUrl> <redisUrl> <keyPrefix> <calls>`: makes <calls> team listings sharing a Redis budget.
 */
import { writeSync } from "node:fs";
import { createSentryClient } from "../src/client.js";
import { exportAuditLog, type AuditExportFormat } from "../src/recipes/audit/export/export.js";
import { createEmulator } from "../src/testing/index.js";

export const NOW = Date.parse("2026-03-01T12:00:00Z");
export const AUDIT_ROWS = 2_000;
const TOKEN = "sntryu_bench000000000000000000000000000000000000000000000000000000";

const [mode, ...args] = process.argv.slice(2);
if (mode === "export") {
  const [path, format, perPage, killAt] = [args[0]!, args[1] as AuditExportFormat, Number(args[2]), Number(args[3])];
  const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => NOW, auditRows: AUDIT_ROWS, baseUrl: "https://sentry.test" });
  const sentry = createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: "https://sentry.test", fetch: emu.fetch, rateLimit: false });
  await exportAuditLog(sentry, {
    format,
    to: path,
    perPage,
    now: new Date(NOW),
    overwrite: true,
    onProgress: (p) => {
      writeSync(1, `${p.lastCursor}\n`);
      if (p.pages === killAt) process.kill(process.pid, "SIGKILL");
    },
  });
} else if (mode === "budget") {
  const [baseUrl, url, keyPrefix, calls] = [args[0]!, args[1]!, args[2]!, Number(args[3])];
  const sentry = createSentryClient({
    token: TOKEN,
    org: "acme",
    baseUrl,
    rateLimit: { redis: { url, keyPrefix, onUnavailable: "fail" } },
    retry: { retries: 10 },
  });
  const queue = Array.from({ length: calls }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (queue.shift() !== undefined)
        await sentry.transport.api.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: { organization_id_or_slug: "acme" } } });
    }),
  );
  await sentry.close();
}
