/**
 * What a failed request becomes: the SentryError hierarchy (errors.ts), the error built for a non-2xx answer
 * (api-error.ts) from Sentry's error bodies (error-body.ts), the hint each error carries (hints.ts), 404s that
 * say which part of a path was missing (not-found.ts), and the redaction of tokens in anything shown (redact.ts).
 */
export * from "./errors.js";
export * from "./redact.js";
