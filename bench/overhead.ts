/**
 * Bench: sequential GETs against a loopback server through `sentry.raw`, through a resource method
 * (`sentry.org.teams.get`) and through `@sentry/api`, each against plain `fetch` with the same headers, in the same
 * run. The default path sends through the platform `fetch`; the same two calls through a client made with
 * `sender: "undici"` are measured beside it, with plain `undici.request` for reference. Target: the default path
 * within 1.25× of plain fetch and below @sentry/api's ratio.
 *
 * The ratios are of CPU time (this process: client, loopback server and undici; `process.cpuUsage`), the
 * wall-time ratios are printed beside them: on a machine shared with other work, wall time mostly measures the
 * others, while CPU time still measures what each loop costs. On an idle machine the two agree.
 */
import { listAnOrganization_sTeams } from "@sentry/api";
import { Pool } from "undici";
import { createSentryClient } from "../src/client.js";
import { startPlainServer } from "./servers.js";

/** What every bench returns; printed by bench/run.ts. */
export interface BenchResult {
  name: string;
  ratio: number;
  target: string;
  details: Record<string, number | string>;
}

// Many short rounds rather than a few long ones: on a shared machine a burst of someone else's work then spoils a
// round or two, which the median drops, instead of a fifth of the samples.
const N = 400;
const ROUNDS = 50;
const TARGET = 1.25;
const TOKEN = "sntryu_bench000000000000000000000000000000000000000000000000000000";

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Measures per-request overhead of the SDK pipeline (limiter, retry wrapper, auth, body read, openapi-fetch).
 * @example const result = await benchOverhead(); console.log(result.ratio);
 */
