/**
 * Bearer-token authentication and scope resolution as Sentry does it (facts §0, §4): a token's
 * kind comes from its prefix, user tokens act as their member with token ∩ role scopes,
 * integration tokens carry the app's scopes, org auth tokens only `org:ci`.
 */
import { AnswerError, detail, NO_CREDENTIALS } from "./http.js";
import type { Member, Org, Token, World } from "./model.js";
import { memberOfUser } from "./model.js";
import type { Random } from "./random.js";
import { expandScopes, ORG_ROLES } from "./roles.js";
import type { TokenKind } from "./types.js";

export const TOKEN_PREFIX: Record<TokenKind, string> = { user: "sntryu_", org: "sntrys_", integration: "sntryi_" };

export function mintTokenValue(kind: TokenKind, random: Random): string {
  return TOKEN_PREFIX[kind] + random.hex(64);
}

/** The authenticated caller of one request. */
export interface Caller {
  token: Token;
  /** The token's own scopes, expanded by the hierarchy (first permission stage). */
  tokenScopes: Set<string>;
}

/** Resolves the Authorization header; throws a 401 answer for missing, unknown or expired tokens. */
export function authenticate(world: World, authorization: string | null, now: number): Caller {
  if (!authorization) throw new AnswerError(detail(401, NO_CREDENTIALS));
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new AnswerError(detail(401, NO_CREDENTIALS));
  const value = match[1];
  const token = world.tokenByValue(value);
  if (!token || !token.active) {
    throw new AnswerError(detail(401, value.startsWith(TOKEN_PREFIX.org) ? "Invalid org token" : "Invalid token"));
  }
  if (token.expiresAt !== null && token.expiresAt <= now) throw new AnswerError(detail(401, "Token expired"));
  token.dateLastUsed = now;
  return { token, tokenScopes: expandScopes(token.kind === "org" ? ["org:ci"] : token.scopes) };
}

/** The member a user token acts as in `org`, if any. */
export function actingMember(caller: Caller, world: World, org: Org): Member | undefined {
  const userId = caller.token.userId;
  if (caller.token.kind !== "user" || userId === null) return undefined;
  const member = memberOfUser(org, userId);
  return member && world.users.has(userId) ? member : undefined;
}

/**
 * Effective scopes in an org (second permission stage): user tokens are bounded by their member's
 * role; integration tokens keep their app scopes for their own org; foreign orgs get nothing.
 */
export function effectiveScopes(caller: Caller, world: World, org: Org): Set<string> {
  const { token } = caller;
  if (token.kind === "user") {
    const member = actingMember(caller, world, org);
    if (!member) return new Set();
    const roleScopes = expandScopes(ORG_ROLES[member.orgRole].scopes);
    return new Set([...caller.tokenScopes].filter((scope) => roleScopes.has(scope)));
  }
  return token.orgId === org.id ? caller.tokenScopes : new Set();
}

export function hasAny(scopes: Set<string>, wanted: readonly string[]): boolean {
  return wanted.some((scope) => scopes.has(scope));
}
