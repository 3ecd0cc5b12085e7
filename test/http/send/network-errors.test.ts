import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { createSentryClient } from "../../../src/client.js";
import { describeNetworkCode, isSentryNetworkError, SentryNetworkError } from "../../../src/http/errors/errors.js";

function failingFetch(code: string, calls: { n: number }): typeof globalThis.fetch {
  return async () => {
    calls.n += 1;
    throw new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
  };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("connection failures name the cause and the URL", () => {
  it("words for refused, DNS, TLS and timeouts; DNS and TLS are not retryable", () => {
    expect(describeNetworkCode("ECONNREFUSED")).toEqual({ reason: "connection refused", retryable: true });
    expect(describeNetworkCode("ENOTFOUND")).toEqual({ reason: "DNS lookup failed: host not found", retryable: false });
    expect(describeNetworkCode("CERT_HAS_EXPIRED").retryable).toBe(false);
    expect(describeNetworkCode("ERR_TLS_CERT_ALTNAME_INVALID").reason).toMatch(/^TLS error/);
    expect(describeNetworkCode("UND_ERR_CONNECT_TIMEOUT").reason).toBe("connection timed out");
    const error = new SentryNetworkError({
      method: "GET",
      url: "https://sentry.example.com/api/0/organizations/acme/teams/",
      code: "ENOTFOUND",
      requestSent: false,
    });
    expect(error.message).toBe("GET https://sentry.example.com/api/0/organizations/acme/teams/ failed: DNS lookup failed: host not found (ENOTFOUND)");
    expect(error.hint).toContain("https://sentry.example.com");
  });

  it("an unknown host and a bad certificate fail at once, without retries", async () => {
    for (const code of ["ENOTFOUND", "DEPTH_ZERO_SELF_SIGNED_CERT"]) {
      const calls = { n: 0 };
      const sentry = createSentryClient({
        token: "t".repeat(20),
        org: "acme",
        baseUrl: "https://sentry.example.com",
        fetch: failingFetch(code, calls),
        retry: { retries: 3, minDelayMs: 1, maxDelayMs: 1 },
      });
      const error = await caught(sentry.org.teams.list().toArray());
      expect(isSentryNetworkError(error) && error.code).toBe(code);
      expect(calls.n).toBe(1);
      await sentry.close();
    }
  });

  it.each(["fetch", "undici"] as const)("a refused connection on a real closed port is retried, then named with its URL (%s sender)", async (sender) => {
    // A port that was free a moment ago: bind, read the number, close.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const sentry = createSentryClient({
      token: "t".repeat(20),
      org: "acme",
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
      sender,
    });
    const error = await caught(sentry.org.teams.list().toArray());
    expect(isSentryNetworkError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `GET http://127.0.0.1:${port}/api/0/organizations/acme/teams/?per_page=100 failed: connection refused (ECONNREFUSED)`,
    );
    await sentry.close();
  });

  it("an unresolvable host fails the same way through either sender, without retries", async () => {
    const failures: unknown[] = [];
    for (const sender of ["fetch", "undici"] as const) {
      // `.invalid` never resolves (RFC 6761).
      const sentry = createSentryClient({
        token: "t".repeat(20),
        org: "acme",
        baseUrl: "https://sentry.invalid",
        retry: { retries: 3, minDelayMs: 1, maxDelayMs: 1 },
        sender,
      });
      failures.push(await caught(sentry.org.teams.list().toArray()));
      await sentry.close();
    }
    const [viaFetch, viaUndici] = failures as SentryNetworkError[];
    expect(isSentryNetworkError(viaFetch) && isSentryNetworkError(viaUndici)).toBe(true);
    expect(viaUndici!.message).toBe(viaFetch!.message);
    expect([viaUndici!.code, viaUndici!.requestSent, viaUndici!.retryable]).toEqual([viaFetch!.code, viaFetch!.requestSent, viaFetch!.retryable]);
    expect(viaFetch!.message).toMatch(/^GET https:\/\/sentry\.invalid\/api\/0\/organizations\/acme\/teams\/\?per_page=100 failed: DNS lookup failed/);
  });
});
