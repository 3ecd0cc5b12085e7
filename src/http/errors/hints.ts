/**
 * Hints attached to API errors: what to do next, following the seed's error table (missing scope, SCIM token,
 * audit-log plan, rate limits, role changes).
 */

/** What a hint is chosen from. */
export interface HintInput {
  status: number;
  method: string;
  /** Path template when the operation is known, else the request pathname. */
  path: string;
  operationId?: string | undefined;
  requiredScopes?: readonly string[] | undefined;
  missingScopes?: readonly string[] | undefined;
  usedScimToken?: boolean | undefined;
  concurrent?: boolean | undefined;
  retryAfterMs?: number | undefined;
  detail?: string | undefined;
}

// Sentry's answer when `admin` is assigned on an organization with team roles (facts §4).
const RETIRED_ADMIN = /role 'admin' is deprecated/i;

// Sentry's 403 for a change to a SCIM-provisioned team or member, whatever the caller's role or scopes
// (team_details.py `can_modify_idp_team`, organization_member_team_details.py `team.idp_provisioned`,
// organization_member/details.py `idp:provisioned`).
const IDP_MANAGED = /managed through your organization's identity provider/i;

/**
 * True for Sentry's refusal to change a team or member that the identity provider (SCIM) manages: no token or
 * role can override it, so it is not a permission problem of the token.
 * @example isIdpManagedRefusal("This team is managed through your organization's identity provider.") // true
 */
export function isIdpManagedRefusal(status: number, detail: string | undefined): boolean {
  return status === 403 && IDP_MANAGED.test(detail ?? "");
}

const TOKEN_PAGE = "https://sentry.io/settings/account/api/auth-tokens/";

function isScim(path: string): boolean {
  return path.includes("/scim/v2/");
}

function isAuditLog(input: HintInput): boolean {
  return input.operationId === "listOrganizationAuditLogs" || input.path.includes("/audit-logs/");
}

function isMemberRoleChange(input: HintInput): boolean {
  return input.method === "PUT" && /\/organizations\/[^/]+\/members\/[^/]+\/$/.test(input.path);
}

/**
 * Picks a hint for an API error, or undefined when there is nothing useful to add.
 * @example hintFor({ status: 403, method: "POST", path: "/api/0/organizations/{organization_id_or_slug}/teams/", requiredScopes: ["team:write"] })
 */
export function hintFor(input: HintInput): string | undefined {
  const { status } = input;
  if (isAuditLog(input) && (status === 403 || status === 404)) {
    return "Audit logs need a Business or Enterprise plan and a token with the org:write scope (an Owner or Manager's token).";
  }
  if (status === 400 && RETIRED_ADMIN.test(input.detail ?? "")) {
    return "Organizations with team roles (Business and Enterprise plans) retired the `admin` org role: use `manager` (access to every team and project), or `member` plus the team-level `admin` role on the teams concerned.";
  }
  // A 403 whose token lacks an accepted scope is about the token's scopes, whatever the endpoint.
  const roleRefused = status === 400 || (status === 403 && !(input.missingScopes && input.missingScopes.length > 0));
  if (isMemberRoleChange(input) && roleRefused) {
    return "Changing a member's role needs a user auth token (not an org or integration token) with member:admin, whose own role is at least as high as both the old and the new role.";
  }
  if (status === 401 && isScim(input.path)) {
    return input.usedScimToken
      ? "The SCIM token was rejected: regenerate it in Organization Settings > Auth > SCIM and pass it as `scimToken` (or SENTRY_SCIM_TOKEN)."
      : "SCIM endpoints expect the SCIM bearer token from Organization Settings > Auth > SCIM: pass it as `scimToken` (or set SENTRY_SCIM_TOKEN).";
  }
  if (status === 403 && isScim(input.path) && !input.usedScimToken) {
    const scopes = input.requiredScopes?.length ? `a token with one of ${input.requiredScopes.join(", ")}, or ` : "";
    return `SCIM endpoints need ${scopes}the SCIM bearer token from Organization Settings > Auth > SCIM (an org auth token carries only org:ci): pass it as \`scimToken\` (or set SENTRY_SCIM_TOKEN).`;
  }
  if (isIdpManagedRefusal(status, input.detail)) {
    return "The identity provider (SCIM) manages this team or member: make the change there (e.g. Okta, Entra ID groups); no Sentry token or role can override it.";
  }
  if (status === 401) {
    return "The token is missing, invalid, expired or revoked: check `token` / SENTRY_AUTH_TOKEN.";
  }
  if (status === 403) {
    const scopes = input.missingScopes?.length ? input.missingScopes : input.requiredScopes;
    if (input.missingScopes && input.missingScopes.length === 0 && input.requiredScopes?.length) {
      return `The token has an accepted scope (${input.requiredScopes.join(", ")}), so the member's role behind it is too low for this action; use a token of a member with a higher role.`;
    }
    if (scopes?.length) {
      return `Grant the token one of these scopes: ${scopes.join(", ")}. Create a token with them at ${TOKEN_PAGE} (for team/member admin: team:admin, member:admin).`;
    }
    return `The token lacks a required scope or role. Create a token with the needed scopes at ${TOKEN_PAGE}.`;
  }
  if (status === 429) {
    const wait = input.retryAfterMs !== undefined ? ` The server asked to wait ${Math.ceil(input.retryAfterMs / 1000)} s.` : "";
    return input.concurrent
      ? `Too many requests in flight for this token: lower rateLimit.maxConcurrent.${wait}`
      : `This endpoint's rate-limit window is spent; the client backed off and retried within retry.budgetMs. Lower rateLimit.requestsPerSecond or batch work.${wait}`;
  }
  return undefined;
}