export async function benchOverhead(): Promise<BenchResult> {
  const server = await startPlainServer();
  const sentry = createSentryClient({ token: TOKEN, org: "acme", baseUrl: server.url, rateLimit: { requestsPerSecond: 1e6, burst: 1e6 } });
  const viaUndici = createSentryClient({ token: TOKEN, org: "acme", baseUrl: server.url, rateLimit: { requestsPerSecond: 1e6, burst: 1e6 }, sender: "undici" });
  const pool = new Pool(server.url);
  const path = "/api/0/organizations/{organization_id_or_slug}/teams/" as const;
  const params = { params: { path: { organization_id_or_slug: "acme" } } };
  const rawUrl = `${server.url}/api/0/organizations/acme/teams/`;
  const loops: Record<string, () => Promise<void>> = {
    fetch: async () => {
      const res = await fetch(rawUrl, { headers: { authorization: `Bearer ${TOKEN}`, "user-agent": "bench" } });
      await res.json();
    },
    // Plain fetch with what the rules ask of every attempt: a timeout signal, and redirects not followed blindly.
    fetchGuarded: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      const res = await fetch(rawUrl, { headers: { authorization: `Bearer ${TOKEN}`, "user-agent": "bench" }, signal: controller.signal, redirect: "manual" });
      await res.json();
      clearTimeout(timer);
    },
    raw: async () => {
      const { data } = await sentry.raw.GET(path, params);
      if (!data) throw new Error("bench request failed");
    },
    resource: async () => {
      await sentry.org.teams.get("payments");
    },
    rawUndici: async () => {
      const { data } = await viaUndici.raw.GET(path, params);
      if (!data) throw new Error("bench request failed");
    },
    resourceUndici: async () => {
      await viaUndici.org.teams.get("payments");
    },
    // undici's own request API with the same headers: the floor of the undici sender.
    undiciRequest: async () => {
      const res = await pool.request({
        path: "/api/0/organizations/acme/teams/",
        method: "GET",
        headers: { authorization: `Bearer ${TOKEN}`, "user-agent": "bench" },
      });
      await res.body.json();
    },
    sentryApi: async () => {
      const { data } = await listAnOrganization_sTeams({ baseUrl: server.url, auth: TOKEN, path: { organization_id_or_slug: "acme" } });
      if (!data) throw new Error("bench request failed");
    },
  };
  const cpuMs = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  /** CPU and wall milliseconds of N calls. */
  const time = async (fn: () => Promise<void>): Promise<{ cpu: number; wall: number }> => {
    const cpu = cpuMs();
    const start = performance.now();
    for (let i = 0; i < N; i++) await fn();
    return { cpu: cpuMs() - cpu, wall: performance.now() - start };
  };
  const names = Object.keys(loops);
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const wallRatios: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const fetchMs: number[] = [];
  try {
    for (let i = 0; i < 500; i++) for (const fn of Object.values(loops)) await fn();
    for (let round = 0; round < ROUNDS; round++) {
      // Plain fetch is timed before and after the clients (in rotated order), so drift (GC, CPU frequency, the
      // other processes of a loaded machine) lands on both sides of each ratio.
      const order = names.slice(1);
      for (let r = 0; r < round; r++) order.push(order.shift()!);
      const before = await time(loops.fetch!);
      const times: Record<string, { cpu: number; wall: number }> = {};
      for (const name of order) times[name] = await time(loops[name]!);
      const after = await time(loops.fetch!);
      const base = (before.cpu + after.cpu) / 2;
      const wallBase = (before.wall + after.wall) / 2;
      fetchMs.push(base);
      for (const name of order) {
        ratios[name]!.push(times[name]!.cpu / base);
        wallRatios[name]!.push(times[name]!.wall / wallBase);
      }
    }
  } finally {
    await sentry.close();
    await viaUndici.close();
    await pool.close();
    await server.close();
  }
  const raw = median(ratios.raw!);
  const resource = median(ratios.resource!);
  const theirs = median(ratios.sentryApi!);
  const verdict = (ratio: number): string => (ratio <= TARGET && ratio < theirs ? "pass" : "FAIL");
  const range = (list: number[]): string => `${Math.min(...list).toFixed(2)}..${Math.max(...list).toFixed(2)}`;
  const perRequestUs = (ratio: number): number => Math.round(((median(fetchMs) * ratio) / N) * 1000);
  return {
    name: `overhead: ${N.toLocaleString("en")} sequential GETs per loop, sentry.raw vs plain fetch (CPU time, median of ${ROUNDS} rounds)`,
    ratio: raw,
    target: `<= ${TARGET}, and below @sentry/api's`,
    details: {
      rawRounds: range(ratios.raw!),
      rawWall: Number(median(wallRatios.raw!).toFixed(3)),
      resource: Number(resource.toFixed(3)),
      resourceRounds: range(ratios.resource!),
      resourceWall: Number(median(wallRatios.resource!).toFixed(3)),
      fetchGuarded: Number(median(ratios.fetchGuarded!).toFixed(3)),
      // The same calls through a client made with `sender: "undici"`, and undici.request alone.
      resourceUndici: Number(median(ratios.resourceUndici!).toFixed(3)),
      resourceUndiciRounds: range(ratios.resourceUndici!),
      rawUndici: Number(median(ratios.rawUndici!).toFixed(3)),
      undiciRequest: Number(median(ratios.undiciRequest!).toFixed(3)),
      sentryApi: Number(theirs.toFixed(3)),
      sentryApiRounds: range(ratios.sentryApi!),
      sentryApiWall: Number(median(wallRatios.sentryApi!).toFixed(3)),
      fetchCpuPerRequestUs: perRequestUs(1),
      rawCpuPerRequestUs: perRequestUs(raw),
      resourceCpuPerRequestUs: perRequestUs(resource),
      sentryApiCpuPerRequestUs: perRequestUs(theirs),
      // `raw` is openapi-fetch's client over the pipeline; resource methods take the lean path (http/send/api-client.ts).
      verdict: verdict(raw),
      resourceVerdict: verdict(resource),
    },
  };
}
