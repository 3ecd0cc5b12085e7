// Sentry's slug rule (`sentry.slug.patterns`): lowercase letters, digits, `-` and `_`, not all digits; at most 50.

/** The longest slug Sentry accepts. */
export const MAX_SLUG_LENGTH = 50;

/** The slug pattern, for messages and schemas. */
export const SLUG_PATTERN = /^(?![0-9]+$)[a-z0-9_-]+$/;

/**
 * True for a team, project or organization slug Sentry accepts. Callers that refuse input throw their own error.
 * @example isSlug("payments") // true; isSlug("Payments") // false; isSlug("123") // false
 */
export function isSlug(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value);
}
