/**
 * `npm run bench`: each bench measures the SDK against a baseline in the same run (raw fetch on loopback, a naive
 * client) and prints the ratio with its target. Not part of `npm test`; timings never go in unit tests.
 * Usage: tsx bench/run.ts [overhead|rate-limit|pagination|size|access|review|resilience|package|typecheck|import ...]
 * `package`, `typecheck` and `import` read the built package: run `npm run build` first.
 */
import type { BenchResult } from "./overhead.js";

// Imported on demand so one bench's module (and its server) stays out of another's run.
const BENCHES: Record<string, () => Promise<BenchResult>> = {
  overhead: async () => (await import("./overhead.js")).benchOverhead(),
  "rate-limit": async () => (await import("./rate-limit.js")).benchRateLimit(),
  pagination: async () => (await import("./pagination.js")).benchPagination(),
  size: async () => (await import("./size.js")).benchSize(),
  access: async () => (await import("./access.js")).benchAccess(),
  review: async () => (await import("./review.js")).benchReview(),
  resilience: async () => (await import("./resilience.js")).benchResilience(),
  package: async () => (await import("./size.js")).benchPackage(),
  typecheck: async () => (await import("./typecheck.js")).benchTypecheck(),
  import: async () => (await import("./import-time.js")).benchImport(),
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`unknown bench ${name}; choose from ${Object.keys(BENCHES).join(", ")}\n`);
    process.exit(2);
  }
  const result = await bench();
  const details = Object.entries(result.details)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  process.stdout.write(`${result.name}\n  ratio ${result.ratio.toFixed(3)}x (target ${result.target})  ${details}\n`);
}
