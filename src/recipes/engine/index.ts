/**
 * The one reconcile engine every workflow that changes access runs on (access as code, team isolation, contractor
 * teams; reviews, drift, grants and imports emit the same changes):
 *
 * - `changes.ts` — the vocabulary: a {@link Change} creates, updates or deletes a team, a project link, a member
 *   (invite, org role, SCIM deactivation) or a team membership (and its team role); the plan as data
 *   ({@link ReconcilePlan}: changes, blocked, idpOwned, violations, fingerprint) and the run order;
 * - `rails.ts` — the safety rails a plan must pass (owners kept, removal limits, never the caller);
 * - `fingerprint.ts` — the hash of the state a plan was computed from (stale-plan refusal);
 * - `send.ts` — how one change is made and undone, and whether a failed one may have acted;
 * - `execute.ts` — the executor: order, "already done" notes, dependants skipped, stop or rollback of only what
 *   may have acted, progress events, abort;
 * - `errors.ts` — {@link AccessPlanError}, the engine's refusal.
 *
 * The shape is peribolos' `configureMembers(have, want, adder, remover)`, with the plan kept as data in between.
 */
export { isReduction, orderChanges, phaseOf } from "./changes.js";
export type { BlockedChange, Change, ChangeAction, ChangeKind, IdpOwnedEntry, RailViolation, ReconcilePlan } from "./changes.js";
export { checkRails, type RailCaller, type RailPolicy, type RailState } from "./rails.js";
export { fingerprintOfState } from "./fingerprint.js";
export { mayHaveActed, sendChange, undoChange, type ChangeResult, type SendChangeOptions } from "./send.js";
export { executePlan, refuseBrokenRails, type AppliedChange, type ChangeProgress, type ExecuteOptions, type ExecutionReport } from "./execute.js";
export { AccessPlanError, isAccessPlanError, type AccessPlanErrorCode } from "./errors.js";
