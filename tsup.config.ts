import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "recipes/index": "src/recipes/index.ts",
    raw: "src/raw.ts",
    "cli/main": "src/cli/main.ts",
  },
  format: ["esm", "cjs"],
  dts: {
    // The generated API types and models get declaration files of their own, which scripts/share-dts.ts then ships
    // once for both module formats (npm run build runs it after tsup). Only `raw` imports the API types.
    entry: {
      index: "src/index.ts",
      openapi: "src/generated/openapi.ts",
      models: "src/generated/models.ts",
      raw: "src/raw.ts",
      // Its own file (not a hashed chunk), so `raw.d.ts` can augment RawClientTypes by a stable path.
      "raw-client": "src/http/raw-client.ts",
      "testing/index": "src/testing/index.ts",
      "recipes/index": "src/recipes/index.ts",
    },
  },
  target: "node20",
  platform: "node",
  // No source maps: they were a third of the unpacked package, and the output is readable, unminified JavaScript.
  sourcemap: false,
  clean: true,
  splitting: true,
  // import.meta.url in CJS output (the emulator loads msw lazily with createRequire).
  shims: true,
  // Class names survive bundling (error.name is "ValidationError", not "_ValidationError"); users branch on them.
  keepNames: true,
  // openapi-fetch's default export breaks in tsup's CJS output of a "type": "module" package; bundling it avoids that.
  noExternal: ["openapi-fetch"],
});
