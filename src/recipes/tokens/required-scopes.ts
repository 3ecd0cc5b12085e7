// Least-privilege planner: the smallest set of token scopes that lets a script call given SDK methods.
import { operationTable, type OperationId } from "../../generated/operations.js";
import { ValidationError } from "../../http/errors/index.js";
import { METHOD_OPERATIONS } from "../../resources/method-operations.js";
import { SCOPES, expandScopes } from "../../vocabulary/roles.js";

/** The plan `requiredScopes` returns. */
export interface ScopePlan {
  /** The smallest scope set covering every operation that a bearer token can call, in Sentry's order. */
  scopes: string[];
  /** One row per (name, operation); `chosen` is null when the operation accepts any authenticated token. */
  perOperation: { name: string; operationId: string; acceptedScopes: string[]; chosen: string | null }[];
  /** Names whose operations need a browser session: no token scope makes them callable. */
  sessionOnly: string[];
  /** Names that are neither an SDK method path nor an operationId. */
  unknown: string[];
}

interface PlannedOperation {
  name: string;
  operationId: OperationId;
  accepted: readonly string[];
}

const SCOPE_INDEX = new Map<string, number>(SCOPES.map((scope, index) => [scope, index]));

/** Privilege rank for tie-breaks: read-like < write-like < admin. */
function privilege(scope: string): number {
  if (scope.endsWith(":admin")) return 3;
  if (scope.endsWith(":write") || scope === "org:integrations") return 2;
  return 1;
}

// At equal privilege a narrower family wins: team:write over org:write for creating a team.
const FAMILY_BREADTH = ["openid", "profile", "email", "event", "alerts", "project", "team", "member", "org"];

function breadth(scope: string): number {
  return FAMILY_BREADTH.indexOf(scope.split(":")[0] ?? scope);
}

function compareScopes(a: string, b: string): number {
  return privilege(a) - privilege(b) || breadth(a) - breadth(b) || (SCOPE_INDEX.get(a) ?? 0) - (SCOPE_INDEX.get(b) ?? 0);
}

function resolveName(name: string): readonly OperationId[] | undefined {
  const bare = name.startsWith("sentry.") ? name.slice("sentry.".length) : name;
  if (Object.hasOwn(METHOD_OPERATIONS, bare)) return METHOD_OPERATIONS[bare];
  if (Object.hasOwn(operationTable, name)) return [name as OperationId];
  return undefined;
}

/**
 * Plans the least-privilege token scopes for a script that calls the named SDK methods or operations.
 * Each operation accepts any one of its listed scopes; the hierarchy counts (`member:write` also serves an
 * operation that lists only `member:read`). The result is an exact minimum: fewest scopes first, then the
 * lowest privilege (read < write < admin), then the narrower family (team:write over org:write).
 * Unknown names never throw: they come back in `unknown` so a caller (the CLI) can report them all at once.
 * @example
 * requiredScopes(["org.teams.create", "org.members.invite"]).scopes // ["member:invite", "team:write"]
 * @throws ValidationError when `names` is not an array of strings.
 */
export function requiredScopes(names: readonly string[]): ScopePlan {
  // Checked through an `unknown` alias: Array.isArray would narrow `names` itself to any[].
  const given: unknown = names;
  if (!Array.isArray(given) || given.some((name) => typeof name !== "string")) {
    throw ValidationError.forInput("names", "expected an array of SDK method paths or operationIds");
  }
  const unknown: string[] = [];
  const sessionOnly: string[] = [];
  const planned: PlannedOperation[] = [];
  for (const name of new Set(names)) {
    const operationIds = resolveName(name);
    if (!operationIds) {
      unknown.push(name);
      continue;
    }
    for (const operationId of operationIds) {
      const entry = operationTable[operationId];
      if (entry.sessionOnly) {
        if (!sessionOnly.includes(name)) sessionOnly.push(name);
        continue;
      }
      planned.push({ name, operationId, accepted: [...entry.scopes] });
    }
  }

  const needsScope = dedupeByOperation(planned.filter((op) => op.accepted.length > 0));
  const chosenSet = minimumCover(needsScope);
  const perOperation = planned.map((op) => {
    const covering = chosenSet.filter((scope) => covers(scope, op.accepted)).sort(compareScopes);
    return { name: op.name, operationId: op.operationId, acceptedScopes: [...op.accepted], chosen: covering[0] ?? null };
  });
  return {
    scopes: [...chosenSet].sort((a, b) => (SCOPE_INDEX.get(a) ?? SCOPES.length) - (SCOPE_INDEX.get(b) ?? SCOPES.length)),
    perOperation,
    sessionOnly,
    unknown,
  };
}

