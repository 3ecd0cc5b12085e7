import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { measurePackage, PACKAGE_SIZE_BUDGET_BYTES } from "../../scripts/size.js";

describe("published package size", () => {
  it("stays within its unpacked budget, ships no source maps, and one copy of the generated API types", () => {
    const pkg = measurePackage();
    expect(pkg.javascriptBytes).toBeGreaterThan(0);
    expect(pkg.declarationBytes).toBeGreaterThan(0);
    expect(pkg.sourceMapBytes).toBe(0);
    expect(pkg.unpackedBytes).toBeLessThanOrEqual(PACKAGE_SIZE_BUDGET_BYTES);
    const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
    expect(existsSync(`${dist}openapi.d.cts`)).toBe(true);
    expect(existsSync(`${dist}openapi.d.ts`)).toBe(false);
    expect(readFileSync(`${dist}index.d.ts`, "utf8")).toContain("./openapi.cjs");
  });
});
