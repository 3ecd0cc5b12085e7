import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { resolveConfig, type SentryClientOptions } from "../src/config.js";
import { isSentryConfigError, SentryConfigError } from "../src/http/errors/errors.js";

const TOKEN = "sntryu_aaaabbbbccccddddeeeeffff00001111222233334444555566667777888899";
const env = { SENTRY_AUTH_TOKEN: TOKEN, SENTRY_ORG: "acme" };

function configError(options: SentryClientOptions, environment: NodeJS.ProcessEnv = env): SentryConfigError {
  try {
    resolveConfig(options, environment);
  } catch (error) {
    if (isSentryConfigError(error)) return error;
    throw error;
  }
  throw new Error("expected a SentryConfigError");
}

describe("resolveConfig defaults", () => {
  it("reads SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_URL and SENTRY_SCIM_TOKEN", async () => {
    const config = resolveConfig({}, { ...env, SENTRY_URL: "https://sentry.example.com/", SENTRY_SCIM_TOKEN: "scim-token-1234567890" });
    expect(config).toMatchObject({ org: "acme", baseUrl: "https://sentry.example.com", origin: "https://sentry.example.com", hasScimToken: true });
    expect(await config.readToken("api")).toBe(TOKEN);
    expect(await config.readToken("scim")).toBe("scim-token-1234567890");
  });

  it("defaults to https://sentry.io, 30 s timeouts, 100 per page, limiter and retry on", () => {
    const config = resolveConfig({}, env);
    expect(config.baseUrl).toBe("https://sentry.io");
    expect(config).toMatchObject({
      timeoutMs: 30_000,
      perPage: 100,
      rateLimit: { requestsPerSecond: 10, burst: 10, maxConcurrent: 10 },
      retry: { retries: 4 },
    });
  });

  it("maps region to the regional host and keeps self-hosted path prefixes (dropping a pasted /api/0)", () => {
    expect(resolveConfig({ region: "de" }, env).baseUrl).toBe("https://de.sentry.io");
    expect(resolveConfig({ region: "us" }, env).baseUrl).toBe("https://us.sentry.io");
    expect(resolveConfig({ baseUrl: "https://ops.example.com/sentry/api/0/" }, env).baseUrl).toBe("https://ops.example.com/sentry");
  });

  it("allows http:// for loopback hosts only", () => {
    for (const url of ["http://localhost:9000", "http://127.0.0.1:8080", "http://127.5.6.7", "http://[::1]:9000"]) {
      expect(resolveConfig({ baseUrl: url }, env).baseUrl).toBe(url);
    }
    expect(configError({ baseUrl: "http://sentry.internal" })).toMatchObject({ option: "baseUrl", message: expect.stringContaining("loopback") });
    expect(configError({}, { ...env, SENTRY_URL: "http://10.0.0.5" }).option).toBe("SENTRY_URL (baseUrl)");
  });

  it("freezes the config and turns rateLimit/retry off when false", () => {
    const config = resolveConfig({ rateLimit: false, retry: false }, env);
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.rateLimit).toBe(false);
    expect(config.retry).toBe(false);
  });
});

describe("validation messages name the option", () => {
  it.each<[SentryClientOptions, NodeJS.ProcessEnv, string, RegExp]>([
    [{}, {}, "SENTRY_AUTH_TOKEN (token)", /no Sentry auth token/],
    [{ token: "" }, {}, "token", /non-empty/],
    [{ token: `${TOKEN}\n` }, {}, "token", /whitespace/],
    [{ org: "Acme Inc" }, env, "org", /organization slug/],
    [{}, { ...env, SENTRY_ORG: "bad/slug" }, "SENTRY_ORG (org)", /organization slug/],
    [{ baseUrl: "sentry.io" }, env, "baseUrl", /absolute URL/],
    [{ baseUrl: "ftp://sentry.io" }, env, "baseUrl", /https/],
    [{ baseUrl: "https://user:pw@sentry.io" }, env, "baseUrl", /credentials/],
    [{ baseUrl: "https://sentry.io", region: "de" }, env, "region", /either/],
    [{ region: "eu" as "de" }, env, "region", /"us" or "de"/],
    [{ rateLimit: { requestsPerSecond: 0 } }, env, "rateLimit.requestsPerSecond", /> 0/],
    [{ rateLimit: { burst: -1 } }, env, "rateLimit.burst", /whole number/],
    [{ rateLimit: { maxConcurrent: 1.5 } }, env, "rateLimit.maxConcurrent", /whole number/],
    [{ rateLimit: { redis: { url: "http://redis" } } }, env, "rateLimit.redis.url", /redis:\/\//],
    [{ retry: { retries: -1 } }, env, "retry.retries", />= 0/],
    [{ retry: { minDelayMs: 500, maxDelayMs: 100 } }, env, "retry.maxDelayMs", /minDelayMs/],
    [{ timeoutMs: 0 }, env, "timeoutMs", /> 0/],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, env, "timeoutMs", /number/],
    [{ perPage: 101 }, env, "perPage", /at most 100/],
    [{ fetch: "fetch" as never }, env, "fetch", /function/],
    [{ userAgent: "a\nb" }, env, "userAgent", /single-line/],
    [{ hooks: { onRequest: 1 as never } }, env, "hooks.onRequest", /function/],
  ])("%j → %s", (options, environment, option, message) => {
    const error = configError(options, environment);
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`\`${option}\``);
  });
});

describe("the token stays secret", () => {
  it("is absent from inspect, JSON and every validation error", () => {
    const config = resolveConfig({ token: TOKEN, scimToken: "scim-token-abcdef123456" }, {});
    const dump = inspect(config, { showHidden: true, depth: 5 }) + JSON.stringify(config);
    expect(dump).not.toContain(TOKEN);
    expect(dump).not.toContain("scim-token-abcdef123456");
    for (const options of [{ token: `${TOKEN} ` }, { token: TOKEN, baseUrl: `https://x:${TOKEN}@sentry.io` }, { token: TOKEN, org: TOKEN }]) {
      const error = configError(options, {});
      expect(error.message + inspect(error) + JSON.stringify(error)).not.toContain(TOKEN.slice(7));
    }
  });

  it("rejects an empty value from a token provider at request time", async () => {
    const config = resolveConfig({ token: () => "" }, {});
    await expect(config.readToken("api")).rejects.toMatchObject({ option: "token" });
  });
});
