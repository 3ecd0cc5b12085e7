/**
 * SCIM setup check: is SSO configured, is SCIM enabled, and does the SCIM token (what the identity provider sends)
 * reach SCIM Users and Groups? Each failed check explains the likely cause (the seed's error table) and the fix.
 * Reads only.
 */
import type { SentryClient } from "../../client.js";
import { isAuthenticationError, isPermissionError, isSentryError, SentryConfigError } from "../../http/errors/index.js";
import { typedApi } from "../../http/send/index.js";

/** One check of {@link checkScimSetup}. */
export interface ScimSetupCheck {
  name: "scim-token" | "sso-provider" | "scim-enabled" | "scim-users" | "scim-groups";
  ok: boolean;
  detail: string;
  fix?: string;
}

/** The outcome of {@link checkScimSetup}: `ok` when every check passed. */
export interface ScimSetupReport {
  ok: boolean;
  checks: ScimSetupCheck[];
  /** SCIM Users and Groups as the SCIM token sees them, when it could list them. */
  counts: { users: number | undefined; groups: number | undefined };
}

interface AuthProvider {
  provider_name?: string;
  scim_enabled?: boolean;
  require_link?: boolean;
}

const AUTH_PROVIDER = "/api/0/organizations/{organization_id_or_slug}/auth-provider/";
const USERS = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Users";
const GROUPS = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Groups";
const SCIM_SETTINGS = "Organization Settings > Auth";

function describe(error: unknown): string {
  return isSentryError(error) ? error.message : "unexpected failure";
}

async function probeProvider(sentry: SentryClient, org: string): Promise<{ provider: AuthProvider | undefined; check: ScimSetupCheck }> {
  try {
    const { data, response } = await typedApi(sentry.transport).GET(AUTH_PROVIDER, { params: { path: { organization_id_or_slug: org } } });
    if (response.status === 204 || data === undefined) {
      return {
        provider: undefined,
        check: {
          name: "sso-provider",
          ok: false,
          detail: "no SSO provider is configured",
          fix: `Configure SAML2 in ${SCIM_SETTINGS} first; SCIM needs an SSO provider (Business plan).`,
        },
      };
    }
    const provider = data as AuthProvider;
    return {
      provider,
      check: {
        name: "sso-provider",
        ok: true,
        detail: `SSO provider ${provider.provider_name ?? "(unnamed)"} configured${provider.require_link ? ", SSO required" : ""}`,
      },
    };
  } catch (error) {
    const fix = isPermissionError(error) ? "Use a token with org:read to read the SSO provider." : "Check the main token and the organization slug.";
    return { provider: undefined, check: { name: "sso-provider", ok: false, detail: `could not read the SSO provider: ${describe(error)}`, fix } };
  }
}

function scimFailure(name: "scim-users" | "scim-groups", error: unknown, scimEnabled: boolean | undefined, usingScimToken: boolean): ScimSetupCheck {
  const scope = name === "scim-users" ? "member:read" : "team:read";
  if (isAuthenticationError(error)) {
    return {
      name,
      ok: false,
      detail: "401: the SCIM endpoint did not accept the token",
      fix: `Use the SCIM bearer token shown in ${SCIM_SETTINGS} > SCIM when SCIM was enabled, not an org auth token (sntrys_) or a personal token${usingScimToken ? "" : "; pass it as scimToken or SENTRY_SCIM_TOKEN"}.`,
    };
  }
  if (isPermissionError(error)) {
    const fix =
      scimEnabled === false
        ? `SCIM is not enabled: enable it in ${SCIM_SETTINGS} (needs SAML2 and the Business plan).`
        : `The token lacks ${scope} (or SCIM is not enabled for the organization): use the SCIM token from ${SCIM_SETTINGS}, not an org auth token (sntrys_ tokens carry only org:ci).`;
    return { name, ok: false, detail: "403: SCIM refused the request", fix };
  }
  return {
    name,
    ok: false,
    detail: `could not list SCIM ${name === "scim-users" ? "Users" : "Groups"}: ${describe(error)}`,
    fix: "Retry later; check the base URL and network.",
  };
}

async function countScim(sentry: SentryClient, org: string, path: typeof USERS | typeof GROUPS): Promise<number> {
  const params = { params: { path: { organization_id_or_slug: org }, query: { startIndex: 1, count: 1 } } };
  const { data } = path === USERS ? await typedApi(sentry.transport).GET(USERS, params) : await typedApi(sentry.transport).GET(GROUPS, params);
  return (data as { totalResults?: number } | undefined)?.totalResults ?? 0;
}

/**
 * Checks an organization's SCIM setup: SSO provider present, SCIM enabled, SCIM Users and Groups reachable with the
 * client's `scimToken` (the identity provider's credential). Failed checks carry a fix; nothing is changed.
 * @example
 * const sentry = createSentryClient({ org: "acme", scimToken: process.env.SENTRY_SCIM_TOKEN });
 * const { ok, checks } = await checkScimSetup(sentry);
 * for (const c of checks) console.log(c.ok ? "ok  " : "FAIL", c.name, c.detail, c.fix ?? "");
 * @throws {SentryConfigError} when the client has no organization.
 */
export async function checkScimSetup(sentry: SentryClient): Promise<ScimSetupReport> {
  const slug = sentry.org.slug;
  if (slug === undefined) throw new SentryConfigError("org", "no organization: pass `org`, set SENTRY_ORG, or call withOrg(slug)");
  const usingScimToken = sentry.transport.config.hasScimToken;
  const checks: ScimSetupCheck[] = [
    usingScimToken
      ? { name: "scim-token", ok: true, detail: "a SCIM token is configured; SCIM probes use it" }
      : {
          name: "scim-token",
          ok: false,
          detail: "no SCIM token configured; SCIM probes use the main token, unlike the identity provider",
          fix: "Pass scimToken (or set SENTRY_SCIM_TOKEN) to the bearer token shown when SCIM was enabled.",
        },
  ];
  const { provider, check } = await probeProvider(sentry, slug);
  checks.push(check);
  const scimEnabled = provider?.scim_enabled;
  if (provider !== undefined) {
    checks.push(
      scimEnabled
        ? { name: "scim-enabled", ok: true, detail: "SCIM provisioning is enabled" }
        : {
            name: "scim-enabled",
            ok: false,
            detail: "SCIM provisioning is not enabled",
            fix: `Enable SCIM in ${SCIM_SETTINGS} and copy the token it shows into your identity provider.`,
          },
    );
  }
  const counts: ScimSetupReport["counts"] = { users: undefined, groups: undefined };
  try {
    counts.users = await countScim(sentry, slug, USERS);
    checks.push({ name: "scim-users", ok: true, detail: `SCIM Users reachable: ${counts.users} user(s)` });
  } catch (error) {
    checks.push(scimFailure("scim-users", error, scimEnabled, usingScimToken));
  }
  try {
    counts.groups = await countScim(sentry, slug, GROUPS);
    checks.push({ name: "scim-groups", ok: true, detail: `SCIM Groups reachable: ${counts.groups} group(s)` });
  } catch (error) {
    checks.push(scimFailure("scim-groups", error, scimEnabled, usingScimToken));
  }
  return { ok: checks.every((c) => c.ok), checks, counts };
}
