// Layer rules as code (DESIGN.md "Layers"): dependencies point down only.
//
//   src/cli/  →  src/recipes/  →  src/client.ts  →  src/resources/  →  src/http/  →  src/config.ts, src/vocabulary/
//                                                                                  and src/generated/ (the bottom)
//   src/testing/ (the emulator) stands apart: it imports src/generated/ and packages only, never our client code.
//   src/index.ts and src/raw.ts are the public entries and may import any layer but cli/.
//
// `npm run depcruise` checks src/; `npm test` runs it through `npm run check`. Type-only imports count, for layers
// and for circles alike: a type that climbs a layer, or closes a circle, couples the modules as surely as a value.
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import circles anywhere in src/, type-only imports included: each is a sign two modules share a job.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "cli-only-from-cli",
      severity: "error",
      comment: "Nothing imports src/cli/ but src/cli/ itself: the CLI is the top of the stack.",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "testing-stands-apart",
      severity: "error",
      comment:
        "The emulator is an independent model of Sentry: it keeps its own copy of Sentry's rules and may import only " +
        "src/generated/ (and packages), or it would only agree with our own bugs.",
      from: { path: "^src/testing/" },
      to: { path: "^src/", pathNot: ["^src/testing/", "^src/generated/"] },
    },
    {
      name: "layers-not-into-testing",
      severity: "error",
      comment: "Library code does not depend on the emulator (only the public entries' re-exports and tests do).",
      from: { path: "^src/", pathNot: ["^src/testing/", "^src/cli/"] },
      to: { path: "^src/testing/" },
    },
    {
      name: "recipes-not-up",
      severity: "error",
      comment: "Recipes sit under the CLI: they take a client and never reach back up into src/cli/.",
      from: { path: "^src/recipes/" },
      to: { path: ["^src/cli/", "^src/index\\.ts$"] },
    },
    {
      name: "client-not-up",
      severity: "error",
      comment: "The client is built from resources over http; recipes and the CLI build on it, not the reverse.",
      from: { path: "^src/client\\.ts$" },
      to: { path: ["^src/recipes/", "^src/cli/", "^src/index\\.ts$"] },
    },
    {
      name: "resources-not-up",
      severity: "error",
      comment: "Resources are thin typed calls over http: they never import recipes, the client or the CLI.",
      from: { path: "^src/resources/" },
      to: { path: ["^src/recipes/", "^src/cli/", "^src/client\\.ts$", "^src/index\\.ts$"] },
    },
    {
      name: "http-not-up",
      severity: "error",
      comment: "The transport knows nothing of resources, recipes, the client or the CLI.",
      from: { path: "^src/http/" },
      to: { path: ["^src/resources/", "^src/recipes/", "^src/cli/", "^src/client\\.ts$", "^src/index\\.ts$", "^src/raw\\.ts$"] },
    },
    {
      name: "bottom-stays-bottom",
      severity: "error",
      comment:
        "config.ts and the vocabulary are the bottom: they import only each other, src/generated/ and the one error " +
        "hierarchy (src/http/errors.ts or src/http/errors/, which every layer throws from). config.ts may name hook and logger types.",
      from: { path: ["^src/config\\.ts$", "^src/vocabulary/"] },
      to: {
        path: "^src/",
        pathNot: ["^src/config\\.ts$", "^src/vocabulary/", "^src/generated/", "^src/version\\.ts$", "^src/http/errors(\\.ts$|/)"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "bottom-types-only-from-hooks",
      severity: "error",
      comment: "Type-only imports from the bottom may name only the hook and logger types config.ts validates.",
      from: { path: ["^src/config\\.ts$", "^src/vocabulary/"] },
      to: {
        path: "^src/",
        pathNot: [
          "^src/config\\.ts$",
          "^src/vocabulary/",
          "^src/generated/",
          "^src/version\\.ts$",
          "^src/http/(errors|hooks)(\\.ts$|/)",
          "^src/http/send/hooks\\.ts$",
        ],
        dependencyTypes: ["type-only"],
      },
    },
    {
      name: "generated-is-generator-output",
      severity: "error",
      comment: "src/generated/ holds only openapi-typescript output and the operation table: it imports nothing of ours.",
      from: { path: "^src/generated/" },
      to: { path: "^src/", pathNot: "^src/generated/" },
    },
    {
      name: "src-not-into-tooling",
      severity: "error",
      comment: "The package never imports its tests, benches or build scripts.",
      from: { path: "^src/" },
      to: { path: "^(test|bench|scripts|examples)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".cjs", ".mjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
