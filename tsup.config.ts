import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "recipes/index": "src/recipes/index.ts",
    "cli/main": "src/cli/main.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts", "recipes/index": "src/recipes/index.ts" } },
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  splitting: true,
  // import.meta.url in CJS output (the emulator loads msw lazily with createRequire).
  shims: true,
  // Class names survive bundling (error.name is "ValidationError", not "_ValidationError"); users branch on them.
  keepNames: true,
  // openapi-fetch's default export breaks in tsup's CJS output of a "type": "module" package; bundling it avoids that.
  noExternal: ["openapi-fetch"],
});
