import { describe, expect, it } from "vitest";
import { CliError, formatError, maskSecrets, printError } from "../../src/cli/errors.js";
import { createApiError } from "../../src/http/api-error.js";

const TOKEN = `sntryu_${"ab12".repeat(16)}`;
const PLAIN_SECRET = "s3cret-value-without-prefix";

describe("formatError", () => {
  it("prints a 403 with its hint and the scopes that would have worked", () => {
    const error = createApiError({
      status: 403, method: "POST", url: "https://sentry.io/api/0/organizations/acme/teams/",
      body: { detail: "You do not have permission to perform this action." },
    });
    const lines = formatError(error);
    expect(lines[0]).toBe("error: 403 POST /api/0/organizations/{organization_id_or_slug}/teams/: You do not have permission to perform this action.");
    expect(lines[1]).toMatch(/^hint: /);
    expect(lines).toContain("required scopes (any one): org:admin, org:write, team:write");
  });

  it("prints a CliError's hint on its own line", () => {
    expect(formatError(new CliError("no auth token configured", { exitCode: 3, hint: "Set SENTRY_AUTH_TOKEN." }))).toEqual([
      "error: no auth token configured",
      "hint: Set SENTRY_AUTH_TOKEN.",
    ]);
  });

  it("never prints a token, whether it looks like one or is only known as a secret", () => {
    const text = formatError(new Error(`failed with ${TOKEN} and ${PLAIN_SECRET}`), [PLAIN_SECRET]).join("\n");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PLAIN_SECRET);
    expect(text).toBe("error: failed with [REDACTED] and [REDACTED]");
  });

  it("prints non-Error values", () => {
    expect(formatError("boom")).toEqual(["error: boom"]);
  });
});

describe("maskSecrets", () => {
  it("keeps ordinary prose about tokens readable", () => {
    expect(maskSecrets("there is no --token flag; token scopes")).toBe("there is no --token flag; token scopes");
  });

  it("ignores very short secrets that would mask innocent text", () => {
    expect(maskSecrets("a team", ["a"])).toBe("a team");
  });
});

describe("printError", () => {
  it("writes all lines to the stream", () => {
    let text = "";
    printError({ write: (chunk) => { text += chunk; } }, new CliError("x", { exitCode: 1, hint: "y" }));
    expect(text).toBe("error: x\nhint: y\n");
  });
});
