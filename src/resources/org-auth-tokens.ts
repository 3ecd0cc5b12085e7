/**
 * `sentry.org.authTokens`: organization auth tokens (`sntrys_`, always and only `org:ci`, so useful for CI uploads,
 * never for access administration). Listing and creating use Sentry's session-only authentication, so they raise
 * SessionRequiredError before sending; reading, renaming and revoking one token work with a bearer token.
 */
import type { OrgAuthToken, OrgAuthTokenWithValue } from "../generated/models.js";
import type { Paginator } from "../http/pages/index.js";
import { typedApi } from "../http/send/index.js";
import { type ClientContext, orgPath } from "./context.js";
import { orgAuthTokensPage, sessionRequired } from "./session.js";
import { assertNumericId } from "./validate.js";
import { assertTokenName } from "./validate-scim.js";

export type { OrgAuthToken, OrgAuthTokenWithValue } from "../generated/models.js";

/** `org.authTokens.create` input (the scope is not settable: Sentry always grants `org:ci`). */
export interface OrgAuthTokenInput {
  name: string;
}

/** The `sentry.org.authTokens` namespace. */
export interface OrgAuthTokensResource {
  /**
   * Would list the organization's auth tokens; Sentry serves that list only to a browser session.
   * @example sentry.org.authTokens.list(); // throws SessionRequiredError naming Settings > Organization > Auth Tokens
   * @throws {SessionRequiredError} always, before any request.
   */
  list(): Paginator<OrgAuthToken>;
  /**
   * Would create an org auth token; Sentry lets only a browser session do that. The name is still checked first.
   * @example await sentry.org.authTokens.create({ name: "release-uploads" });
   * @throws {ValidationError} for a bad name; else {SessionRequiredError}, before any request.
   */
  create(input: OrgAuthTokenInput): Promise<OrgAuthTokenWithValue>;
  /**
   * One org auth token, without its value.
   * @example const token = await sentry.org.authTokens.get(88);
   * @throws {NotFoundError} when there is no such active token in the organization.
   */
  get(id: string | number): Promise<OrgAuthToken>;
  /**
   * Renames an org auth token (Sentry answers 204 with no body).
   * @example await sentry.org.authTokens.rename(88, "release-uploads (ci-2)");
   * @throws {NotFoundError} when there is no such active token.
   */
  rename(id: string | number, name: string): Promise<void>;
  /**
   * Revokes (deactivates) an org auth token; needs `org:write` or `org:admin`.
   * @example await sentry.org.authTokens.delete(88);
   * @throws {PermissionError} when the token lacks org:write; NotFoundError when there is no such active token.
   */
  delete(id: string | number): Promise<void>;
}

const TOKEN = "/api/0/organizations/{organization_id_or_slug}/org-auth-tokens/{token_id}/";

/**
 * Builds `sentry.org.authTokens` for a client context.
 * @example const tokens = createOrgAuthTokensResource(ctx); await tokens.delete(88);
 */
export function createOrgAuthTokensResource(ctx: ClientContext): OrgAuthTokensResource {
  const api = typedApi(ctx.transport);
  const tokenPath = (id: string | number) => ({ ...orgPath(ctx), token_id: assertNumericId("id", id) });

  return {
    list() {
      throw sessionRequired(ctx, "listOrganizationAuthTokens", orgAuthTokensPage(ctx.requireOrg()));
    },
    async create(input) {
      assertTokenName("name", input.name);
      throw sessionRequired(ctx, "createOrganizationAuthToken", orgAuthTokensPage(ctx.requireOrg()));
    },
    async get(id) {
      const { data } = await api.GET(TOKEN, { params: { path: tokenPath(id) } });
      return data as OrgAuthToken;
    },
    async rename(id, name) {
      const path = tokenPath(id);
      await api.PUT(TOKEN, { params: { path }, body: { name: assertTokenName("name", name) } });
    },
    async delete(id) {
      await api.DELETE(TOKEN, { params: { path: tokenPath(id) } });
    },
  };
}
