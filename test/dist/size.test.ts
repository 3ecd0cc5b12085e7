import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { measurePackage, PACKAGE_SIZE_BUDGET_BYTES } from "../../scripts/size.js";

describe("published package size", () => {
  it("stays within its unpacked budget, ships no source maps, and one copy of the generated API types and models", () => {
    const pkg = measurePackage();
    expect(pkg.javascriptBytes).toBeGreaterThan(0);
    expect(pkg.declarationBytes).toBeGreaterThan(0);
    expect(pkg.sourceMapBytes).toBe(0);
    expect(pkg.unpackedBytes).toBeLessThanOrEqual(PACKAGE_SIZE_BUDGET_BYTES);
    const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
    for (const name of ["openapi", "models", "raw-client"]) {
      expect(existsSync(`${dist}${name}.d.cts`)).toBe(true);
      expect(existsSync(`${dist}${name}.d.ts`)).toBe(false);
    }
  });

  it("keeps the API document's types out of the core declarations: only sentry-rbac/raw imports them", () => {
    const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
    const core = readdirSync(dist).filter((f) => /^index.*\.d\.c?ts$/.test(f)).map((f) => `${dist}${f}`);
    core.push(...["recipes", "testing"].flatMap((d) => [`${dist}${d}/index.d.ts`, `${dist}${d}/index.d.cts`]), `${dist}models.d.cts`, `${dist}raw-client.d.cts`);
    expect(core.length).toBeGreaterThan(8);
    for (const file of core) {
      const text = readFileSync(file, "utf8");
      // Neither the generated paths document nor openapi-fetch's declarations (which skipLibCheck: false checks).
      expect(text, file).not.toMatch(/openapi\.c?js['"]|from ['"]openapi-fetch['"]|import ['"]openapi-fetch['"]/);
    }
    expect(readFileSync(`${dist}raw.d.cts`, "utf8")).toMatch(/from '\.\/openapi\.cjs'/);
  });
});
