/**
 * Size of the core entry (`src/index.ts`) as a user's bundler would ship it: bundled, minified, gzipped, with every
 * package dependency left external. The budget is checked by test/package/size.test.ts and printed by the bench.
 * Usage: tsx scripts/size.ts
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { repoRoot } from "./spec-source.js";

/**
 * The budget for the core entry, min+gzip, dependencies excluded (raised from 45 KiB for the audit stream, ~9.4 KB,
 * then from 56 KiB for access as code, ~13 KB: parser, diff, rails, preflight, apply and renderers).
 */
export const CORE_SIZE_BUDGET_BYTES = 70 * 1024;

export interface SizeReport {
  minifiedBytes: number;
  gzipBytes: number;
}

/** Bundles and measures an entry file of this repository (dependencies external). */
export async function measureEntry(entry: string): Promise<SizeReport> {
  const pkg = JSON.parse(readFileSync(resolve(repoRoot, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), "node:*"];
  const result = await build({
    entryPoints: [resolve(repoRoot, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minifiedBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

/** Size of the `sentry-rbac` core entry. */
export function measureCoreSize(): Promise<SizeReport> {
  return measureEntry("src/index.ts");
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(repoRoot, "scripts/size.ts");
if (isMain) {
  const size = await measureCoreSize();
  process.stdout.write(`core entry: ${size.minifiedBytes} B minified, ${size.gzipBytes} B min+gzip (budget ${CORE_SIZE_BUDGET_BYTES} B)\n`);
}
