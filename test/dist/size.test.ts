import { describe, expect, it } from "vitest";
import { measurePackage, PACKAGE_SIZE_BUDGET_BYTES } from "../../scripts/size.js";

describe("published package size", () => {
  it("stays within its unpacked budget, ships no source maps, and one copy of the generated API types", () => {
    const pkg = measurePackage();
    expect(pkg.javascriptBytes).toBeGreaterThan(0);
    expect(pkg.declarationBytes).toBeGreaterThan(0);
    expect(pkg.sourceMapBytes).toBe(0);
    expect(pkg.unpackedBytes).toBeLessThanOrEqual(PACKAGE_SIZE_BUDGET_BYTES);
  });
});
