/**
 * Lookup from a concrete request (method + pathname) to the operation of the Sentry API it calls, using the
 * generated operation table. Drives limiter keys, 403 scope hints and error metadata.
 */
import { operationTable, type OperationId } from "../../generated/operations.js";
import { expandScopes } from "../../vocabulary/scopes.js";

/** The operation a request matched: its id, path template and the token scopes it accepts (any one suffices). */
export interface MatchedOperation {
  operationId: OperationId;
  path: string;
  scopes: readonly string[];
}

interface Route extends MatchedOperation {
  pattern: RegExp;
  literalSegments: number;
}

let routesByMethod: Map<string, Route[]> | undefined;
// Concrete paths repeat (the same endpoint, page after page); bounded so id-bearing paths cannot grow it forever.
const recent = new Map<string, MatchedOperation | undefined>();
const RECENT_MAX = 1000;

function buildRoutes(): Map<string, Route[]> {
  const byMethod = new Map<string, Route[]>();
  for (const [operationId, op] of Object.entries(operationTable) as [OperationId, (typeof operationTable)[OperationId]][]) {
    const segments = op.path.split("/");
    const source = segments.map((segment) => (/^\{[^}]+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/");
    const route: Route = {
      operationId,
      path: op.path,
      scopes: op.scopes,
      pattern: new RegExp(`^${source}$`),
      literalSegments: segments.filter((s) => s !== "" && !s.startsWith("{")).length,
    };
    const list = byMethod.get(op.method) ?? [];
    list.push(route);
    byMethod.set(op.method, list);
  }
  // A literal segment beats a parameter ("/members/me/" over "/members/{member_id}/"), so try specific first.
  for (const list of byMethod.values()) list.sort((a, b) => b.literalSegments - a.literalSegments);
  return byMethod;
}

/**
 * Finds the API operation for a request. `pathname` starts at `/api/0/` (strip a self-hosted prefix first).
 * @example matchOperation("GET", "/api/0/organizations/acme/teams/") // { operationId: "listOrganizationTeams", ... }
 */
export function matchOperation(method: string, pathname: string): MatchedOperation | undefined {
  const cacheKey = `${method.toUpperCase()} ${pathname}`;
  if (recent.has(cacheKey)) return recent.get(cacheKey);
  routesByMethod ??= buildRoutes();
  let found: MatchedOperation | undefined;
  for (const route of routesByMethod.get(method.toUpperCase()) ?? []) {
    if (route.pattern.test(pathname)) {
      found = Object.freeze({ operationId: route.operationId, path: route.path, scopes: route.scopes });
      break;
    }
  }
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(cacheKey, found);
  return found;
}

/** True for SCIM v2 paths, which authenticate with the SCIM token when one is configured. */
export function isScimPath(pathname: string): boolean {
  return pathname.includes("/scim/v2/") || pathname.endsWith("/scim/v2");
}

// Scopes and their hierarchy are Sentry's vocabulary (src/vocabulary/scopes.ts); 403 hints read them from there.
export { expandScopes } from "../../vocabulary/scopes.js";

/**
 * The accepted scopes a token lacks: empty when it holds any one of `accepted`, else all of `accepted`
 * (granting any one of them would do).
 * @example missingScopes(["team:admin", "team:write"], ["org:read"]) // ["team:admin", "team:write"]
 */
export function missingScopes(accepted: readonly string[], tokenScopes: readonly string[]): string[] {
  if (accepted.length === 0) return [];
  const held = expandScopes(tokenScopes);
  return accepted.some((scope) => held.has(scope)) ? [] : [...accepted];
}
