/**
 * Bench: what a consumer's `tsc` pays for a three-line file using the client (strict, NodeNext), over the same
 * project with an empty file, beside `@sentry/api` doing the same. Rounds alternate the projects; the medians of
 * each tsc process's CPU time (user + system, node start-up included) are compared: on a loaded machine wall time
 * mostly measures the other processes. Target: at most +0.3 s with `skipLibCheck: true`.
 *
 * Also measured: the same file typing `sentry.raw` per path (`import type {} from "sentry-rbac/raw"`, which loads the
 * generated API document and openapi-fetch's declarations), `skipLibCheck: false` (tsc then checks every declaration file, openapi-fetch's too), and
 * `@sentry/api` under `moduleResolution: "Bundler"`: under NodeNext its `index.d.ts` imports `./sdk.gen` without an
 * extension, which NodeNext cannot resolve, so there its functions are typed `any` and cost nothing to check.
 * Run: npx tsx bench/run.ts typecheck
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "../scripts/spec-source.js";
import { type Consumer, type ConsumerOptions, createConsumers } from "./consumers.js";
import type { BenchResult } from "./overhead.js";

const ROUNDS = 5;
const STRICT_ROUNDS = 3;
const TARGET_EXTRA_S = 0.3;
const TSC = resolve(repoRoot, "node_modules/typescript/bin/tsc");

/** Runs tsc in this child and prints its CPU time on exit. */
const RUNNER = `process.on("exit", () => { const u = process.cpuUsage(); process.stdout.write("\\nCPU seconds: " + (u.user + u.system) / 1e6 + "\\n"); }); require(process.argv[1]);`;

interface TscRun {
  cpuS: number;
  memoryMb: number;
  errors: number;
}

function tsc(consumer: Consumer): TscRun {
  const result = spawnSync(process.execPath, ["-e", RUNNER, TSC, "-p", consumer.dir, "--extendedDiagnostics"], { encoding: "utf8" });
  const out = result.stdout;
  const figure = (label: string): number => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(out)?.[1] ?? Number.NaN);
  return { cpuS: figure("CPU seconds"), memoryMb: figure("Memory used") / 1024, errors: (out.match(/error TS\d+/g) ?? []).length };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Runs each (consumer, options) pair `rounds` times, interleaved; medians per pair. */
function measure(configure: (c: Consumer, o: ConsumerOptions) => void, pairs: Array<[Consumer, ConsumerOptions]>, rounds: number): TscRun[] {
  const runs = pairs.map(() => [] as TscRun[]);
  for (let round = 0; round < rounds; round++) {
    pairs.forEach(([consumer, options], i) => {
      configure(consumer, options);
      runs[i]!.push(tsc(consumer));
    });
  }
  return runs.map((list) => ({
    cpuS: median(list.map((r) => r.cpuS)),
    memoryMb: median(list.map((r) => r.memoryMb)),
    errors: list[0]?.errors ?? 0,
  }));
}

/**
 * Type-checks the consumer projects and reports what the client adds over the empty one.
 * @example const { ratio, details } = await benchTypecheck();
 */
export async function benchTypecheck(): Promise<BenchResult> {
  const { consumers, configure, remove } = createConsumers();
  const empty = consumers.empty!;
  const ours = consumers["sentry-rbac"]!;
  const theirs = consumers["@sentry/api"]!;
  const typedRaw = consumers["sentry-rbac/raw"]!;
  const lenient: ConsumerOptions = { skipLibCheck: true, resolution: "NodeNext" };
  const strict: ConsumerOptions = { skipLibCheck: false, resolution: "NodeNext" };
  const bundler: ConsumerOptions = { skipLibCheck: true, resolution: "Bundler" };
  try {
    // One untimed pass warms the file cache.
    for (const consumer of [empty, ours, theirs]) {
      configure(consumer, lenient);
      tsc(consumer);
    }
    const [e, o, t, eb, tb, r] = measure(
      configure,
      [
        [empty, lenient],
        [ours, lenient],
        [theirs, lenient],
        [empty, bundler],
        [theirs, bundler],
        [typedRaw, lenient],
      ],
      ROUNDS,
    );
    const [es, os] = measure(
      configure,
      [
        [empty, strict],
        [ours, strict],
      ],
      STRICT_ROUNDS,
    );
    const extra = o!.cpuS - e!.cpuS;
    const fixed = (n: number, digits = 2): number => Number(n.toFixed(digits));
    return {
      name: "typecheck: consumer tsc (strict, NodeNext, skipLibCheck) of a 3-line file vs an empty project",
      ratio: o!.cpuS / e!.cpuS,
      target: `<= +${TARGET_EXTRA_S} s over empty`,
      details: {
        emptyCpuS: fixed(e!.cpuS),
        sentryRbacCpuS: fixed(o!.cpuS),
        extraS: fixed(extra),
        sentryApiExtraS: fixed(t!.cpuS - e!.cpuS),
        sentryApiBundlerExtraS: fixed(tb!.cpuS - eb!.cpuS),
        extraMb: fixed(o!.memoryMb - e!.memoryMb, 0),
        typedRawExtraS: fixed(r!.cpuS - e!.cpuS),
        typedRawExtraMb: fixed(r!.memoryMb - e!.memoryMb, 0),
        sentryApiExtraMb: fixed(t!.memoryMb - e!.memoryMb, 0),
        noSkipLibCheckExtraS: fixed(os!.cpuS - es!.cpuS),
        consumerErrors: o!.errors + os!.errors + r!.errors,
        rounds: ROUNDS,
        verdict: extra <= TARGET_EXTRA_S && o!.errors + os!.errors + r!.errors === 0 ? "pass" : "FAIL",
      },
    };
  } finally {
    remove();
  }
}
