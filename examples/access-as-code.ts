/**
 * Access as code: dump the organization to a file, declare a change, plan it, apply it, plan again (zero changes).
 *   npx tsx examples/access-as-code.ts
 */
import { createSentryClient } from "../src/index.js";
import { applyAccessPlan, dumpAccess, formatAccessConfig, parseAccessConfig, planAccess, renderPlanText } from "../src/recipes/index.js";
import { createEmulator } from "../src/testing/index.js";

const emu = createEmulator({ fixture: "demo", rateLimit: false });
const sentry = createSentryClient({ org: emu.org, baseUrl: "https://sentry.test", token: emu.adminToken, fetch: emu.fetch });

function check(claim: string, ok: boolean): void {
  if (!ok) throw new Error(`claim failed: ${claim}`);
  console.log(`ok: ${claim}`);
}

try {
  // 1. The live organization as a file (YAML); a fresh dump plans zero changes.
  const text = formatAccessConfig(await dumpAccess(sentry), "yaml");
  check("a fresh dump plans zero changes", (await planAccess(sentry, parseAccessConfig(text))).changes.length === 0);

  // 2. Declare a time-bound contractor and a new team, as a person would edit the file.
  const edited = text
    .replace(
      /^members:\n/m,
      `members:
  ana@vendor.test:
    role: member
    teams: { mobile: contributor }
    until: 2099-03-01
    reason: "Q1 mobile redesign contract"
`,
    )
    .replace(/^teams:\n/m, "teams:\n  contractors-q1: { name: Q1 Contractors, projects: [mobile-redesign] }\n");
  const config = parseAccessConfig(edited);
  const plan = await planAccess(sentry, config);
  console.log(renderPlanText(plan));
  check("the plan invites ana and creates the team", plan.changes.some((c) => c.action === "invite") && plan.changes.some((c) => c.action === "create"));

  // 3. A saved plan is plain JSON; apply refuses it if the organization changed in between.
  const saved = JSON.parse(JSON.stringify(plan)) as typeof plan;
  const report = await applyAccessPlan(sentry, saved);
  check("every step applied", report.failed.length === 0 && report.applied.length === plan.changes.length);
  check("planning again shows zero changes", (await planAccess(sentry, config)).changes.length === 0);
} finally {
  await sentry.close();
}
