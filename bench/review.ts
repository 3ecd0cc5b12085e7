/**
 * Access review bench: a generated organization of 20,000 members, 1,000 teams and 2,000 projects served by the
 * emulator with Sentry's limits on (40 requests per endpoint per 1 s window, 25 concurrent).
 * - `review start` must read with the access plan's minimum pages — 1 (API root) + ⌈T/100⌉ + ⌈M/100⌉ + Σ ⌈mₜ/100⌉
 *   over teams with members, no per-member GET (the fixture has no invites, whose details are the only ones read) —
 *   and finish within 1.1× the time the limits allow for them: the busiest endpoint's count at 40 per second (here
 *   the 1,000 team member lists: 25 s). Peak RSS growth during the start must stay under 300 MB.
 *   The access plan's bare read runs first, as the access bench's dump does: it warms the client's limiter on the
 *   server's windows, and its time is reported beside the start's. The emulator serves in this process; the start's
 *   CPU time is reported so a server-bound run (at this size the emulator's team member lists cost tens of
 *   milliseconds each) is told from a pacing problem.
 * - `review close` of 2,000 revocations must send one DELETE each and no per-member read: its reads are the
 *   organization before the writes (for the rails) and the final re-read into after.json.
 * Run: npx tsx bench/run.ts review. On a loaded machine, REVIEW_BENCH_SCALE=0.25 runs a quarter of the organization
 * (and of the revocations); the targets are the same ratios.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSentryClient } from "../src/client.js";
import { closeAccessReview, parseCsv, startAccessReview } from "../src/recipes/index.js";
import { readLiveState } from "../src/recipes/access/live.js";
import { createEmulator, type Fixture } from "../src/testing/index.js";
import type { BenchResult } from "./overhead.js";

const SCALE = Number(process.env.REVIEW_BENCH_SCALE ?? "1");
const MEMBERS = Math.round(20_000 * SCALE);
const TEAMS = Math.round(1_000 * SCALE);
const PROJECTS = Math.round(2_000 * SCALE);
const REVOCATIONS = Math.round(2_000 * SCALE);
const LIMIT = 40;
const CONCURRENT = 25;

/** The generated organization: every member on two teams, every project on one or two teams. */
function generated(): Fixture {
  const pad = (i: number) => String(i).padStart(5, "0");
  const teams = Array.from({ length: TEAMS }, (_, i) => ({ slug: `team-${pad(i)}`, name: `Team ${i}` }));
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({
    slug: `project-${pad(i)}`,
    platform: "python",
    teams: [teams[i % TEAMS]?.slug ?? "", ...(i % 3 === 0 ? [teams[(i * 7) % TEAMS]?.slug ?? ""] : [])],
  }));
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    email: `user${pad(i)}@bench.test`,
    orgRole: i < 3 ? ("owner" as const) : i < 60 ? ("manager" as const) : ("member" as const),
    teams: [
      { team: teams[i % TEAMS]?.slug ?? "", role: null },
      { team: teams[(i * 7 + 3) % TEAMS]?.slug ?? "", role: i % 10 === 0 ? ("admin" as const) : null },
    ],
  }));
  return { org: { slug: "bench" }, teams, projects, members, auditRows: 0 };
}

/** The earliest finish in Sentry's fixed, epoch-aligned 1 s windows for `count` requests on one endpoint (context). */
function windowAlignedMs(start: number, count: number): number {
  return Math.max(1, (Math.floor(start / 1000) + Math.ceil(count / LIMIT) - 1) * 1000 - start);
}

/** Peak resident set size while `work` runs, sampled every 20 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs the start and close measurements.
 * @example const result = await benchReview(); console.log(result.ratio, result.details);
 */
