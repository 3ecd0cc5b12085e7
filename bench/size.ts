/**
 * Bench: min+gzip size of the core entry (dependencies external), beside `@sentry/api`'s when that package is
 * installed (it is not a dependency of this project; `npm i --no-save @sentry/api` to compare).
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { CORE_SIZE_BUDGET_BYTES, measureCoreSize, measurePackage, PACKAGE_SIZE_BUDGET_BYTES } from "../scripts/size.js";
import { repoRoot } from "../scripts/spec-source.js";
import type { BenchResult } from "./overhead.js";

async function sentryApiSize(): Promise<number | undefined> {
  try {
    // @sentry/api is ESM-only (an "import" export condition): let esbuild resolve it as a bundler would.
    const result = await build({
      stdin: { contents: 'export * from "@sentry/api";', resolveDir: repoRoot, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    return gzipSync(code, { level: 9 }).byteLength;
  } catch {
    return undefined; // not installed
  }
}

/**
 * Measures the core entry against its budget (ratio = size / budget, target ≤ 1).
 * @example const { ratio } = await benchSize();
 */
export async function benchSize(): Promise<BenchResult> {
  const ours = await measureCoreSize();
  const theirs = await sentryApiSize();
  return {
    name: "size: core entry, min+gzip, dependencies external",
    ratio: ours.gzipBytes / CORE_SIZE_BUDGET_BYTES,
    target: "<= 1 (of the budget)",
    details: {
      gzipBytes: ours.gzipBytes,
      minifiedBytes: ours.minifiedBytes,
      budgetBytes: CORE_SIZE_BUDGET_BYTES,
      sentryApiGzipBytes: theirs ?? "not installed",
    },
  };
}

/**
 * Measures the published package, unpacked, against its budget (ratio = size / budget, target ≤ 1). Needs `dist/`.
 * @example const { ratio, details } = await benchPackage();
 */
export async function benchPackage(): Promise<BenchResult> {
  const pkg = measurePackage();
  const mb = (bytes: number): number => Number((bytes / 1e6).toFixed(2));
  return {
    name: "package weight: unpacked, as npm install writes it",
    ratio: pkg.unpackedBytes / PACKAGE_SIZE_BUDGET_BYTES,
    target: "<= 1 (of the budget)",
    details: {
      unpackedMb: mb(pkg.unpackedBytes),
      budgetMb: mb(PACKAGE_SIZE_BUDGET_BYTES),
      declarationsMb: mb(pkg.declarationBytes),
      javascriptMb: mb(pkg.javascriptBytes),
      sourceMapsMb: mb(pkg.sourceMapBytes),
      tarballMb: mb(pkg.tarballBytes),
      files: pkg.files,
    },
  };
}
