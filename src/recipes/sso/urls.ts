// Sentry's SAML2 service-provider URLs, the values an IdP admin pastes into Okta, Entra ID or Google.
import { ValidationError } from "../../http/errors/index.js";

/** Sentry's slug rule: lowercase letters, digits, `_` and `-`, not all digits, at most 50 characters. */
const SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-";

/** The SAML2 SP endpoints of one organization. */
export interface SamlServiceProviderUrls {
  /** Assertion Consumer Service (HTTP-POST binding; IdP-initiated logins land here too). */
  acsUrl: string;
  /** SP metadata XML; Sentry uses this URL as its SP entity ID ("Audience URI"). */
  metadataUrl: string;
  /** Single Logout Service (HTTP-Redirect binding). */
  slsUrl: string;
  /** Same value as `metadataUrl`, named as IdP consoles name it. */
  entityId: string;
}

/** Options for `samlServiceProviderUrls`. */
export interface SamlServiceProviderUrlOptions {
  /** Self-hosted Sentry's `system.url-prefix`, path prefix allowed (`https://sentry.example.com/sentry`). */
  baseUrl?: string;
  /**
   * The org's data region on sentry.io. The SP URLs stay on `https://sentry.io` for every region: Sentry's
   * docs list only that host, and region hosts for SAML are unconfirmed. Pass `baseUrl` to override.
   */
  region?: "us" | "de";
}

/** The attributes Sentry maps from a SAML assertion; the IdP must send the required ones. */
export const SAML_ATTRIBUTES: readonly { key: string; label: string; required: boolean }[] = Object.freeze([
  { key: "identifier", label: "IdP User ID", required: true },
  { key: "user_email", label: "User Email", required: true },
  { key: "first_name", label: "First Name", required: false },
  { key: "last_name", label: "Last Name", required: false },
]);

const SENTRY_IO = "https://sentry.io";

function isSlug(value: string): boolean {
  if (value.length === 0 || value.length > 50) return false;
  let allDigits = true;
  for (const char of value) {
    if (!SLUG_CHARS.includes(char)) return false;
    if (char < "0" || char > "9") allDigits = false;
  }
  return !allDigits;
}

function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw ValidationError.forInput("baseUrl", `${JSON.stringify(baseUrl)} is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw ValidationError.forInput("baseUrl", `must use https (or http for a local instance), not ${url.protocol}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw ValidationError.forInput("baseUrl", "must not carry credentials, a query or a fragment");
  }
  // Sentry builds these with absolute_uri() from the URL prefix, so a path prefix is kept as is.
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * The ACS, metadata (SP entity ID) and SLS URLs Sentry serves for an organization's SAML2 setup.
 * Changing the org slug changes all three, so IdP settings must follow a rename.
 * @example
 * samlServiceProviderUrls("acme").acsUrl // "https://sentry.io/saml/acs/acme/"
 * samlServiceProviderUrls("acme", { baseUrl: "https://sentry.example.com/sentry" }).entityId
 * // "https://sentry.example.com/sentry/saml/metadata/acme/"
 * @throws ValidationError (`field` "org", "baseUrl" or "region") for bad input.
 */
export function samlServiceProviderUrls(org: string, options: SamlServiceProviderUrlOptions = {}): SamlServiceProviderUrls {
  if (typeof org !== "string" || !isSlug(org)) {
    throw ValidationError.forInput("org", `${JSON.stringify(org)} is not a Sentry organization slug (a-z, 0-9, _ and -; not all digits; ≤ 50)`);
  }
  if (options.region !== undefined && options.region !== "us" && options.region !== "de") {
    throw ValidationError.forInput("region", `must be "us" or "de", not ${JSON.stringify(options.region)}`);
  }
  const base = options.baseUrl === undefined ? SENTRY_IO : normaliseBaseUrl(options.baseUrl);
  const url = (endpoint: "acs" | "sls" | "metadata") => `${base}/saml/${endpoint}/${org}/`;
  const metadataUrl = url("metadata");
  return { acsUrl: url("acs"), metadataUrl, slsUrl: url("sls"), entityId: metadataUrl };
}
