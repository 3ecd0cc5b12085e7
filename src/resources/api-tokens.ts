/**
 * `sentry.apiTokens`: the caller's personal (user) API tokens. Sentry serves listing and creating only to a browser
 * session (`/api-tokens/` ignores bearer tokens), so those two raise SessionRequiredError before sending; reading,
 * renaming and revoking one token by id work with a bearer token (docs/spec-supplement.md).
 */
import type { ApiToken, ApiTokenWithValue } from "../generated/models.js";
import type { Paginator } from "../http/pages/index.js";
import { typedApi } from "../http/send/index.js";
import type { Scope } from "../vocabulary/roles.js";
import type { ClientContext } from "./context.js";
import { PERSONAL_TOKENS_PAGE, sessionRequired } from "./session.js";
import { assertNumericId, assertScopes, toIsoDate } from "./validate.js";
import { assertTokenName } from "./validate-scim.js";

export type { ApiToken, ApiTokenWithValue } from "../generated/models.js";

/** `apiTokens.create` input. */
export interface ApiTokenInput {
  name: string;
  scopes: readonly Scope[];
  /** Sentry's token endpoint sets no expiry today; kept for the UI's expiring tokens. */
  expiresAt?: Date | string;
}

/** The `sentry.apiTokens` namespace. */
export interface ApiTokensResource {
  /**
   * Would list the caller's personal tokens; Sentry serves that list only to a browser session.
   * @example sentry.apiTokens.list(); // throws SessionRequiredError naming Settings > Account > Personal Tokens
   * @throws {SessionRequiredError} always, before any request.
   */
  list(): Paginator<ApiToken>;
  /**
   * Would create a personal token; Sentry lets only a browser session do that. Input is still checked first.
   * @example await sentry.apiTokens.create({ name: "ci-deploy", scopes: ["project:releases"] });
   * @throws {ValidationError} for a bad name, scope or expiry; else {SessionRequiredError}, before any request.
   */
  create(input: ApiTokenInput): Promise<ApiTokenWithValue>;
  /**
   * One of the caller's own personal tokens, without its value.
   * @example const token = await sentry.apiTokens.get(1234);
   * @throws {NotFoundError} when the id is not one of the caller's tokens.
   */
  get(id: string | number): Promise<ApiToken>;
  /**
   * Renames one of the caller's personal tokens (the only field Sentry lets change).
   * @example await sentry.apiTokens.rename(1234, "ci-deploy (rotated 2026-03)");
   * @throws {NotFoundError} when the id is not one of the caller's tokens.
   */
  rename(id: string | number, name: string): Promise<ApiToken>;
  /**
   * Revokes one of the caller's personal tokens.
   * @example await sentry.apiTokens.delete(1234);
   * @throws {NotFoundError} when the id is not one of the caller's tokens (or is already revoked).
   */
  delete(id: string | number): Promise<void>;
}

const TOKEN = "/api/0/api-tokens/{token_id}/";

/**
 * Builds `sentry.apiTokens` for a client context.
 * @example const tokens = createApiTokensResource(ctx); await tokens.delete(1234);
 */
export function createApiTokensResource(ctx: ClientContext): ApiTokensResource {
  const api = typedApi(ctx.transport);
  const tokenPath = (id: string | number) => ({ token_id: assertNumericId("id", id) });

  return {
    list() {
      throw sessionRequired(ctx, "listApiTokens", PERSONAL_TOKENS_PAGE);
    },
    async create(input) {
      assertTokenName("name", input.name);
      assertScopes("scopes", input.scopes);
      if (input.expiresAt !== undefined) toIsoDate("expiresAt", input.expiresAt);
      throw sessionRequired(ctx, "createApiToken", PERSONAL_TOKENS_PAGE);
    },
    async get(id) {
      const { data } = await api.GET(TOKEN, { params: { path: tokenPath(id) } });
      return data as ApiToken;
    },
    async rename(id, name) {
      const path = tokenPath(id);
      const { data } = await api.PUT(TOKEN, { params: { path }, body: { name: assertTokenName("name", name) } });
      return data as ApiToken;
    },
    async delete(id) {
      await api.DELETE(TOKEN, { params: { path: tokenPath(id) } });
    },
  };
}
