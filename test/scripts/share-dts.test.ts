import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { halveIndentation, shareGeneratedDeclarations } from "../../scripts/share-dts.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), "share-dts-"));
  dirs.push(dist);
  mkdirSync(join(dist, "recipes"));
  for (const name of ["openapi", "models", "raw-client"]) {
    writeFileSync(join(dist, `${name}.d.ts`), "interface paths {}\nexport type { paths };\n");
    writeFileSync(join(dist, `${name}.d.cts`), "interface paths {}\nexport type { paths };\n");
  }
  writeFileSync(
    join(dist, "index-abc.d.ts"),
    "import { paths } from './openapi.js';\nimport { Team } from './models.js';\nimport { Client } from 'openapi-fetch';\n",
  );
  writeFileSync(join(dist, "index-abc.d.cts"), "import { paths } from './openapi.cjs';\n");
  writeFileSync(join(dist, "recipes/index.d.ts"), "import '../openapi.js';\nexport { x } from '../index-abc.js';\n");
  const augmentation =
    "import { paths } from './openapi.js';\ndeclare module \"./http/send/raw-client.js\" {\n  interface RawClientTypes { client: paths }\n}\n";
  writeFileSync(join(dist, "raw.d.ts"), augmentation);
  writeFileSync(join(dist, "raw.d.cts"), augmentation.replace("openapi.js", "openapi.cjs"));
  return dist;
}

describe("scripts/share-dts", () => {
  it("keeps one CommonJS-format copy of the generated types and points the ESM declarations at it", () => {
    const dist = fakeDist();
    expect(shareGeneratedDeclarations(dist)).toBe(3);
    for (const name of ["openapi", "models", "raw-client"]) {
      expect(existsSync(join(dist, `${name}.d.ts`))).toBe(false);
      expect(existsSync(join(dist, `${name}.d.cts`))).toBe(true);
    }
    expect(readFileSync(join(dist, "index-abc.d.ts"), "utf8")).toBe(
      "import { paths } from './openapi.cjs';\nimport { Team } from './models.cjs';\nimport { Client } from 'openapi-fetch';\n",
    );
    // Other relative imports are left alone.
    expect(readFileSync(join(dist, "recipes/index.d.ts"), "utf8")).toBe("import '../openapi.cjs';\nexport { x } from '../index-abc.js';\n");
    expect(readFileSync(join(dist, "index-abc.d.cts"), "utf8")).toBe("import { paths } from './openapi.cjs';\n");
  });

  it("points the raw augmentation at the shared file declaring RawClientTypes, once for both formats", () => {
    const dist = fakeDist();
    shareGeneratedDeclarations(dist);
    const cjs = readFileSync(join(dist, "raw.d.cts"), "utf8");
    expect(cjs).toContain('declare module "./raw-client.cjs" {');
    expect(cjs).not.toContain("./http/send/raw-client.js");
    // The ESM file re-exports the CJS one: two augmentations would each bring their own openapi-fetch Client.
    expect(readFileSync(join(dist, "raw.d.ts"), "utf8")).toMatch(/^\/\/ .*\nexport \* from "\.\/raw\.cjs";\n$/);
  });

  it("ships the generated API types with two-space indentation, JSDoc comments kept aligned", () => {
    const dist = fakeDist();
    const source = 'export interface paths {\n    "/api/0/": {\n        /**\n         * Root\n         */\n        get: never;\n    };\n}\n';
    writeFileSync(join(dist, "openapi.d.cts"), source);
    shareGeneratedDeclarations(dist);
    expect(readFileSync(join(dist, "openapi.d.cts"), "utf8")).toBe(
      'export interface paths {\n  "/api/0/": {\n    /**\n     * Root\n     */\n    get: never;\n  };\n}\n',
    );
    expect(halveIndentation("  a\n      b")).toBe("  a\n    b");
  });

  it("refuses to run before tsup wrote the declarations", () => {
    const empty = mkdtempSync(join(tmpdir(), "share-dts-empty-"));
    dirs.push(empty);
    expect(() => shareGeneratedDeclarations(empty)).toThrow(/openapi\.d\.cts is missing/);
  });
});
