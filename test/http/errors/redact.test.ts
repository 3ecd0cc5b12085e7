import { describe, expect, it } from "vitest";
import { REDACTED, redactText, redactUrl, redactValue } from "../../../src/http/errors/redact.js";

describe("redaction", () => {
  it("masks every Sentry token prefix, legacy hex tokens and Authorization values", () => {
    for (const prefix of ["sntryu_", "sntrys_", "sntrya_", "sntryi_"]) {
      expect(redactText(`token ${prefix}abcDEF123_-xyz done`)).toBe(`token ${REDACTED} done`);
    }
    // A legacy (64-hex) token by its context: a token field, an auth header (issue 21: tokens by format, not look).
    expect(redactText(`old token=${"ab12".repeat(16)}`)).toBe(`old token=${REDACTED}`);
    expect(redactText(`{"token": "${"ab12".repeat(16)}"}`)).toBe(`{"token": "${REDACTED}"}`);
    expect(redactText(`Authorization: Bearer ${"ab12".repeat(16)}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText("Authorization: Bearer abc.def")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText("Basic dXNlcjpwYXNz")).toBe(`Basic ${REDACTED}`);
  });

  it("leaves a sha256 digest (a plan's fingerprint) readable: 64 hex is a token only where the context says so", () => {
    const fingerprint = `sha256:${"0f".repeat(32)}`;
    expect(redactText(`Fingerprint: ${fingerprint}`)).toBe(`Fingerprint: ${fingerprint}`);
    expect(redactValue({ fingerprint })).toEqual({ fingerprint });
  });

  it("leaves prose about bearer tokens readable but masks lower-case credentials", () => {
    expect(redactText("Sentry ignores bearer tokens there")).toBe("Sentry ignores bearer tokens there");
    expect(redactText("authorization: bearer abcdefghijklmnopqrstuvwxyz")).toBe(`authorization: bearer ${REDACTED}`);
    expect(redactText("authorization: bearer s3cret")).toBe(`authorization: bearer ${REDACTED}`);
  });

  it("masks known secrets anywhere, but not short strings that would mangle text", () => {
    expect(redactText("x=hunter2-long-secret;", ["hunter2-long-secret"])).toBe(`x=${REDACTED};`);
    expect(redactText("a short b", ["short"])).toBe("a short b");
  });

  it("masks token fields of bodies deeply without touching the input", () => {
    const input = {
      id: "1",
      token: "abc",
      items: [{ refreshToken: "r", name: "sntrys_secretvalue" }],
      nested: { Authorization: "x", tokenLastCharacters: "abcd" },
    };
    const out = redactValue(input);
    expect(out).toEqual({
      id: "1",
      token: REDACTED,
      items: [{ refreshToken: REDACTED, name: REDACTED }],
      nested: { Authorization: REDACTED, tokenLastCharacters: "abcd" },
    });
    expect(input.token).toBe("abc");
    expect(redactValue({ token: null })).toEqual({ token: null });
  });

  it("strips credentials and secret query parameters from URLs", () => {
    expect(redactUrl("https://u:p@sentry.io/api/0/?token=abc&cursor=0:100:0")).toBe("https://sentry.io/api/0/?token=%5BREDACTED%5D&cursor=0%3A100%3A0");
  });
});
