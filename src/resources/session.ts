/**
 * Operations Sentry serves only to a browser session (its `SessionNoAuthTokenAuthentication` treats any request with an
 * `Authorization` header as anonymous, so a bearer token would get a 401 that says nothing useful). Resources call
 * {@link sessionRequired} instead of sending them; the generated operation table marks them `sessionOnly`.
 */
import { operationTable, type OperationId } from "../generated/operations.js";
import { SessionRequiredError } from "../http/errors/index.js";
import type { ClientContext } from "./context.js";

/** A page of Sentry's UI: its menu path, and its address relative to the Sentry base URL. */
export interface UiPage {
  page: string;
  /** Path under the base URL, e.g. `/settings/account/api/auth-tokens/`. */
  path: string;
}

/** Settings > Account > Personal Tokens: where a person creates and lists personal (user) tokens. */
export const PERSONAL_TOKENS_PAGE: UiPage = Object.freeze({
  page: "Settings > Account > Personal Tokens",
  path: "/settings/account/api/auth-tokens/",
});

/** Settings > Organization > Auth Tokens: where a person creates and lists org auth tokens. */
export function orgAuthTokensPage(org: string): UiPage {
  return Object.freeze({ page: "Settings > Organization > Auth Tokens", path: `/settings/${encodeURIComponent(org)}/auth-tokens/` });
}

/**
 * The error to throw instead of sending a session-only operation with the client's bearer token.
 * @example throw sessionRequired(ctx, "createApiToken", PERSONAL_TOKENS_PAGE);
 */
export function sessionRequired(ctx: ClientContext, operationId: OperationId, ui: UiPage): SessionRequiredError {
  const op = operationTable[operationId];
  return new SessionRequiredError({
    operationId,
    method: op.method,
    path: op.path,
    uiPage: ui.page,
    uiUrl: `${ctx.transport.config.baseUrl}${ui.path}`,
  });
}
