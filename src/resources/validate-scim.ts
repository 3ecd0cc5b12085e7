/**
 * Input checks specific to SCIM and tokens, next to the shared ones in validate.ts: lists of numeric ids, SCIM
 * PatchOp operations, and token names (Sentry allows up to 255 characters there, not the 64 of a team name).
 */
import { ValidationError } from "../http/errors/index.js";
import { assertName, assertNumericId } from "./validate.js";

/** Sentry refuses a PatchOp with more than 100 operations. */
export const MAX_PATCH_OPERATIONS = 100;
const PATCH_OPS = new Set(["add", "remove", "replace"]);
// eslint-disable-next-line no-control-regex -- the control characters are the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A non-empty list of positive integer ids, deduplicated in the order given.
 * @example assertNumericIds("memberIds", [12, "13"]) // ["12", "13"]
 * @throws {ValidationError} naming `field` (with the index of the first bad id).
 */
export function assertNumericIds(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw ValidationError.forInput(field, "must be a non-empty array of ids");
  const ids = (value as unknown[]).map((id, index) => assertNumericId(`${field}[${index}]`, id));
  return [...new Set(ids)];
}

/**
 * A token name: non-empty, at most 255 characters, no control characters.
 * @example assertTokenName("name", "ci-deploy")
 * @throws {ValidationError} naming `field`.
 */
export function assertTokenName(field: string, value: unknown): string {
  return assertName(field, value, 255);
}

/** One SCIM PatchOp operation as the caller passes it to `scim.users.patch`. */
export interface ScimPatchOperation {
  /** `add`, `remove` or `replace` (Sentry's SCIM Users accept only `replace` of `active`). */
  op: "add" | "remove" | "replace" | "Add" | "Remove" | "Replace";
  path?: string;
  value?: unknown;
}

/**
 * 1..100 PatchOp operations with a known `op` and a `path` free of control characters.
 * @example assertPatchOperations("ops", [{ op: "replace", path: "active", value: false }])
 * @throws {ValidationError} naming `field` (and the index of the first bad operation).
 */
export function assertPatchOperations(field: string, value: unknown): ScimPatchOperation[] {
  if (!Array.isArray(value) || value.length === 0) throw ValidationError.forInput(field, "must be a non-empty array of operations");
  if (value.length > MAX_PATCH_OPERATIONS) {
    throw ValidationError.forInput(field, `must hold at most ${MAX_PATCH_OPERATIONS} operations (Sentry's limit), got ${value.length}`);
  }
  return (value as unknown[]).map((raw, index) => {
    const at = `${field}[${index}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw ValidationError.forInput(at, "must be an object { op, path?, value? }");
    const { op, path } = raw as Record<string, unknown>;
    if (typeof op !== "string" || !PATCH_OPS.has(op.toLowerCase())) throw ValidationError.forInput(`${at}.op`, "must be add, remove or replace");
    if (path !== undefined && (typeof path !== "string" || path === "" || CONTROL.test(path))) {
      throw ValidationError.forInput(`${at}.path`, "must be a non-empty string without control characters");
    }
    return raw as ScimPatchOperation;
  });
}
