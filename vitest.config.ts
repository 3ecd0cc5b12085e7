import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests of the built package run after the build (vitest.dist.config.ts).
    exclude: ["test/dist/**", "**/node_modules/**"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // `npm test` runs with --coverage; the thresholds are the figures measured when they were set (never lower them
    // to pass: add the tests). Generated code is the generator's to cover.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/generated/**"],
      reporter: ["text-summary", "json-summary", "html"],
      // The figures still print when a test fails, so a red run says how far coverage is from the thresholds.
      reportOnFailure: true,
      thresholds: { lines: 94, statements: 91, functions: 91, branches: 83 },
    },
  },
});
