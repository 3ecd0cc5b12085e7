// API tokens: rotation with rollback (rotate.ts; its shapes in types.ts, its error in rotation-error.ts, the
// successor's proof in verify.ts, the inventory in inventory.ts), the inventory lint (lint.ts), naming conventions
// (naming.ts) and the least-privilege scope planner (required-scopes.ts).
export { TokenRotationError, isTokenRotationError, rotateToken } from "./rotate.js";
export { PURPOSE_SCOPES, inferTokenPurpose, lintTokens } from "./lint.js";
export { TOKEN_ENVIRONMENTS, parseTokenName } from "./naming.js";
export { requiredScopes } from "./required-scopes.js";
export type { FailureSummary } from "./rotation-error.js";
export type { MintRequest, MintedToken, RotateTokenOptions } from "./rotate.js";
export type { RotatableTokenKind, RotationReport, RotationStep, RotationStepRecord, SuccessorSecret, TokenInventory, TokenRecord } from "./types.js";
export type { LintTokensOptions, TokenFinding, TokenFindingCode, TokenLintReport, TokenPurpose } from "./lint.js";
export type { ParsedTokenName, TokenEnvironment } from "./naming.js";
export type { ScopePlan } from "./required-scopes.js";
