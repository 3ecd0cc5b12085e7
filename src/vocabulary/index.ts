/**
 * Sentry's vocabulary, at the bottom of every layer: roles (`roles.ts`), scopes (`scopes.ts`), token formats
 * (`tokens.ts`), slugs (`slugs.ts`) and "did you mean" over names (`suggest.ts`). Pure data, predicates and
 * lookups: nothing here imports http/, resources/, recipes/ or cli/, and nothing throws — callers that refuse input
 * throw their own (ValidationError) error.
 *
 * The emulator (src/testing/roles.ts) keeps its own copy of Sentry's role and scope rules on purpose: it models
 * the server, and sharing this copy would make it agree with our client's mistakes.
 */
export * from "./roles.js";
export * from "./scopes.js";
export * from "./slugs.js";
export * from "./suggest.js";
export * from "./tokens.js";
