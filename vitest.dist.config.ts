import { defineConfig } from "vitest/config";

// Tests of the built package (dist/ and the packed tarball); `npm test` runs them after the build.
export default defineConfig({
  test: {
    include: ["test/dist/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 200_000,
    pool: "forks",
  },
});
