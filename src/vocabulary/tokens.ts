// Sentry's token formats, written once: what each prefix means, and how a token is found in text by its format.
// A prefixed token (sntryu_, sntrys_, sntrya_, sntryi_) is a token wherever it appears. The legacy user token is
// 64 lowercase hex characters with no prefix, which any SHA-256 digest also is (a plan's `sha256:<hex>`
// fingerprint, a file hash): it counts as a token only where the context says token — after an auth scheme
// (`Bearer …`), as the value of a token-named field (`token=…`, `"token": "…"`), or as a whole value given as one.

/** What a token is, read from its format. */
export type SentryTokenFormat = "user" | "org" | "user-app" | "integration" | "legacy";

/** Sentry's token prefixes and the kind each marks. */
export const SENTRY_TOKEN_PREFIXES: Readonly<Record<string, Exclude<SentryTokenFormat, "legacy">>> = Object.freeze({
  sntryu_: "user",
  sntrys_: "org",
  sntrya_: "user-app",
  sntryi_: "integration",
});

// Source of the prefixed form: a prefix, then the token's alphabet (at least 4 characters, so prose such as
// "sntrys_ tokens" stays readable).
const PREFIXED_SOURCE = String.raw`\bsntry[usai]_[A-Za-z0-9_+/=.-]{4,}`;
const PREFIXED = new RegExp(PREFIXED_SOURCE, "g");
const LEGACY_WHOLE = /^[a-f0-9]{64}$/;
// A legacy token where the context names it: a token-named key or header, then `=`, `:` or a quote (then maybe
// `Bearer`), or an auth scheme alone; then the hex.
const LEGACY_IN_CONTEXT =
  /(\b(?:token|auth[_-]?token|access[_-]?token|api[_-]?key|authorization|secret)\b["']?\s*[:=]\s*["']?(?:bearer\s+)?|\bbearer\s+)([a-f0-9]{64})\b/gi;

/**
 * The format of a whole value: a prefixed token's kind, `legacy` for 64 lowercase hex, undefined otherwise.
 * @example sentryTokenFormat("sntrys_eyJ…") // "org"; sentryTokenFormat("a".repeat(64)) // "legacy"
 */
export function sentryTokenFormat(value: string): SentryTokenFormat | undefined {
  const prefix = value.slice(0, 7);
  const kind = SENTRY_TOKEN_PREFIXES[prefix];
  if (kind !== undefined && value.length > 7) return kind;
  return LEGACY_WHOLE.test(value) ? "legacy" : undefined;
}

/**
 * True when a value given as a credential (an environment variable, a token field) is or holds a Sentry token.
 * @example looksLikeSentryToken(process.env.CI_TOKEN ?? "")
 */
export function looksLikeSentryToken(value: string): boolean {
  return new RegExp(PREFIXED_SOURCE).test(value) || LEGACY_WHOLE.test(value.trim());
}

/**
 * Replaces every Sentry token in free text by `replacement`: prefixed ones anywhere, legacy hex ones where the
 * context names a token (a `sha256:` digest and other hex stay readable).
 * @example maskSentryTokens(`token=${"ab12".repeat(16)} fingerprint sha256:${"0".repeat(64)}`, "[REDACTED]")
 *   // "token=[REDACTED] fingerprint sha256:000…"
 */
export function maskSentryTokens(text: string, replacement: string): string {
  return text.replace(PREFIXED, replacement).replace(LEGACY_IN_CONTEXT, (_match, context: string) => `${context}${replacement}`);
}
