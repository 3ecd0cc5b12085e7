// Sentry's token scopes and what each implies (`SENTRY_SCOPES`, `SENTRY_SCOPE_HIERARCHY_MAPPING` in
// sentry/conf/server.py, 25.12.1; the project's reference facts §1f). http/ names a 403's missing scopes with them.
import type { Scope } from "../generated/models.js";

export type { Scope } from "../generated/models.js";

/** Every token scope Sentry grants, in the server's own order. */
export const SCOPES: readonly Scope[] = Object.freeze([
  "org:read",
  "org:write",
  "org:admin",
  "org:integrations",
  "org:ci",
  "member:invite",
  "member:read",
  "member:write",
  "member:admin",
  "team:read",
  "team:write",
  "team:admin",
  "project:read",
  "project:write",
  "project:admin",
  "project:releases",
  "project:distribution",
  "event:read",
  "event:write",
  "event:admin",
  "alerts:read",
  "alerts:write",
  "openid",
  "profile",
  "email",
] as const satisfies readonly Scope[]);

/**
 * The scopes each scope implies besides itself (`SENTRY_SCOPE_HIERARCHY_MAPPING`); absent = only itself.
 * @example SCOPE_HIERARCHY["team:admin"] // ["team:write", "team:read"]
 */
export const SCOPE_HIERARCHY: Readonly<Partial<Record<Scope, readonly Scope[]>>> = Object.freeze({
  "org:admin": ["org:write", "org:read", "org:integrations"],
  "org:write": ["org:read"],
  "member:admin": ["member:write", "member:read", "member:invite"],
  "member:write": ["member:read", "member:invite"],
  "team:admin": ["team:write", "team:read"],
  "team:write": ["team:read"],
  "project:admin": ["project:write", "project:read"],
  "project:write": ["project:read"],
  "event:admin": ["event:write", "event:read"],
  "event:write": ["event:read"],
  "alerts:write": ["alerts:read"],
});

const SCOPE_SET: ReadonlySet<string> = new Set(SCOPES);

/**
 * True when `value` is a scope Sentry knows.
 * @example isScope("team:write") // true; isScope("team:delete") // false
 */
export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && SCOPE_SET.has(value);
}

/**
 * Every scope a token with `scopes` effectively holds (write implies read, admin implies write and read).
 * @example expandScopes(["team:admin"]) // Set { "team:admin", "team:write", "team:read" }
 */
export function expandScopes(scopes: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const scope of scopes) {
    out.add(scope);
    for (const implied of (SCOPE_HIERARCHY as Readonly<Record<string, readonly string[] | undefined>>)[scope] ?? []) out.add(implied);
  }
  return out;
}
