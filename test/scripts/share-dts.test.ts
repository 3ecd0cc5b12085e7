import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shareGeneratedDeclarations } from "../../scripts/share-dts.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), "share-dts-"));
  dirs.push(dist);
  mkdirSync(join(dist, "recipes"));
  writeFileSync(join(dist, "openapi.d.ts"), "interface paths {}\nexport type { paths };\n");
  writeFileSync(join(dist, "openapi.d.cts"), "interface paths {}\nexport type { paths };\n");
  writeFileSync(join(dist, "index-abc.d.ts"), "import { paths } from './openapi.js';\nimport { Client } from 'openapi-fetch';\n");
  writeFileSync(join(dist, "index-abc.d.cts"), "import { paths } from './openapi.cjs';\n");
  writeFileSync(join(dist, "recipes/index.d.ts"), "import '../openapi.js';\nexport { x } from '../index-abc.js';\n");
  return dist;
}

describe("scripts/share-dts", () => {
  it("keeps one CommonJS-format copy of the generated types and points the ESM declarations at it", () => {
    const dist = fakeDist();
    expect(shareGeneratedDeclarations(dist)).toBe(2);
    expect(existsSync(join(dist, "openapi.d.ts"))).toBe(false);
    expect(existsSync(join(dist, "openapi.d.cts"))).toBe(true);
    expect(readFileSync(join(dist, "index-abc.d.ts"), "utf8")).toBe("import { paths } from './openapi.cjs';\nimport { Client } from 'openapi-fetch';\n");
    // Other relative imports are left alone.
    expect(readFileSync(join(dist, "recipes/index.d.ts"), "utf8")).toBe("import '../openapi.cjs';\nexport { x } from '../index-abc.js';\n");
    expect(readFileSync(join(dist, "index-abc.d.cts"), "utf8")).toBe("import { paths } from './openapi.cjs';\n");
  });

  it("refuses to run before tsup wrote the declarations", () => {
    const empty = mkdtempSync(join(tmpdir(), "share-dts-empty-"));
    dirs.push(empty);
    expect(() => shareGeneratedDeclarations(empty)).toThrow(/openapi\.d\.cts is missing/);
  });
});
