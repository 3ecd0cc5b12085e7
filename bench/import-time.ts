/**
 * Bench: time to `import "sentry-rbac"` in a fresh node process over bare node (a process importing nothing),
 * beside `import "@sentry/api"`; both imported from a consumer project, as a user would. Rounds alternate the three
 * processes; medians of wall time. Target: no more than @sentry/api's.
 * Run: npx tsx bench/run.ts import
 */
import { spawnSync } from "node:child_process";
import { createConsumers } from "./consumers.js";
import type { BenchResult } from "./overhead.js";

const ROUNDS = 21;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function wallMs(cwd: string, code: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`node exited ${result.status}: ${result.stderr}`);
  return ms;
}

/**
 * Measures import cost over bare node for this package and for @sentry/api.
 * @example const { ratio, details } = await benchImport();
 */
export async function benchImport(): Promise<BenchResult> {
  const { consumers, remove } = createConsumers();
  const ours = consumers["sentry-rbac"]!;
  const theirs = consumers["@sentry/api"]!;
  const samples = { bare: [] as number[], ours: [] as number[], theirs: [] as number[] };
  try {
    wallMs(ours.dir, 'await import("sentry-rbac");');
    wallMs(theirs.dir, 'await import("@sentry/api");');
    for (let round = 0; round < ROUNDS; round++) {
      samples.bare.push(wallMs(ours.dir, ""));
      samples.ours.push(wallMs(ours.dir, 'await import("sentry-rbac");'));
      samples.theirs.push(wallMs(theirs.dir, 'await import("@sentry/api");'));
    }
  } finally {
    remove();
  }
  const bare = median(samples.bare);
  const oursMs = median(samples.ours) - bare;
  const theirsMs = median(samples.theirs) - bare;
  return {
    name: 'import time: `import "sentry-rbac"` over bare node vs `import "@sentry/api"`',
    ratio: oursMs / theirsMs,
    target: "<= 1 (no slower than @sentry/api)",
    details: {
      bareNodeMs: Math.round(bare),
      sentryRbacMs: Number(oursMs.toFixed(1)),
      sentryApiMs: Number(theirsMs.toFixed(1)),
      rounds: ROUNDS,
      verdict: oursMs <= theirsMs ? "pass" : "FAIL",
    },
  };
}