export async function benchReview(): Promise<BenchResult> {
  const emu = createEmulator({ fixture: generated(), rateLimit: { limit: LIMIT, windowMs: 1000, concurrent: CONCURRENT, invites: false } });
  const server = await emu.listen();
  const sentry = createSentryClient({
    token: emu.adminToken,
    org: "bench",
    baseUrl: server.url,
    retry: { retries: 10, budgetMs: 300_000 },
    rateLimit: { requestsPerSecond: LIMIT, burst: 4, maxConcurrent: CONCURRENT },
  });
  const dir = await mkdtemp(join(tmpdir(), "review-bench-"));
  try {
    // The state is read once (each read of emu.state is a fresh copy).
    const state = emu.state;
    const perTeam = new Map<string, number>();
    for (const m of state.members) for (const t of m.teams) perTeam.set(t.team, (perTeam.get(t.team) ?? 0) + 1);
    const teamMemberPages = [...perTeam.values()].reduce((n, count) => n + Math.ceil(count / 100), 0);
    const formulaPages = 1 + Math.ceil(TEAMS / 100) + Math.ceil(MEMBERS / 100) + teamMemberPages;
    // The busiest endpoint decides: the team member lists (one path template for every team).
    const allowedMs = (Math.max(Math.ceil(MEMBERS / 100), teamMemberPages) / LIMIT) * 1000;
    // The access plan's read alone, first: it warms the client's limiter on the server's windows (as the access
    // bench's dump does) and shows what this machine allows the bare read today.
    const readAt = Date.now();
    await readLiveState(sentry, { concurrency: CONCURRENT });
    const bareReadMs = Date.now() - readAt;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    const before = emu.state.requests.length;
    const startAt = Date.now();
    const cpuBefore = process.cpuUsage();
    const { result: started, peak } = await peakRss(() =>
      startAccessReview(sentry, { out: join(dir, "q1"), reviewers: { "*": "security@bench.test" }, concurrency: CONCURRENT }),
    );
    const startMs = Date.now() - startAt;
    // The emulator serves in this process: CPU time near the wall time means the server, not the pacing, set the pace.
    const cpu = process.cpuUsage(cpuBefore);
    const startCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const startRequests = emu.state.requests.slice(before);
    const perMemberGets = startRequests.filter((r) => /\/members\/\d+\/$/.test(r.path)).length;

    // Reviewers revoke REVOCATIONS plain members and keep everyone else.
    const file = join(dir, "q1", "decisions.csv");
    const records = parseCsv(await readFile(file, "utf8"));
    let revoked = 0;
    const lines = records.map(({ fields }, index) => {
      if (index === 0) return fields.join(",");
      const revoke = fields[2] === "member" && revoked < REVOCATIONS && ++revoked > 0;
      return [fields[0], fields[1], fields[2], "", "", fields[5], revoke ? "revoke" : "keep", "", "", ""].join(",");
    });
    await writeFile(file, `${lines.join("\r\n")}\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const closeBefore = emu.state.requests.length;
    const closeAt = Date.now();
    const closed = await closeAccessReview(sentry, { dir: join(dir, "q1"), concurrency: CONCURRENT });
    const closeMs = Date.now() - closeAt;
    const closeRequests = emu.state.requests.slice(closeBefore).filter((r) => r.status !== 429);
    const deletes = closeRequests.filter((r) => r.method === "DELETE").length;
    const closeMemberGets = closeRequests.filter((r) => r.method === "GET" && /\/members\/\d+\/$/.test(r.path)).length;
    return {
      name: `review start/close: ${MEMBERS} members, ${TEAMS} teams, ${PROJECTS} projects at ${LIMIT}/s per endpoint, ${CONCURRENT} concurrent`,
      ratio: startMs / allowedMs,
      target: "start <= 1.1 with pages = formula and 0 per-member GETs, RSS growth < 300 MB; close: 1 DELETE per revocation, 0 per-member GETs",
      details: {
        startMs,
        allowedMs,
        windowAlignedMinMs: windowAlignedMs(startAt, Math.max(Math.ceil(MEMBERS / 100), teamMemberPages)),
        bareReadMs,
        startCpuMs,
        startPages: started.requests,
        formulaPages,
        perMemberGets,
        startRequests: startRequests.length,
        responses429: startRequests.filter((r) => r.status === 429).length,
        rssGrowthMb: Math.round((peak - baseline) / 1e6),
        revocations: revoked,
        closeDeletes: deletes,
        closePerMemberGets: closeMemberGets,
        closeReads: closed.requests.reads,
        closeRevokedVerified: closed.counts.revoked,
        closeFailed: closed.counts.failed,
        closeMs,
      },
    };
  } finally {
    await sentry.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
