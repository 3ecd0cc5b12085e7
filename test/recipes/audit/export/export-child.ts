/**
 * Child process for audit-export-crash.test.ts: exports the demo emulator's audit log (deterministic: fixed clock,
 * fixed rows) to argv[2] as argv[3], argv[4] rows a page, printing every checkpoint the export reports, and kills
 * itself with SIGKILL (kill -9) the moment the checkpoint of page argv[5] is reported.
 */
import "../../../child-lifeline.js";
import { writeSync } from "node:fs";
import { createSentryClient } from "../../../../src/client.js";
import { exportAuditLog, type AuditExportFormat } from "../../../../src/recipes/audit/export/export.js";
import { createEmulator } from "../../../../src/testing/index.js";

export const NOW = Date.parse("2026-03-01T12:00:00Z");

const [path, format, perPage, killAt] = [process.argv[2]!, process.argv[3] as AuditExportFormat, Number(process.argv[4]), Number(process.argv[5])];
const emu = createEmulator({ fixture: "demo", rateLimit: false, now: () => NOW, auditRows: 600, baseUrl: "https://sentry.test" });
const sentry = createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: "https://sentry.test", fetch: emu.fetch, rateLimit: false });
await exportAuditLog(sentry, {
  format,
  to: path,
  perPage,
  now: new Date(NOW),
  onProgress: (p) => {
    writeSync(1, `${JSON.stringify({ pages: p.pages, cursor: p.lastCursor })}\n`);
    if (p.pages === killAt) process.kill(process.pid, "SIGKILL");
  },
});
writeSync(1, "finished\n");
