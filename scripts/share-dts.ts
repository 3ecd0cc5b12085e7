/**
 * Runs after `tsup` (`npm run build`): the generated API types (`dist/openapi.d.ts` and `.d.cts`, three quarters of
 * all declarations) ship once. tsup writes them twice, once per module format; they hold only interfaces, so one
 * CommonJS-format copy serves both: ESM declarations may import types from a `.d.cts` file, CJS ones must not import
 * from an ESM one (TS1541 under `node16`). This keeps `dist/openapi.d.cts`, deletes `dist/openapi.d.ts`, and points
 * the ESM declarations at the `.cjs` specifier.
 * Usage: tsx scripts/share-dts.ts [distDir]
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot } from "./spec-source.js";

/** Matches `from './openapi.js'` and `import '../openapi.js'` as rollup-plugin-dts writes them. */
const ESM_SPECIFIER = /(['"])((?:\.\.?\/)+)openapi\.js\1/g;

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Rewrites the ESM declarations in `distDir`; returns how many files changed. */
export function shareGeneratedDeclarations(distDir: string): number {
  const shared = join(distDir, "openapi.d.cts");
  if (!existsSync(shared)) throw new Error(`${shared} is missing: run tsup first`);
  rmSync(join(distDir, "openapi.d.ts"), { force: true });
  let changed = 0;
  for (const file of declarationFiles(distDir)) {
    const text = readFileSync(file, "utf8");
    const next = text.replace(ESM_SPECIFIER, (_match, quote: string, up: string) => `${quote}${up}openapi.cjs${quote}`);
    if (next !== text) {
      writeFileSync(file, next);
      changed++;
    }
  }
  return changed;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(repoRoot, "scripts/share-dts.ts");
if (isMain) {
  const dist = resolve(process.argv[2] ?? join(repoRoot, "dist"));
  const changed = shareGeneratedDeclarations(dist);
  process.stdout.write(`share-dts: ${changed} ESM declaration files now import openapi.d.cts\n`);
}
