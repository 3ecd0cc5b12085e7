import { describe, expect, it } from "vitest";
import { looksLikeSentryToken, maskSentryTokens, sentryTokenFormat } from "../../src/vocabulary/tokens.js";

const HEX = "ab12".repeat(16);

describe("Sentry token formats", () => {
  it("reads a whole value's format from its prefix, or 64 hex as a legacy user token", () => {
    expect(sentryTokenFormat(`sntryu_${HEX}`)).toBe("user");
    expect(sentryTokenFormat("sntrys_eyJpYXQiOjE3")).toBe("org");
    expect(sentryTokenFormat("sntrya_abcd")).toBe("user-app");
    expect(sentryTokenFormat("sntryi_abcd")).toBe("integration");
    expect(sentryTokenFormat(HEX)).toBe("legacy");
    expect(sentryTokenFormat(`sha256:${HEX}`)).toBeUndefined();
    expect(sentryTokenFormat("sntryu_")).toBeUndefined();
  });

  it("masks prefixed tokens anywhere, legacy hex only where the context names a token", () => {
    expect(maskSentryTokens(`using sntrys_${HEX} now`, "[X]")).toBe("using [X] now");
    expect(maskSentryTokens(`token=${HEX}`, "[X]")).toBe("token=[X]");
    expect(maskSentryTokens(`{"auth_token": "${HEX}"}`, "[X]")).toBe('{"auth_token": "[X]"}');
    expect(maskSentryTokens(`Authorization: Bearer ${HEX}`, "[X]")).toBe("Authorization: Bearer [X]");
    // A digest is not a token: a plan's fingerprint and a file hash stay readable.
    expect(maskSentryTokens(`Fingerprint: sha256:${HEX}`, "[X]")).toBe(`Fingerprint: sha256:${HEX}`);
    expect(maskSentryTokens(HEX, "[X]")).toBe(HEX);
    // Prose about formats is not a token either.
    expect(maskSentryTokens("org auth tokens (sntrys_) carry only org:ci", "[X]")).toBe("org auth tokens (sntrys_) carry only org:ci");
  });

  it("treats a credential value that is or holds a token as one", () => {
    expect(looksLikeSentryToken(`  ${HEX}\n`)).toBe(true);
    expect(looksLikeSentryToken(`prefix sntryu_${HEX}`)).toBe(true);
    expect(looksLikeSentryToken("https://vault.example")).toBe(false);
  });
});