function dedupeByOperation(ops: readonly PlannedOperation[]): PlannedOperation[] {
  const seen = new Map<string, PlannedOperation>();
  for (const op of ops) if (!seen.has(op.operationId)) seen.set(op.operationId, op);
  return [...seen.values()];
}

function covers(scope: string, accepted: readonly string[]): boolean {
  const held = expandScopes([scope]);
  return accepted.some((candidate) => held.has(candidate));
}

interface Candidate {
  scope: string;
  mask: bigint;
  cost: number;
}

/** Exact minimum hitting set by search; the universe (about 25 scopes, fewer after pruning) keeps it small. */
function minimumCover(ops: readonly PlannedOperation[]): string[] {
  if (ops.length === 0) return [];
  const full = (1n << BigInt(ops.length)) - 1n;
  // Scopes the table names but SCOPES lacks (a newer server's) still count as candidates.
  const universe = new Set<string>([...SCOPES, ...ops.flatMap((op) => op.accepted)]);
  let candidates: Candidate[] = [...universe]
    .map((scope) => {
      let mask = 0n;
      ops.forEach((op, index) => {
        if (covers(scope, op.accepted)) mask |= 1n << BigInt(index);
      });
      return { scope, mask, cost: privilege(scope) };
    })
    .filter((candidate) => candidate.mask !== 0n);
  candidates = withoutDominated(candidates);

  for (let size = 1; size <= candidates.length; size += 1) {
    let best: Candidate[] | undefined;
    for (const combo of combinations(candidates, size)) {
      const mask = combo.reduce((acc, candidate) => acc | candidate.mask, 0n);
      if (mask === full && (!best || betterThan(combo, best))) best = combo;
    }
    if (best) return best.map((candidate) => candidate.scope);
  }
  // Unreachable: every op has at least one accepted scope, and each accepted scope is a candidate.
  throw new Error("no scope set covers the requested operations");
}

function totalCost(combo: readonly Candidate[]): number {
  return combo.reduce((sum, candidate) => sum + candidate.cost, 0);
}

function betterThan(a: readonly Candidate[], b: readonly Candidate[]): boolean {
  const byCost = totalCost(a) - totalCost(b);
  if (byCost !== 0) return byCost < 0;
  const maxA = Math.max(...a.map((c) => c.cost));
  const maxB = Math.max(...b.map((c) => c.cost));
  if (maxA !== maxB) return maxA < maxB;
  const key = (combo: readonly Candidate[]) =>
    combo
      .map((c) => breadth(c.scope))
      .sort((x, y) => x - y)
      .join(",");
  return key(a) < key(b);
}

/** Drops a scope when another covers everything it covers at no more privilege; that never loses the optimum. */
function withoutDominated(candidates: readonly Candidate[]): Candidate[] {
  return candidates.filter(
    (candidate, index) =>
      !candidates.some((other, otherIndex) => {
        if (otherIndex === index) return false;
        const coversAll = (candidate.mask & other.mask) === candidate.mask;
        if (!coversAll || other.cost > candidate.cost) return false;
        // Between two equivalent scopes keep the preferred one, so exactly one survives.
        const equivalent = other.mask === candidate.mask && other.cost === candidate.cost;
        return !equivalent || compareScopes(other.scope, candidate.scope) < 0;
      }),
  );
}

function* combinations<T>(items: readonly T[], size: number, start = 0, prefix: T[] = []): Generator<T[]> {
  if (prefix.length === size) {
    yield [...prefix];
    return;
  }
  for (let index = start; index <= items.length - (size - prefix.length); index += 1) {
    const item = items[index];
    if (item === undefined) continue;
    prefix.push(item);
    yield* combinations(items, size, index + 1, prefix);
    prefix.pop();
  }
}
