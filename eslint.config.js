// @ts-check
// ESLint flat config. src/ gets typescript-eslint's strictTypeChecked set, with the few departures below (each
// with its reason); tests, benches, scripts and examples get the lighter recommendedTypeChecked set. Both keep
// the promise rules on. Run with `npm run lint`; `npm test` runs it through `npm run check`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const sharedRules = {
  // The two rules this linter is here for: an SDK that is all promises must await (or deliberately `void`)
  // every one, and never hand an async function to a caller that ignores the promise it returns.
  "@typescript-eslint/no-floating-promises": "error",
  "@typescript-eslint/no-misused-promises": "error",
  // A leading underscore marks a parameter or binding kept for its position (`_input`, `{ a: _a, ...rest }`).
  "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
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
      ...sharedRules,
      // Numbers, booleans and nullish values in messages print as expected; objects and `any` stay refused.
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowRegExp: true, allowAny: false, allowNever: false },
      ],
      // Off: our parsers check server data (JSON from Sentry, IdP XML, Redis replies, files) that the types
      // describe optimistically, so "unnecessary" checks and String() conversions are deliberate defences.
      "@typescript-eslint/no-unnecessary-condition": "off",
      "@typescript-eslint/no-unnecessary-type-conversion": "off",
      "@typescript-eslint/no-unnecessary-boolean-literal-compare": "off",
      // `this: void` on an interface method says it may be passed detached (ctx.write); that is a valid void.
      "@typescript-eslint/no-invalid-void-type": ["error", { allowAsThisParameter: true }],
      // Off: with noUncheckedIndexedAccess, `xs[i]!` after a bounds check is the idiom; tsc guards the rest.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Off: style only (`() => void send()` shorthands); it catches no defect the rules above miss.
      "@typescript-eslint/no-confusing-void-expression": "off",
      // Off: String(x) over an `unknown` value from a response or file is deliberate (it renders what arrived);
      // the values we print are ids and names, and an object arriving there reads "[object Object]", not a crash.
      "@typescript-eslint/no-base-to-string": "off",
      // Off: `async` without `await` is deliberate on methods of Promise-returning interfaces (a Response body,
      // a sink, a checkpoint store): a synchronous throw then becomes a rejection, which is what callers handle.
      "@typescript-eslint/require-await": "off",
      // Rejections forward what they caught (`signal.reason`, an `unknown` from a catch) unchanged, as
      // `only-throw-error` allows for throw; anything else must still be an Error.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts", "examples/**/*.ts", "*.ts", "*.js"],
    ignores: ["src/**"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    rules: {
      ...sharedRules,
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
      // Off: as in src/, String(x) of a scripted fault or request body is deliberate.
      "@typescript-eslint/no-base-to-string": "off",
      // Off: tests match control characters to prove that printed text has none.
      "no-control-regex": "off",
      // As in src/: forwarding a caught `unknown` or `signal.reason` is fine.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    // Plain JavaScript configs (this file, dependency-cruiser's) sit outside tsconfig: no type information.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: "readonly", require: "readonly", process: "readonly" } },
  },
);
