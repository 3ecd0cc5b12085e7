/**
 * Runs after `tsup` (`npm run build`):
 * - the generated API types and models (`dist/openapi.d.ts`, `dist/models.d.ts` and their `.d.cts`, most of all
 *   declarations) ship once. tsup writes them twice, once per module format; they hold only interfaces, so one
 *   CommonJS-format copy serves both: ESM declarations may import types from a `.d.cts` file, CJS ones must not
 *   import from an ESM one (TS1541 under `node16`). This keeps the `.d.cts` files, deletes the `.d.ts` ones, and
 *   points the ESM declarations at the `.cjs` specifiers.
 * - `dist/raw.d.cts` augments `RawClientTypes` (src/raw.ts): its `declare module` gets the shared file that
 *   declares it, `./raw-client.cjs`, instead of the source path tsup copied. `dist/raw.d.ts` re-exports it, so one
 *   augmentation exists: two (one per format, each with its own openapi-fetch `Client`) would conflict in a project
 *   that loads both.
 * - the generated API types are indented by two spaces, not openapi-typescript's four: the indentation was 223 KB
 *   of the 764 KB file, and hovers and go-to-definition read the same.
 * Usage: tsx scripts/share-dts.ts [distDir]
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot } from "./spec-source.js";

/** The declaration files shipped once, as `.d.cts`. */
const SHARED = ["openapi", "models", "raw-client"] as const;
/** Matches `from './openapi.js'` and `import '../models.js'` as rollup-plugin-dts writes them. */
const ESM_SPECIFIER = new RegExp(`(['"])((?:\\.\\.?/)+)(${SHARED.join("|")})\\.js\\1`, "g");
/** The augmentation in src/raw.ts, as tsup copies it. */
const RAW_AUGMENTATION = /declare module (['"])\.\/http\/(?:send\/)?raw-client\.js\1/;

/**
 * Halves each line's leading indentation, counted in steps of four spaces; a remainder (the space before a JSDoc
 * comment's `*`) is kept, so comments stay aligned.
 * @example halveIndentation("        foo: string;\n         * bar") // "    foo: string;\n     * bar"
 */
export function halveIndentation(text: string): string {
  return text.replace(/^( +)/gm, (lead: string) => " ".repeat(Math.floor(lead.length / 4) * 2 + (lead.length % 4)));
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith(".d.ts") || entry.name === "raw.d.cts" ? [path] : [];
  });
}

/** Rewrites the ESM declarations in `distDir`; returns how many files changed. */
export function shareGeneratedDeclarations(distDir: string): number {
  for (const name of SHARED) {
    const shared = join(distDir, `${name}.d.cts`);
    if (!existsSync(shared)) throw new Error(`${shared} is missing: run tsup first`);
    rmSync(join(distDir, `${name}.d.ts`), { force: true });
  }
  const api = join(distDir, "openapi.d.cts");
  writeFileSync(api, halveIndentation(readFileSync(api, "utf8")));
  const raw = join(distDir, "raw.d.ts");
  if (existsSync(raw)) writeFileSync(raw, `// One copy of the augmentation for both module formats (scripts/share-dts.ts).\nexport * from "./raw.cjs";\n`);
  let changed = 0;
  for (const file of declarationFiles(distDir)) {
    const text = readFileSync(file, "utf8");
    let next = text.replace(ESM_SPECIFIER, (_match, quote: string, up: string, name: string) => `${quote}${up}${name}.cjs${quote}`);
    next = next.replace(RAW_AUGMENTATION, (_match, quote: string) => `declare module ${quote}./raw-client.cjs${quote}`);
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
  process.stdout.write(`share-dts: ${changed} declaration files now import the shared .d.cts files or augment the root entry\n`);
}
