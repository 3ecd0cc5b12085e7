import { defineConfig, type Options } from "tsup";

const shared: Options = {
  target: "node20",
  platform: "node",
  // No source maps: they were a third of the unpacked package, and the output is readable, unminified JavaScript.
  sourcemap: false,
  splitting: true,
  // openapi-fetch's default export breaks in tsup's CJS output of a "type": "module" package; bundling it avoids that.
  noExternal: ["openapi-fetch"],
};

const library = {
  index: "src/index.ts",
  "testing/index": "src/testing/index.ts",
  "recipes/index": "src/recipes/index.ts",
  raw: "src/raw.ts",
};

// The generated API types and models get declaration files of their own, which scripts/share-dts.ts then ships
// once for both module formats (npm run build runs it after tsup). Only `raw` imports the API types.
const declarations = {
  ...library,
  openapi: "src/generated/openapi.ts",
  models: "src/generated/models.ts",
  // Its own file (not a hashed chunk), so `raw.d.ts` can augment RawClientTypes by a stable path.
  "raw-client": "src/http/send/raw-client.ts",
};

export default defineConfig([
  {
    ...shared,
    // The CLI is what package.json's `bin` runs, so it is built as ESM only, sharing the library's chunks (a
    // CommonJS copy was 168 KB that nothing loads).
    entry: { ...library, "cli/main": "src/cli/main.ts" },
    format: ["esm"],
    dts: { entry: declarations },
    clean: true,
  },
  {
    ...shared,
    entry: library,
    format: ["cjs"],
    dts: { entry: declarations },
    // import.meta.url in CJS output (the emulator loads msw lazily with createRequire).
    shims: true,
  },
]);
