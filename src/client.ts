/**
 * `createSentryClient`: validated config, one transport (limiter, retry, auth), the typed `raw` client, and the
 * resource namespaces. `withOrg(slug)` returns a client for another organization sharing the same transport,
 * limiter and caches.
 */
import { assertOrgSlug, resolveConfig, type SentryClientOptions } from "./config.js";
import { SentryConfigError } from "./http/errors/errors.js";
import type { RawClient } from "./http/send/raw-client.js";
import { createTransport, type Transport } from "./http/send/transport.js";
import type { ClientContext } from "./resources/context.js";
import { createResources, type ResourceNamespaces } from "./resources/index.js";

export type { ClientContext } from "./resources/context.js";

/**
 * The resource namespaces (`org.teams`, `scim.users`, `apiTokens`, `auditLogs`...), built per client by `createResources`.
 * `org` is the `sentry.org` namespace of the public API; the slug itself is `sentry.org.slug`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the namespaces are declared in resources/index.ts
export interface SentryResources extends ResourceNamespaces {}

/** A Sentry API client bound to one organization (or none). */
export interface SentryClient extends SentryResources {
  /**
   * openapi-fetch client over every path of the API, through the same limiter and retries. Typed per path (params,
   * bodies, responses) once the project imports `sentry-rbac/raw`; without it, any path with `unknown` bodies.
   * @example
   * import type {} from "sentry-rbac/raw";
   * const { data } = await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
   *   params: { path: { organization_id_or_slug: "acme" } },
   * });
   */
  readonly raw: RawClient;
  readonly transport: Transport;
  /** The same client for another organization; shares transport, limiter and caches. */
  withOrg(slug: string): SentryClient;
  /** Releases the limiter's timers and connections (of this client and all its `withOrg` siblings). */
  close(): Promise<void>;
}

/** Builds the resource namespaces for a context. */
function attachResources(context: ClientContext): SentryResources {
  return createResources(context);
}

function buildClient(transport: Transport, org: string | undefined): SentryClient {
  const context: ClientContext = {
    transport,
    org,
    requireOrg: () => {
      if (org === undefined) throw new SentryConfigError("org", "no organization: pass `org`, set SENTRY_ORG, or call withOrg(slug)");
      return org;
    },
  };
  return Object.freeze({
    ...attachResources(context),
    raw: transport.raw,
    transport,
    withOrg: (slug: string) => {
      assertOrgSlug("withOrg(slug)", slug);
      return buildClient(transport, slug);
    },
    close: () => transport.close(),
  });
}

/**
 * Creates a client. Options fall back to SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_URL and SENTRY_SCIM_TOKEN.
 * @example
 * const sentry = createSentryClient({ org: "acme", region: "us" });
 * const { data } = await sentry.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
 *   params: { path: { organization_id_or_slug: "acme" } },
 * });
 * @throws {SentryConfigError} naming the option when an option (or env value) is invalid or the token is missing.
 */
export function createSentryClient(options: SentryClientOptions = {}): SentryClient {
  const config = resolveConfig(options);
  return buildClient(createTransport(config), config.org);
}
