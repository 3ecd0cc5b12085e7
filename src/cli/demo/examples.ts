// The seed's three examples, run against the emulator: team isolation, contractor access, the 90-day audit export.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SentryClient } from "../../client.js";
import { exportAuditLog } from "../../recipes/audit/export/export.js";
import { createContractorTeam, offboardContractors } from "../../recipes/contractor/index.js";
import { isolateTeams } from "../../recipes/isolation/isolate-teams.js";
import { describeContractorStep, describeOffboardStep } from "../commands/contractor.js";
import { describeIsolationStep } from "../commands/isolate.js";
import type { DemoPrinter } from "./printer.js";

/** The seed's example 1 mapping (the last two teams own no project yet). */
export const DEMO_ISOLATION: Readonly<Record<string, readonly string[]>> = Object.freeze({
  payments: ["payment-api", "billing-worker"],
  identity: ["auth-service"],
  notifications: [],
  platform: [],
});

/** The seed's example 2: a contractor team on the mobile redesign (one new person, one already in the org). */
export const DEMO_CONTRACTORS = Object.freeze({
  slug: "contractors-q1",
  name: "Q1 Contractors",
  projects: ["mobile-redesign"],
  members: ["ana.contractor@vendor.test", "carla.contractor@vendor.test"],
});

const DAY_MS = 86_400_000;

/** Example 1: plan, apply, and show that a second run plans nothing. */
export async function demoIsolation(sentry: SentryClient, out: DemoPrinter): Promise<number> {
  out.section("Team isolation (seed example 1)", "Each domain team owns its services: payments, identity, notifications, platform.");
  // The fixture already follows the example, so the demo first adds the kind of drift isolation exists to undo.
  await sentry.org.projects.addTeam("payment-api", "platform");
  out.line("drift (made by the demo): team platform was given access to payment-api");
  const plan = await isolateTeams(sentry, DEMO_ISOLATION, { exclusive: true, dryRun: true });
  out.line(`plan (dry run): ${plan.planned.length} change(s)`);
  for (const step of plan.planned) out.line(`  - ${describeIsolationStep(step)}`);
  const applied = await isolateTeams(sentry, DEMO_ISOLATION, { exclusive: true });
  out.line(`applied: ${applied.applied.length} change(s), ${applied.errors.length} error(s)`);
  const again = await isolateTeams(sentry, DEMO_ISOLATION, { exclusive: true, dryRun: true });
  out.line(`re-run plans ${again.planned.length} change(s): the organization matches the map`);
  const rows: Array<{ team: string; projects: string }> = [];
  for (const team of Object.keys(DEMO_ISOLATION)) {
    const projects: string[] = [];
    for await (const project of sentry.org.teams.projects(team)) projects.push(project.slug);
    rows.push({ team, projects: projects.join(", ") || "(none yet)" });
  }
  out.table(rows, [
    { key: "team", header: "TEAM", value: (r) => r.team },
    { key: "projects", header: "PROJECTS", value: (r) => r.projects },
  ]);
  return applied.errors.length;
}

/** Example 2: create the contractor team with a 90-day end date, then preview its offboarding. */
export async function demoContractors(sentry: SentryClient, out: DemoPrinter, now: Date): Promise<number> {
  out.section("Contractor access (seed example 2)", "A contractor team that sees only mobile-redesign, ending in 90 days.");
  const expiresAt = new Date(now.getTime() + 90 * DAY_MS);
  const created = await createContractorTeam(sentry, { ...DEMO_CONTRACTORS, expiresAt, now });
  for (const step of created.applied) out.line(`done: ${describeContractorStep(step)}`);
  for (const skip of created.skipped) out.line(`kept: ${skip.subject} (${skip.reason})`);
  for (const error of created.errors) out.line(`FAILED: ${error.step ? describeContractorStep(error.step) : "plan"}: ${error.message}`);
  const manifest = created.manifest;
  if (manifest === undefined) return Math.max(created.errors.length, 1);
  out.line(`manifest: team ${manifest.team.slug}, ${manifest.members.length} member(s), expires ${manifest.expiresAt.slice(0, 10)}`);
  const preview = await offboardContractors(sentry, manifest, { force: true, dryRun: true, now });
  out.line(`offboarding preview (dry run, --force before expiry): ${preview.planned.length} step(s)`);
  for (const step of preview.planned) out.line(`  - ${describeOffboardStep(step)}`);
  return created.errors.length;
}

/** Example 3: the last 90 days of the audit log to a file, counted like the seed's `jq length`. */
export async function demoAuditExport(sentry: SentryClient, out: DemoPrinter, dir: string, now: Date): Promise<number> {
  out.section("Quarterly audit export (seed example 3)", "The last 90 days of audit events, streamed to a JSON file.");
  const file = join(dir, "sentry-audit-90d.json");
  const report = await exportAuditLog(sentry, { days: 90, format: "json", to: file, now, overwrite: true });
  out.line(`Exported ${report.rows} audit entries (${report.pages} page(s), ${report.window.since.slice(0, 10)} .. ${report.window.until.slice(0, 10)})`);
  const rows = JSON.parse(await readFile(file, "utf8")) as Array<{ dateCreated: string; event: string; actor: string | null }>;
  const byEvent = new Map<string, number>();
  for (const row of rows) byEvent.set(row.event, (byEvent.get(row.event) ?? 0) + 1);
  const top = [...byEvent].sort((a, b) => b[1] - a[1]).slice(0, 5);
  out.line(`file holds ${rows.length} entries; most frequent events:`);
  out.table(
    top.map(([event, count]) => ({ event, count })),
    [
      { key: "event", header: "EVENT", value: (r) => r.event },
      { key: "count", header: "COUNT", value: (r) => r.count },
    ],
  );
  return rows.length === report.rows ? 0 : 1;
}
