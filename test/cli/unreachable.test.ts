// The CLI pointed at a Sentry URL where nothing listens: a quick failure naming the cause and the URL, not a
// "network error" after seconds of retries. Retrying a refused connection is opted into with --retries.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { runWith } from "./helpers.js";

const TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The platform fetch, counting the attempts the CLI makes. */
function countingFetch(): { fetch: typeof globalThis.fetch; attempts: () => number } {
  let attempts = 0;
  return { fetch: (input, init) => ((attempts += 1), globalThis.fetch(input, init)), attempts: () => attempts };
}

describe("sentry-rbac against a closed port", () => {
  it('fails after one attempt with "connection refused" and the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { fetch, attempts } = countingFetch();
    const run = await runWith(["teams", "list"], { env: { SENTRY_URL: url, SENTRY_AUTH_TOKEN: TOKEN, SENTRY_ORG: "acme" }, fetch });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("connection refused");
    expect(run.stderr).toContain(`${url}/api/0/organizations/acme/teams/`);
    expect(run.stderr).not.toContain(TOKEN);
    expect(attempts()).toBe(1);
  });

  it("retries a refused connection when asked to with --retries", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { fetch, attempts } = countingFetch();
    const run = await runWith(["teams", "list", "--retries", "2"], { env: { SENTRY_URL: url, SENTRY_AUTH_TOKEN: TOKEN, SENTRY_ORG: "acme" }, fetch });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("connection refused");
    expect(attempts()).toBe(3);
  }, 20_000);

  it("names a port fetch will not connect to (port 1), rather than a bare network error, without retrying", async () => {
    const { fetch, attempts } = countingFetch();
    const run = await runWith(["teams", "list"], { env: { SENTRY_URL: "http://127.0.0.1:1", SENTRY_AUTH_TOKEN: TOKEN, SENTRY_ORG: "acme" }, fetch });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("http://127.0.0.1:1/api/0/organizations/acme/teams/");
    expect(run.stderr).toMatch(/blocked port|bad port/);
    expect(run.stderr).not.toMatch(/failed: network error\s*$/m);
    expect(attempts()).toBe(1);
  });
});
