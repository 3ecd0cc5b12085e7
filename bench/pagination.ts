/**
 * Pagination bench: 100,000 items in 1,000 pages served on 127.0.0.1 with Sentry's Link headers, streamed through a
 * `Paginator` (plain fetch + `nextCursor`) and through a hand-written raw-fetch loop. Reports the throughput ratio
 * (target ≥ 0.95× in every round, as issue 14 asks) and the peak RSS growth while streaming (target < 50 MB).
 *
 * The server runs in a worker thread: Sentry is another machine, so its CPU must not share the event loop with the
 * client being measured. The same comparison with the server on the client's thread is reported as `sameThreadRatio`.
 * Run: npx tsx bench/run.ts pagination
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { nextCursor, type Page, Paginator } from "../src/http/paginate.js";
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
    res
      .writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(page.body), link: page.link })
      .end(page.body);
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
  /** Median over rounds of raw time / paginator time, each round's two runs back to back under the same load. */
  ratio: number;
  lowestRatio: number;
  highestRatio: number;
  rawMs: number;
  paginatorMs: number;
  peakGrowthMb: number;
  rawPeakGrowthMb: number;
  requests: number;
}

/** Alternates raw-loop and Paginator rounds against one server; medians of `ROUNDS` after a warm-up of each. */
async function compare(server: ListServer): Promise<Comparison> {
  const expected = PAGES * PER_PAGE;
  const check = (tally: Tally, how: string): void => {
    if (tally.items !== expected) throw new Error(`${how} streamed ${tally.items} items, expected ${expected}`);
  };
  check(await viaRawLoop(server.url, new RssMeter()), "raw loop");
  check(await viaPaginator(server.url, new RssMeter()), "paginator");
  const rawMs: number[] = [];
  const paginatorMs: number[] = [];
  let peakGrowthMb = 0;
  let rawPeakGrowthMb = 0;
  const runRaw = async (): Promise<void> => {
    const meter = new RssMeter();
    const start = performance.now();
    check(await viaRawLoop(server.url, meter), "raw loop");
    rawMs.push(performance.now() - start);
    rawPeakGrowthMb = Math.max(rawPeakGrowthMb, meter.growthMb);
  };
  const runPaginator = async (): Promise<void> => {
    const meter = new RssMeter();
    const start = performance.now();
    check(await viaPaginator(server.url, meter), "paginator");
    paginatorMs.push(performance.now() - start);
    peakGrowthMb = Math.max(peakGrowthMb, meter.growthMb);
  };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which loop goes first so drift (GC, CPU frequency, sockets) does not favour either.
    if (round % 2 === 0) {
      await runRaw();
      await runPaginator();
    } else {
      await runPaginator();
      await runRaw();
    }
  }
  const ratios = rawMs.map((raw, round) => raw / (paginatorMs[round] ?? Number.NaN)).sort((a, b) => a - b);
  return {
    ratio: median(ratios),
    lowestRatio: ratios[0] ?? Number.NaN,
    highestRatio: ratios[ratios.length - 1] ?? Number.NaN,
    rawMs: median(rawMs),
    paginatorMs: median(paginatorMs),
    peakGrowthMb,
    rawPeakGrowthMb,
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
 * Streams 100,000 items through a Paginator and through a raw fetch loop over loopback, alternating rounds, first
 * with the server in a worker thread (the ratio reported), then with it on the client's own thread.
 * @example
 * const { ratio, details } = await benchPagination();
 */
export async function benchPagination(): Promise<BenchResult> {
  const remote = await withServer(serveInWorker);
  const local = await withServer(serveHere);
  const items = PAGES * PER_PAGE;
  const { ratio } = remote;
  return {
    name: "pagination: 100,000 items in 1,000 pages, Paginator vs raw fetch loop (throughput; server in a worker thread)",
    ratio,
    target: ">= 0.95x throughput in every round, peak RSS growth < 50 MB",
    details: {
      paginatorMs: Math.round(remote.paginatorMs),
      rawMs: Math.round(remote.rawMs),
      paginatorItemsPerSec: Math.round((items / remote.paginatorMs) * 1000),
      rawItemsPerSec: Math.round((items / remote.rawMs) * 1000),
      peakRssGrowthMb: Number(remote.peakGrowthMb.toFixed(1)),
      rawPeakRssGrowthMb: Number(remote.rawPeakGrowthMb.toFixed(1)),
      roundRatios: `${remote.lowestRatio.toFixed(2)}..${remote.highestRatio.toFixed(2)}`,
      sameThreadRatio: Number(local.ratio.toFixed(3)),
      sameThreadPeakRssGrowthMb: Number(local.peakGrowthMb.toFixed(1)),
      requests: remote.requests + local.requests,
      verdict: remote.lowestRatio >= 0.95 && Math.max(remote.peakGrowthMb, local.peakGrowthMb) < 50 ? "pass" : "FAIL",
    },
  };
}
