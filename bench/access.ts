/**
 * Access-as-code bench: a generated organization of 5,000 members, 300 teams and 500 projects served by the
 * emulator with Sentry's limits on (40 requests per endpoint per 1 s window, 25 concurrent). `plan` must read with
 * the minimum number of list pages — 1 (API root) + ⌈T/100⌉ + ⌈M/100⌉ + Σ ⌈mₜ/100⌉ over teams with members, no
 * per-member GET — and finish within 1.1× the time those limits allow for those requests: the busiest endpoint's
 * count at 40 per second (here the 300 team member lists: 7.5 s). The earliest finish in epoch-aligned windows is
 * reported too: it depends on where in a window the plan starts, since the team list must come first. `apply` of N changes must send N writes plus a bounded
 * number of reads (0, or one plan-sized read when it checks a saved plan's fingerprint).
 * Run: npx tsx bench/run.ts access
 */
import { createSentryClient } from "../src/client.js";
import { applyAccessPlan, driftAccess, dumpAccess, planAccess } from "../src/recipes/index.js";
import { createEmulator, type Fixture } from "../src/testing/index.js";
import type { BenchResult } from "./overhead.js";

const MEMBERS = 5_000;
const TEAMS = 300;
const PROJECTS = 500;
const LIMIT = 40;
const CONCURRENT = 25;
const AUDIT_ROWS = 20_000;
const DAY_MS = 86_400_000;

/** The generated organization (exported for probes). */
export function generated(): Fixture {
  const teams = Array.from({ length: TEAMS }, (_, i) => ({ slug: `team-${String(i).padStart(3, "0")}`, name: `Team ${i}` }));
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({
    slug: `project-${String(i).padStart(3, "0")}`,
    platform: "python",
    teams: [teams[i % TEAMS]?.slug ?? "", ...(i % 3 === 0 ? [teams[(i * 7) % TEAMS]?.slug ?? ""] : [])],
  }));
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    email: `user${String(i).padStart(4, "0")}@bench.test`,
    orgRole: i < 3 ? ("owner" as const) : i < 40 ? ("manager" as const) : ("member" as const),
    teams: [
      { team: teams[i % TEAMS]?.slug ?? "", role: null },
      { team: teams[(i * 7 + 3) % TEAMS]?.slug ?? "", role: i % 10 === 0 ? ("admin" as const) : null },
    ],
  }));
  // 20,000 audit rows over 120 days: drift must read only the last 30 days' pages.
  return { org: { slug: "bench" }, teams, projects, members, auditRows: AUDIT_ROWS };
}

/** The time LIMIT requests per second per endpoint allow for `counts` requests per endpoint (the busiest one decides). */
function allowedMs(counts: readonly number[]): number {
  return (Math.max(...counts) / LIMIT) * 1000;
}

/** The earliest finish in Sentry's fixed, epoch-aligned 1 s windows, starting at `start` (reported for context). */
function windowAlignedMs(start: number, counts: readonly number[]): number {
  const windows = Math.ceil(Math.max(...counts) / LIMIT);
  return Math.max(1, (Math.floor(start / 1000) + windows - 1) * 1000 - start);
}

/**
 * Runs the plan and apply measurements.
 * @example const result = await benchAccess(); console.log(result.ratio, result.details);
 */
