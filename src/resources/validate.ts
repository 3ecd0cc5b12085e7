/**
 * Input checks every resource runs before sending: a bad value throws `ValidationError` naming the field and no
 * request is made. Each check returns the value narrowed (and, where Sentry wants a string, normalised).
 */
import { ValidationError } from "../http/errors/index.js";
import { isOrgRole, isScope, isTeamRole, ORG_ROLES, type OrgRole, type Scope, type TeamRole } from "../vocabulary/roles.js";
import { MAX_SLUG_LENGTH as MAX_SLUG, SLUG_PATTERN as SLUG } from "../vocabulary/slugs.js";

// Deliberately loose (one @, a dot in the domain, no whitespace): Sentry's own check decides the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMERIC_ID = /^[1-9][0-9]*$/;
// C0 controls, DEL and C1 controls: a newline or NUL in a filter could end the expression early.
// eslint-disable-next-line no-control-regex -- the control characters are the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === "object" ? (value === null ? "null" : "an object") : String(value);
}

/**
 * A team or project slug (`^(?![0-9]+$)[a-z0-9_-]+$`, at most 50 characters).
 * @example assertSlug("team", "payments") // "payments"
 * @throws {ValidationError} naming `field` when the value is not a slug.
 */
export function assertSlug(field: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw ValidationError.forInput(field, `must be a non-empty slug, got ${describe(value)}`);
  if (value.length > MAX_SLUG) throw ValidationError.forInput(field, `must be at most ${MAX_SLUG} characters, got ${value.length}`);
  if (!SLUG.test(value)) {
    throw ValidationError.forInput(field, `must be lowercase letters, digits, - or _ and not only digits, got ${describe(value)}`);
  }
  return value;
}

/**
 * A non-empty display name (team name, token name, group name) without control characters.
 * @example assertName("name", "Payments Team")
 * @throws {ValidationError} naming `field`.
 */
export function assertName(field: string, value: unknown, max = 64): string {
  if (typeof value !== "string" || value.trim() === "") throw ValidationError.forInput(field, `must be a non-empty string, got ${describe(value)}`);
  if (value.length > max) throw ValidationError.forInput(field, `must be at most ${max} characters, got ${value.length}`);
  if (CONTROL.test(value)) throw ValidationError.forInput(field, "must not contain control characters");
  return value;
}

/**
 * An email address (shape only).
 * @example assertEmail("email", "ana@example.com")
 * @throws {ValidationError} naming `field`.
 */
export function assertEmail(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length > 254 || !EMAIL.test(value)) {
    throw ValidationError.forInput(field, `must be an email address, got ${describe(value)}`);
  }
  return value;
}

/**
 * One of Sentry's organization roles: owner, manager, admin, member, billing.
 * @example assertOrgRole("orgRole", "manager")
 * @throws {ValidationError} naming `field`.
 */
export function assertOrgRole(field: string, value: unknown): OrgRole {
  if (!isOrgRole(value)) {
    throw ValidationError.forInput(field, `must be one of ${ORG_ROLES.map((role) => role.id).join(", ")}, got ${describe(value)}`);
  }
  return value;
}

/**
 * One of Sentry's team roles: admin, contributor.
 * @example assertTeamRole("teamRole", "admin")
 * @throws {ValidationError} naming `field`.
 */
export function assertTeamRole(field: string, value: unknown): TeamRole {
  if (!isTeamRole(value)) throw ValidationError.forInput(field, `must be admin or contributor, got ${describe(value)}`);
  return value;
}

/**
 * A non-empty list of known token scopes, deduplicated in the order given.
 * @example assertScopes("scopes", ["org:read", "member:read"])
 * @throws {ValidationError} naming `field` (and the first unknown scope).
 */
export function assertScopes(field: string, value: unknown): Scope[] {
  if (!Array.isArray(value) || value.length === 0) throw ValidationError.forInput(field, "must be a non-empty array of scopes");
  const seen = new Set<Scope>();
  for (const scope of value as unknown[]) {
    if (!isScope(scope)) throw ValidationError.forInput(field, `unknown scope ${describe(scope)}`);
    seen.add(scope);
  }
  return [...seen];
}

/**
 * A positive integer id (SCIM user/group id, team id, token id), given as number or digit string.
 * @example assertNumericId("id", 42) // "42"
 * @throws {ValidationError} naming `field`.
 */
export function assertNumericId(field: string, value: unknown): string {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !NUMERIC_ID.test(text) || !Number.isSafeInteger(Number(text))) {
    throw ValidationError.forInput(field, `must be a positive integer id, got ${describe(value)}`);
  }
  return text;
}

/**
 * An organization member id: a positive integer, or `"me"` for the token's own membership.
 * @example assertMemberId("id", "me")
 * @throws {ValidationError} naming `field`.
 */
export function assertMemberId(field: string, value: unknown): string {
  if (value === "me") return value;
  return assertNumericId(field, value);
}

/**
 * A page size from 1 to 100, or undefined for the default.
 * @example assertPerPage("perPage", 25)
 * @throws {ValidationError} naming `field`.
 */
export function assertPerPage(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 100) {
    throw ValidationError.forInput(field, `must be an integer from 1 to 100, got ${describe(value)}`);
  }
  return value;
}

/**
 * A SCIM `eq` filter clause with the value quoted and escaped (`"` and `\`), refusing control characters, so the
 * value can never end the string and add clauses of its own.
 * @example scimFilterValue("userName", 'ana@example.com') // 'userName eq "ana@example.com"'
 * @throws {ValidationError} naming the field when the value is empty, not a string or holds a control character.
 */
export function scimFilterValue(field: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw ValidationError.forInput(field, `must be a non-empty string, got ${describe(value)}`);
  if (CONTROL.test(value)) throw ValidationError.forInput(field, "must not contain control characters");
  if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(field)) throw ValidationError.forInput("filter", `unsupported SCIM attribute ${describe(field)}`);
  return `${field} eq "${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * A Date or ISO-8601 string as an ISO-8601 UTC string, for query parameters such as `start`/`end`.
 * @example toIsoDate("since", new Date("2025-01-01")) // "2025-01-01T00:00:00.000Z"
 * @throws {ValidationError} naming `field` for an invalid date or a string that is not ISO-8601.
 */
export function toIsoDate(field: string, value: Date | string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw ValidationError.forInput(field, "is an invalid Date");
    return value.toISOString();
  }
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    throw ValidationError.forInput(field, `must be a Date or an ISO-8601 string, got ${describe(value)}`);
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw ValidationError.forInput(field, `is not a valid date: ${describe(value)}`);
  return parsed.toISOString();
}

/**
 * A non-empty free-text value without control characters (search queries, actor names).
 * @example assertText("query", "email:ana@example.com")
 * @throws {ValidationError} naming `field`.
 */
export function assertText(field: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw ValidationError.forInput(field, `must be a non-empty string, got ${describe(value)}`);
  if (CONTROL.test(value)) throw ValidationError.forInput(field, "must not contain control characters");
  return value;
}
