/**
 * Pagination bench: 100,000 items in 1,000 pages served on 127.0.0.1 with Sentry's Link headers, streamed three ways:
 * a hand-written raw-fetch loop (the baseline), the SDK end to end (`sentry.org.members.list()`: limiter, retry,
 * auth, timeout, body checks, `Paginator`), and a bare `Paginator` over plain fetch (the iterator alone). Reports
 * the SDK's throughput ratio (target ≥ 0.95× in every round, as issue 14 asks), the bare Paginator's beside it, and
 * the peak RSS growth while streaming (target < 50 MB).
 *
 * The server runs in a worker thread: Sentry is another machine, so its CPU must not share the event loop with the
 * client being measured. The same comparison with the server on the client's thread is reported as `sameThreadRatio`.
 * Run: npx tsx bench/run.ts pagination
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createSentryClient } from "../src/client.js";
import { nextCursor, type Page, Paginator } from "../src/http/pages/index.js";
import type { BenchResult } from "./overhead.js";

const PAGES = 1_000;
const PER_PAGE = 100;
const ROUNDS = 11;
const LIST_PATH = "/api/0/organizations/acme/members/";
const SERVER_ROLE = "pagination-bench-server";

interface Member {
  id: string;
  email: string;
  orgRole: string;
  pending: boolean;
  dateCreated: string;
}

interface ListServer {
  url: string;
  requests(): Promise<number>;
  close(): Promise<void>;
}

/** Bodies and Link headers are built up front, so serving costs the same for both loops and is not client growth. */
function buildPages(origin: string): Map<string, { body: string; link: string }> {
  const pages = new Map<string, { body: string; link: string }>();
  for (let page = 0; page < PAGES; page++) {
    const offset = page * PER_PAGE;
    const items: Member[] = Array.from({ length: PER_PAGE }, (_, i) => ({
      id: String(offset + i + 1),
      email: `user${offset + i + 1}@example.com`,
      orgRole: "member",
      pending: false,
      dateCreated: "2025-01-01T00:00:00Z",
    }));
    const previous = `0:${offset}:1`;
    const next = `0:${offset + PER_PAGE}:0`;
    const link =
      `<${origin}${LIST_PATH}?&cursor=${previous}>; rel="previous"; results="${String(page > 0)}"; cursor="${previous}", ` +
      `<${origin}${LIST_PATH}?&cursor=${next}>; rel="next"; results="${String(page < PAGES - 1)}"; cursor="${next}"`;
    pages.set(page === 0 ? "" : `0:${offset}:0`, { body: JSON.stringify(items), link });
  }
  return pages;
}

