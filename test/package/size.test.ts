import { describe, expect, it } from "vitest";
import { CORE_SIZE_BUDGET_BYTES, measureCoreSize } from "../../scripts/size.js";

describe("core entry size", () => {
  it("stays within its min+gzip budget (dependencies excluded), as recorded in the README", async () => {
    const size = await measureCoreSize();
    expect(size.gzipBytes).toBeGreaterThan(0);
    expect(size.gzipBytes).toBeLessThanOrEqual(CORE_SIZE_BUDGET_BYTES);
  });
});
