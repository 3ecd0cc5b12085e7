/**
 * Token routes: the caller's own user tokens (`/api-tokens/{id}/`), org auth tokens (scope always
 * `org:ci`, value only on create) and the SSO provider. The session-only `/api-tokens/` list,
 * create and delete-by-body are answered 401 by the router (bearer tokens are ignored there).
 *
 * Audit: Sentry's registry has no api-token events, so user-token changes write none; org auth
 * tokens write `org-auth-token.create` / `org-auth-token.remove`.
 */
import { addToken } from "../build.js";
import type { Caller } from "../auth.js";
import { detail, type EmuAnswer, type EmuRequest, fail, isRecord, json, NO_CREDENTIALS, NO_PERMISSION, NOT_FOUND, noContent, parseJsonBody } from "../http.js";
import { iso, type Token, type World } from "../model.js";
import { createRandom } from "../random.js";
import type { RouteContext, RouteSpec } from "../router.js";

function serializeApiToken(token: Token, includeValue: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: String(token.id),
    name: token.name,
    scopes: [...token.scopes],
    application: null,
    expiresAt: token.expiresAt === null ? null : iso(token.expiresAt),
    dateCreated: iso(token.dateCreated),
    state: null,
    tokenLastCharacters: token.value.slice(-4),
    refreshToken: null,
  };
  if (includeValue) body.token = token.value;
  return body;
}

function serializeOrgToken(token: Token, includeValue: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: String(token.id),
    name: token.name,
    scopes: ["org:ci"],
    tokenLastCharacters: token.value.slice(-4),
    dateCreated: iso(token.dateCreated),
    dateLastUsed: token.dateLastUsed === null ? null : iso(token.dateLastUsed),
    projectLastUsedId: null,
  };
  if (includeValue) body.token = token.value;
  return body;
}

function ownUserToken(ctx: RouteContext): Token {
  if (ctx.caller.token.kind !== "user") fail(detail(403, NO_PERMISSION));
  const token = ctx.world.tokens.get(Number(ctx.params.token_id));
  if (!token || !token.active || token.kind !== "user" || token.userId !== ctx.caller.token.userId) {
    return fail(detail(404, "Invalid token ID"));
  }
  return token;
}

function renameApiToken(ctx: RouteContext): EmuAnswer {
  const token = ownUserToken(ctx);
  const body = parseJsonBody(ctx.req);
  if (!isRecord(body)) return json(400, { name: ["This field is required."] });
  if (Object.keys(body).some((key) => key !== "name" && key !== "tokenId")) {
    return json(403, { error: "Only auth token name can be edited after creation" });
  }
  if (typeof body.name !== "string") return json(400, { name: ["This field is required."] });
  if (body.name.length > 255) return json(400, { name: ["Ensure this field has no more than 255 characters."] });
  token.name = body.name;
  return json(200, serializeApiToken(token, false));
}

function orgToken(ctx: RouteContext): Token {
  const token = ctx.world.tokens.get(Number(ctx.params.token_id));
  if (!token || !token.active || token.kind !== "org" || token.orgId !== ctx.org.id) return fail(detail(404, NOT_FOUND));
  return token;
}

function validName(body: unknown): string {
  const name = isRecord(body) ? body.name : undefined;
  if (typeof name !== "string" || name.trim() === "") return fail(detail(400, "The name cannot be blank."));
  if (name.length > 255) return fail(json(400, { name: ["Ensure this field has no more than 255 characters."] }));
  return name;
}

function listOrgTokens(ctx: RouteContext): EmuAnswer {
  const tokens = [...ctx.world.tokens.values()].filter((t) => t.kind === "org" && t.active && t.orgId === ctx.org.id);
  tokens.sort((a, b) => (b.dateLastUsed ?? -Infinity) - (a.dateLastUsed ?? -Infinity) || a.name.localeCompare(b.name) || b.dateCreated - a.dateCreated);
  return json(
    200,
    tokens.map((t) => serializeOrgToken(t, false)),
  );
}

function createOrgToken(ctx: RouteContext): EmuAnswer {
  const name = validName(parseJsonBody(ctx.req));
  const token = addToken(ctx.world, createRandom((ctx.now + ctx.world.tokens.size * 7919) >>> 0), {
    kind: "org",
    name,
    scopes: ["org:ci"],
    userId: null,
    orgId: ctx.org.id,
    dateCreated: ctx.now,
    expiresAt: null,
  });
  ctx.audit("org-auth-token.create", { targetObject: token.id, data: { name } });
  return json(201, serializeOrgToken(token, true));
}

function deleteOrgToken(ctx: RouteContext): EmuAnswer {
  const token = orgToken(ctx);
  token.active = false; // soft-deactivated, as Sentry does
  ctx.audit("org-auth-token.remove", { targetObject: token.id, data: { name: token.name } });
  return noContent();
}

function authProvider(ctx: RouteContext): EmuAnswer {
  const p = ctx.org.authProvider;
  if (!p) return noContent();
  const pending = [...ctx.org.members.values()].filter((m) => m.userId !== null && !m.flags["sso:linked"]).length;
  return json(200, {
    id: String(p.id),
    provider_name: p.provider,
    pending_links_count: pending,
    login_url: `${ctx.req.url.origin}/organizations/${ctx.org.slug}/issues/`,
    default_role: p.defaultRole,
    require_link: p.requireLink,
    scim_enabled: p.scimEnabled,
  });
}

/** `GET /api/0/`: Sentry's IndexEndpoint reports the calling token's own scopes and the user behind it. */
function apiIndex(_req: EmuRequest, world: World, caller: Caller | undefined): EmuAnswer {
  const user = caller?.token.userId != null ? world.users.get(caller.token.userId) : undefined;
  return json(200, {
    version: "0",
    auth: caller ? { scopes: caller.token.kind === "org" ? ["org:ci"] : [...caller.token.scopes] } : null,
    user: user ? { id: String(user.id), name: user.name, username: user.email, email: user.email } : null,
  });
}

const sessionOnly = (): EmuAnswer => detail(401, "Authentication credentials were not provided.");

export const tokenRoutes: RouteSpec[] = [
  { operationId: "getApiIndex", handler: () => detail(401, NO_CREDENTIALS), anonymous: apiIndex },
  { operationId: "listApiTokens", handler: sessionOnly },
  { operationId: "createApiToken", handler: sessionOnly },
  { operationId: "deleteApiTokenByBody", handler: sessionOnly },
  { operationId: "getApiToken", handler: (ctx) => json(200, serializeApiToken(ownUserToken(ctx), false)) },
  { operationId: "updateApiToken", handler: renameApiToken },
  {
    operationId: "deleteApiToken",
    handler: (ctx) => {
      ownUserToken(ctx).active = false;
      return noContent();
    },
  },
  { operationId: "listOrganizationAuthTokens", handler: listOrgTokens },
  { operationId: "createOrganizationAuthToken", handler: createOrgToken },
  { operationId: "getOrganizationAuthToken", handler: (ctx) => json(200, serializeOrgToken(orgToken(ctx), false)) },
  {
    operationId: "updateOrganizationAuthToken",
    handler: (ctx) => {
      const t = orgToken(ctx);
      t.name = validName(parseJsonBody(ctx.req));
      return noContent();
    },
  },
  { operationId: "deleteOrganizationAuthToken", handler: deleteOrgToken },
  { operationId: "getOrganizationAuthProvider", handler: authProvider },
];