export async function benchAccess(): Promise<BenchResult> {
  const emu = createEmulator({ fixture: generated(), rateLimit: { limit: LIMIT, windowMs: 1000, concurrent: CONCURRENT, invites: false } });
  const server = await emu.listen();
  const sentry = createSentryClient({
    token: emu.adminToken,
    org: "bench",
    baseUrl: server.url,
    retry: { retries: 10, budgetMs: 120_000 },
    // Sentry's limits, so the client starts at the right pace instead of learning it from the headers; a small burst
    // spreads each second's requests instead of spending a fixed window at its start.
    rateLimit: { requestsPerSecond: LIMIT, burst: 4, maxConcurrent: CONCURRENT },
  });
  try {
    const config = await dumpAccess(sentry);
    const teamsWithMembers = new Set(Object.values(config.members).flatMap((m) => Object.keys(m.teams ?? {}))).size;
    const expectedPages = 1 + Math.ceil(TEAMS / 100) + Math.ceil(MEMBERS / 100) + teamsWithMembers; // each team has < 100 members
    // Wait for a fresh window so the dump's requests do not count against the plan.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = emu.state.requests.length;
    const start = Date.now();
    const plan = await planAccess(sentry, config, { inviteHistory: false, concurrency: CONCURRENT });
    const planMs = Date.now() - start;
    const planRequests = emu.state.requests.slice(before);
    const perMemberGets = planRequests.filter((r) => /\/members\/\d+\/$/.test(r.path)).length;
    const limited = planRequests.filter((r) => r.status === 429).length;
    const counts = [Math.ceil(MEMBERS / 100), teamsWithMembers];
    const minMs = allowedMs(counts);

    // Drift: the same read as the plan, plus the audit log for the window only (newest first, pages end at `since`).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const windowRows = emu.state.auditLog.filter((row) => Date.parse(row.dateCreated) >= Date.now() - 30 * DAY_MS).length;
    const driftBefore = emu.state.requests.length;
    const driftStart = Date.now();
    const drift = await driftAccess(sentry, config);
    const driftMs = Date.now() - driftStart;
    const driftRequests = emu.state.requests.slice(driftBefore);
    const auditPages = driftRequests.filter((r) => r.path.includes("/audit-logs/")).length;
    const driftAllowedMs = minMs + allowedMs([auditPages]);

    // Apply N changes: role updates and team memberships spread over the org.
    const edited = structuredClone(config);
    let n = 0;
    for (const [email, member] of Object.entries(edited.members)) {
      if (n >= 150 || member.role !== "member") continue;
      const team = `team-${String((n * 13) % TEAMS).padStart(3, "0")}`;
      if (member.teams && !(team in member.teams)) {
        member.teams[team] = {};
        n++;
      }
      if (n % 3 === 0 && email) member.role = "manager";
    }
    const applyPlan = await planAccess(sentry, edited, { inviteHistory: false });
    const applyBefore = emu.state.requests.length;
    const applyStart = Date.now();
    const report = await applyAccessPlan(sentry, applyPlan, { checkFingerprint: false, concurrency: 25 });
    const applyMs = Date.now() - applyStart;
    const applyRequests = emu.state.requests.slice(applyBefore);
    const writes = applyRequests.filter((r) => r.method !== "GET" && r.status !== 429).length;
    const reads = applyRequests.filter((r) => r.method === "GET").length;
    return {
      name: `access plan: ${MEMBERS} members, ${TEAMS} teams, ${PROJECTS} projects at ${LIMIT}/s per endpoint, ${CONCURRENT} concurrent`,
      ratio: planMs / minMs,
      target: "<= 1.1, pages = formula, 0 per-member GETs; drift <= 1.1x (plan bound + audit pages), audit pages = window's; apply writes = N, reads bounded",
      details: {
        planMs,
        allowedMs: minMs,
        windowAlignedMinMs: windowAlignedMs(start, counts),
        pagesRead: plan.stats.requests,
        formulaPages: expectedPages,
        perMemberGets,
        planRequests: planRequests.length,
        responses429: limited,
        driftMs,
        driftAllowedMs,
        driftRatio: driftMs / driftAllowedMs,
        driftDifferences: drift.drift.length,
        auditPagesRead: auditPages,
        auditPagesForWindow: Math.ceil(windowRows / 100),
        auditRowsInLog: AUDIT_ROWS,
        auditRowsInWindow: windowRows,
        applyChanges: applyPlan.changes.length,
        applyWrites: writes,
        applyReads: reads,
        applyFailed: report.failed.length,
        applyMs,
      },
    };
  } finally {
    await sentry.close();
    await server.close();
  }
}
