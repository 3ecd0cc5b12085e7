// @ts-check
// ESLint flat config. src/ gets typescript-eslint's strictTypeChecked set, with the few departures below (each
// with its reason); tests, benches, scripts and examples get the lighter recommendedTypeChecked set. Both keep
// the promise rules on. Run with `npm run lint`; `npm test` runs it through `npm run check`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const promiseRules = {
  // The two rules this linter is here for: an SDK that is all promises must await (or deliberately `void`)
  // every one, and never hand an async function to a caller that ignores the promise it returns.
  "@typescript-eslint/no-floating-promises": "error",
  "@typescript-eslint/no-misused-promises": "error",
};

export default tseslint.config(
  {
    ignores: ["dist/**", "coverage/**", "docs/api/**", "src/generated/**", "node_modules/**", ".ci/**", "test/fixtures/**"],
  },
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["src/**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    rules: {
      ...promiseRules,
      // Numbers, booleans and nullish values in messages print as expected; objects and `any` stay refused.
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowRegExp: true, allowAny: false, allowNever: false },
      ],
      // Off: our parsers check server data (JSON from Sentry, IdP XML, Redis replies, files) that the types
      // describe optimistically, so "unnecessary" checks and String() conversions are deliberate defences.
      "@typescript-eslint/no-unnecessary-condition": "off",
      "@typescript-eslint/no-unnecessary-type-conversion": "off",
      // Off: with noUncheckedIndexedAccess, `xs[i]!` after a bounds check is the idiom; tsc guards the rest.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Off: style only (`() => void send()` shorthands); it catches no defect the rules above miss.
      "@typescript-eslint/no-confusing-void-expression": "off",
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts", "examples/**/*.ts", "*.ts", "*.js"],
    ignores: ["src/**"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    rules: {
      ...promiseRules,
      // Off: fake fetch handlers and emulator callbacks are `async` to match the signature they stand in for.
      "@typescript-eslint/require-await": "off",
      // Off: `expect(client.method)` and spies pass methods unbound on purpose.
      "@typescript-eslint/unbound-method": "off",
      // Off: tests read response bodies as JSON (`any`) and assert on them; a wrong shape fails the assertion.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
    },
  },
);
