/**
 * Redaction of secrets. Applied where errors, hook payloads and log lines are built, so no object we create
 * ever holds an Authorization value or a token, whatever later prints or serialises it.
 */
import { maskSentryTokens } from "../../vocabulary/tokens.js";

/** What a masked secret is replaced with. */
export const REDACTED = "[REDACTED]";

// Sentry's token formats are written once, in src/vocabulary/tokens.ts: prefixed tokens are masked anywhere, legacy
// 64-hex ones where the context names a token (a plan's sha256 fingerprint is no token).
// A credential after an auth scheme. As written in headers (`Bearer x`, `Basic x`) any value is masked; in lower
// case only a credential-looking one (a digit, or 16+ characters), so prose such as "bearer tokens" stays readable.
const BEARER = /\b(Bearer|Basic|bearer|basic|BEARER|BASIC)\s+([^\s"',;]+)/g;
const CREDENTIAL_LIKE = /\d|^[A-Za-z0-9._~+/=-]{16,}$/;
const SECRET_KEYS = new Set(["token", "refreshtoken", "authorization", "password", "secret", "clientsecret", "access_token", "refresh_token"]);
const SECRET_QUERY_KEYS = new Set(["token", "access_token", "auth", "authorization", "key", "api_key"]);

/**
 * Replaces token-looking substrings and the given known secrets in a string.
 * @example redactText(`Bearer ${token} failed`) // "Bearer [REDACTED] failed"
 */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings would mask innocent text; real tokens are long.
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  const schemes = out.replace(BEARER, (match, scheme: string, value: string) =>
    scheme === "bearer" || scheme === "basic" ? (CREDENTIAL_LIKE.test(value) ? `${scheme} ${REDACTED}` : match) : `${scheme} ${REDACTED}`,
  );
  return maskSentryTokens(schemes, REDACTED);
}

/**
 * Deep copy of a JSON-like value with secret-named fields masked and token-looking strings replaced.
 * @example redactValue({ name: "ci", token: "sntryu_abc…" }) // { name: "ci", token: "[REDACTED]" }
 */
export function redactValue<T>(value: T, secrets: Iterable<string> = []): T {
  const known = [...secrets];
  return walk(value, known, 0) as T;
}

function walk(value: unknown, secrets: string[], depth: number): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (value === null || typeof value !== "object") return value;
  // Pathological nesting is cut rather than risking a stack overflow while building an error.
  if (depth > 32) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) && item !== null && item !== undefined ? REDACTED : walk(item, secrets, depth + 1);
  }
  return out;
}

/**
 * A URL safe to show: credentials removed, secret-named query parameters masked, token-looking text replaced.
 * @example redactUrl("https://user:pw@sentry.io/api/0/?token=x") // "https://sentry.io/api/0/?token=%5BREDACTED%5D"
 */
export function redactUrl(url: string, secrets: Iterable<string> = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, secrets);
  }
  parsed.username = "";
  parsed.password = "";
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.has(key.toLowerCase())) parsed.searchParams.set(key, REDACTED);
  }
  return redactText(parsed.toString(), secrets);
}
