// The demo's access-as-code section: dump the org to a file, edit it, plan, apply, plan again (zero changes).
import type { SentryClient } from "../../client.js";
import { applyAccessPlan, dumpAccess, formatAccessConfig, parseAccessConfig, planAccess } from "../../recipes/access/index.js";
import { describeChange } from "../../recipes/access/render.js";
import type { DemoPrinter } from "./printer.js";

/**
 * Dump → edit → plan → apply → re-plan; returns the number of failed steps.
 * @example failures += await demoAccessAsCode(sentry, out, new Date());
 */
export async function demoAccessAsCode(sentry: SentryClient, out: DemoPrinter, now: Date): Promise<number> {
  out.section("Access as code", "The organization as a file: dump it, edit it, plan the difference, apply it, plan again.");
  const text = formatAccessConfig(await dumpAccess(sentry), "yaml");
  const config = parseAccessConfig(text);
  out.line(
    `sentry-rbac dump: ${Object.keys(config.teams).length} teams, ${Object.keys(config.members).length} members (pending invites included), ${text.split("\n").length} lines of YAML`,
  );
  const [email] = Object.entries(config.members)
    .filter(([, m]) => m.role === "member" && m.teams !== undefined)
    .map(([e]) => e);
  const until = new Date(now.getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
  config.teams.sre = { name: "SRE", projects: ["infra-monitoring"] };
  if (email)
    config.members[email] = {
      ...config.members[email]!,
      teams: { ...config.members[email]?.teams, sre: { role: "admin", until, reason: "on-call rotation" } },
    };
  out.line(`edit: a new team sre (infra-monitoring) with ${email ?? "nobody"} as its admin until ${until}`);
  const plan = await planAccess(sentry, config, { now });
  out.line(`sentry-rbac plan: ${plan.changes.length} change(s), ${plan.expiring.length} expiring within 14 days`);
  for (const change of plan.changes) out.line(`  ${describeChange(change)}`);
  const report = await applyAccessPlan(sentry, plan, { checkFingerprint: false });
  out.line(`sentry-rbac apply --yes: ${report.applied.length} applied, ${report.failed.length} failed`);
  const again = await planAccess(sentry, config, { now });
  out.line(`sentry-rbac plan again: ${again.changes.length} change(s)`);
  return report.failed.length;
}