/** Serves the list on this thread's event loop. */
async function serveHere(): Promise<ListServer> {
  let pages = new Map<string, { body: string; link: string }>();
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const cursor = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("cursor") ?? "";
    const page = pages.get(cursor);
    if (!page) {
      res.writeHead(400, { "content-type": "application/json" }).end('{"detail":"Invalid cursor parameter."}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(page.body), link: page.link }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.keepAliveTimeout = 30_000;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pages = buildPages(url);
  return {
    url,
    requests: async () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves the list from a worker thread running this same module. */
async function serveInWorker(): Promise<ListServer> {
  // Node 20 does not apply the parent's loader hooks (tsx) inside a worker, so the entry loads this module via tsx's API.
  const api = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const entry = `import(${api}).then(({ tsImport }) => tsImport(${JSON.stringify(import.meta.url)}, ${api}));`;
  const worker = new Worker(entry, { eval: true, workerData: { role: SERVER_ROLE } });
  const reply = <R>(key: string, message?: string): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const onMessage = (answer: Record<string, R>): void => {
        if (!(key in answer)) return;
        worker.off("message", onMessage);
        worker.off("error", reject);
        resolve(answer[key] as R);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
      if (message) worker.postMessage(message);
    });
  const url = await reply<string>("url");
  return {
    url,
    requests: () => reply<number>("requests", "requests"),
    close: async () => {
      await reply<boolean>("closed", "close");
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === SERVER_ROLE) {
  const port = parentPort;
  const server = await serveHere();
  port.on("message", (message: string) => {
    if (message === "requests") void server.requests().then((requests) => port.postMessage({ requests }));
    if (message === "close") void server.close().then(() => port.postMessage({ closed: true }));
  });
  port.postMessage({ url: server.url });
}

/** What a consumer does with each item: cheap, but enough that the item must really be read. */
interface Tally {
  items: number;
  checksum: number;
}

/**
 * Samples RSS every 10th page: often enough to catch a peak (a page is ~15 kB), rarely enough that reading RSS (tens
 * of microseconds) does not pad both loops' times.
 */
class RssMeter {
  readonly baseline = process.memoryUsage.rss();
  peak = this.baseline;
  #calls = 0;
  sample(): void {
    if (this.#calls++ % 10 !== 0) return;
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
  get growthMb(): number {
    return (this.peak - this.baseline) / (1024 * 1024);
  }
}

async function viaPaginator(base: string, meter: RssMeter): Promise<Tally> {
  const members = new Paginator<Member>(async ({ cursor, perPage, signal }): Promise<Page<Member>> => {
    // Same URL building as the raw loop, so the two differ only by Paginator + nextCursor.
    const url = `${base}${LIST_PATH}?per_page=${perPage}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response = await fetch(url, signal ? { signal } : {});
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const items = (await response.json()) as Member[];
    meter.sample();
    return { items, nextCursor: nextCursor(response.headers.get("link"), base) };
  });
  const tally: Tally = { items: 0, checksum: 0 };
  for await (const member of members) {
    tally.items++;
    tally.checksum += member.email.length;
  }
  return tally;
}

const TOKEN = "sntryu_bench000000000000000000000000000000000000000000000000000000";

async function viaSdk(base: string, meter: RssMeter, sender: "fetch" | "undici" = "fetch"): Promise<Tally> {
  // A limit the bench cannot reach: this measures the client's own cost, not Sentry's rate limit.
  const sentry = createSentryClient({ token: TOKEN, org: "acme", baseUrl: base, rateLimit: { requestsPerSecond: 1e6, burst: 1e6 }, sender });
  const tally: Tally = { items: 0, checksum: 0 };
  try {
    // Item by item, as the README's examples read (the raw loop gets a plain loop over each page's array).
    for await (const member of sentry.org.members.list()) {
      if (tally.items++ % PER_PAGE === 0) meter.sample();
      tally.checksum += member.email.length;
    }
  } finally {
    await sentry.close();
  }
  return tally;
}

const RAW_NEXT = /rel="next"; results="true"; cursor="([^"]+)"/;

async function viaRawLoop(base: string, meter: RssMeter): Promise<Tally> {
  const tally: Tally = { items: 0, checksum: 0 };
  let cursor: string | undefined;
  do {
    const url = `${base}${LIST_PATH}?per_page=${PER_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const items = (await response.json()) as Member[];
    meter.sample();
    for (const member of items) {
      tally.items++;
      tally.checksum += member.email.length;
    }
    cursor = RAW_NEXT.exec(response.headers.get("link") ?? "")?.[1];
  } while (cursor);
  return tally;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface Comparison {
  /** Median over rounds of raw time / SDK time (each round: two runs of each loop, mirrored). */
  ratio: number;
  lowestRatio: number;
  highestRatio: number;
  /** The same for the SDK made with `sender: "undici"`. */
  undiciRatio: number;
  undiciLowest: number;
  undiciHighest: number;
  /** The same for the bare Paginator over plain fetch. */
  paginatorRatio: number;
  paginatorLowest: number;
  paginatorHighest: number;
  rawMs: number;
  sdkMs: number;
  undiciMs: number;
  paginatorMs: number;
  peakGrowthMb: number;
  rawPeakGrowthMb: number;
  requests: number;
}

type Loop = (base: string, meter: RssMeter) => Promise<Tally>;

/** Runs the raw loop, the SDK (each sender) and the bare Paginator through `ROUNDS` rounds against one server, after a warm-up. */
async function compare(server: ListServer): Promise<Comparison> {
  const expected = PAGES * PER_PAGE;
  const loops: Record<"raw" | "sdk" | "undici" | "paginator", Loop> = {
    raw: viaRawLoop,
    sdk: viaSdk,
    undici: (base, meter) => viaSdk(base, meter, "undici"),
    paginator: viaPaginator,
  };
  const times: Record<keyof typeof loops, number[]> = { raw: [], sdk: [], undici: [], paginator: [] };
  const peaks: Record<keyof typeof loops, number> = { raw: 0, sdk: 0, undici: 0, paginator: 0 };
  const run = async (name: keyof typeof loops): Promise<number> => {
    const meter = new RssMeter();
    const start = performance.now();
    const tally = await loops[name](server.url, meter);
    const ms = performance.now() - start;
    if (tally.items !== expected) throw new Error(`${name} streamed ${tally.items} items, expected ${expected}`);
    peaks[name] = Math.max(peaks[name], meter.growthMb);
    return ms;
  };
  for (const name of Object.keys(loops) as (keyof typeof loops)[]) await run(name);
  for (const name of Object.keys(peaks) as (keyof typeof loops)[]) peaks[name] = 0;
  const order: (keyof typeof loops)[] = ["raw", "sdk", "undici", "paginator"];
  for (let round = 0; round < ROUNDS; round++) {
    // Each loop runs twice per round, in mirrored order (A B C C B A), and its two times are added: drift within
    // the round (CPU frequency, the other processes of a shared machine) then lands on every loop alike. Which
    // loop goes first rotates from round to round.
    const spent: Record<keyof typeof loops, number> = { raw: 0, sdk: 0, undici: 0, paginator: 0 };
    for (const name of [...order, ...[...order].reverse()]) spent[name] += await run(name);
    for (const name of order) times[name].push(spent[name]);
    order.push(order.shift()!);
  }
  const ratios = (name: "sdk" | "undici" | "paginator"): number[] =>
    times.raw.map((raw, round) => raw / (times[name][round] ?? Number.NaN)).sort((a, b) => a - b);
  const sdk = ratios("sdk");
  const undici = ratios("undici");
  const paginator = ratios("paginator");
  return {
    ratio: median(sdk),
    lowestRatio: sdk[0] ?? Number.NaN,
    highestRatio: sdk[sdk.length - 1] ?? Number.NaN,
    undiciRatio: median(undici),
    undiciLowest: undici[0] ?? Number.NaN,
    undiciHighest: undici[undici.length - 1] ?? Number.NaN,
    paginatorRatio: median(paginator),
    paginatorLowest: paginator[0] ?? Number.NaN,
    paginatorHighest: paginator[paginator.length - 1] ?? Number.NaN,
    // Per walk of the list (each round's time covers two).
    rawMs: median(times.raw) / 2,
    sdkMs: median(times.sdk) / 2,
    undiciMs: median(times.undici) / 2,
    paginatorMs: median(times.paginator) / 2,
    peakGrowthMb: Math.max(peaks.sdk, peaks.undici, peaks.paginator),
    rawPeakGrowthMb: peaks.raw,
    requests: await server.requests(),
  };
}

async function withServer(start: () => Promise<ListServer>): Promise<Comparison> {
  const server = await start();
  try {
    return await compare(server);
  } finally {
    await server.close();
  }
}

/**
 * Streams 100,000 items through the SDK, a bare Paginator and a raw fetch loop over loopback, rotating rounds, first
 * with the server in a worker thread (the ratio reported), then with it on the client's own thread.
 * @example
 * const { ratio, details } = await benchPagination();
 */
export async function benchPagination(): Promise<BenchResult> {
  const remote = await withServer(serveInWorker);
  const local = await withServer(serveHere);
  const items = PAGES * PER_PAGE;
  const { ratio } = remote;
  const range = (low: number, high: number): string => `${low.toFixed(2)}..${high.toFixed(2)}`;
  return {
    name: "pagination: 100,000 items in 1,000 pages, sentry.org.members.list() vs raw fetch loop (throughput; server in a worker thread)",
    ratio,
    target: ">= 0.95x throughput in every round, peak RSS growth < 50 MB",
    details: {
      sdkMs: Math.round(remote.sdkMs),
      rawMs: Math.round(remote.rawMs),
      sdkItemsPerSec: Math.round((items / remote.sdkMs) * 1000),
      rawItemsPerSec: Math.round((items / remote.rawMs) * 1000),
      roundRatios: range(remote.lowestRatio, remote.highestRatio),
      // The same SDK made with `sender: "undici"` (undici's request API instead of fetch).
      undiciSenderRatio: Number(remote.undiciRatio.toFixed(3)),
      undiciSenderRounds: range(remote.undiciLowest, remote.undiciHighest),
      undiciSenderMs: Math.round(remote.undiciMs),
      // The iterator alone: Paginator + nextCursor over plain fetch (each page fetch carrying its signal).
      paginatorRatio: Number(remote.paginatorRatio.toFixed(3)),
      paginatorRounds: range(remote.paginatorLowest, remote.paginatorHighest),
      peakRssGrowthMb: Number(remote.peakGrowthMb.toFixed(1)),
      rawPeakRssGrowthMb: Number(remote.rawPeakGrowthMb.toFixed(1)),
      sameThreadRatio: Number(local.ratio.toFixed(3)),
      sameThreadRounds: range(local.lowestRatio, local.highestRatio),
      sameThreadUndiciSenderRatio: Number(local.undiciRatio.toFixed(3)),
      sameThreadPaginatorRatio: Number(local.paginatorRatio.toFixed(3)),
      sameThreadPeakRssGrowthMb: Number(local.peakGrowthMb.toFixed(1)),
      requests: remote.requests + local.requests,
      verdict: remote.lowestRatio >= 0.95 && Math.max(remote.peakGrowthMb, local.peakGrowthMb) < 50 ? "pass" : "FAIL",
      undiciSenderVerdict: remote.undiciLowest >= 0.95 && Math.max(remote.peakGrowthMb, local.peakGrowthMb) < 50 ? "pass" : "FAIL",
    },
  };
}
