import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { CliError, PartialFailureError, UsageError } from "../../src/cli/errors.js";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";
import { createApiError } from "../../src/http/errors/api-error.js";
import { SentryConfigError, SentryError, SentryNetworkError, ValidationError } from "../../src/http/errors/errors.js";

const TEAMS_URL = "https://sentry.io/api/0/organizations/acme/teams/";

function apiError(status: number) {
  return createApiError({ status, method: "POST", url: TEAMS_URL, body: { detail: "nope" } });
}

describe("exitCodeFor", () => {
  it("maps 401 and 403 to 3, 404 to 4", () => {
    expect(exitCodeFor(apiError(401))).toBe(ExitCode.auth);
    expect(exitCodeFor(apiError(403))).toBe(ExitCode.auth);
    expect(exitCodeFor(apiError(404))).toBe(ExitCode.notFound);
  });

  it("maps an operation that needs a browser session to 3", () => {
    expect(exitCodeFor(new SentryError("session-required", "POST /api-tokens/ needs a session"))).toBe(3);
  });

  it("maps invalid input (Sentry's 400 or a pre-request check) to 2", () => {
    expect(exitCodeFor(apiError(400))).toBe(ExitCode.usage);
    expect(exitCodeFor(ValidationError.forInput("slug", "must be lowercase"))).toBe(ExitCode.usage);
  });

  it("maps conflicts, rate limits, server and network failures to 1", () => {
    expect(exitCodeFor(apiError(409))).toBe(1);
    expect(exitCodeFor(apiError(429))).toBe(1);
    expect(exitCodeFor(apiError(503))).toBe(1);
    expect(exitCodeFor(new SentryNetworkError({ method: "GET", url: TEAMS_URL, requestSent: false }))).toBe(1);
    expect(exitCodeFor(new Error("bug"))).toBe(1);
  });

  it("maps a missing or bad token option to 3 and other bad options to 2", () => {
    expect(exitCodeFor(new SentryConfigError("SENTRY_AUTH_TOKEN (token)", "is required"))).toBe(3);
    expect(exitCodeFor(new SentryConfigError("scimToken", "is empty"))).toBe(3);
    expect(exitCodeFor(new SentryConfigError("baseUrl", "must use https"))).toBe(2);
  });

  it("uses a CliError's own code", () => {
    expect(exitCodeFor(new UsageError("bad"))).toBe(2);
    expect(exitCodeFor(new PartialFailureError("2 of 3 failed"))).toBe(1);
    expect(exitCodeFor(new CliError("no token", { exitCode: 3 }))).toBe(3);
  });

  it("treats commander's help and version as success and its parse errors as usage errors", () => {
    expect(exitCodeFor(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"))).toBe(0);
    expect(exitCodeFor(new CommanderError(0, "commander.version", "0.1.0"))).toBe(0);
    expect(exitCodeFor(new CommanderError(1, "commander.unknownOption", "unknown option"))).toBe(2);
    expect(exitCodeFor(new CommanderError(1, "commander.help", "(outputHelp)"))).toBe(2);
  });
});
