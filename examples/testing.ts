/**
 * Testing with the emulator: msw handlers, the in-process fetch, a real server, issued tokens, state snapshots and
 * faults. The same calls work inside a vitest or node:test test.
 *   npx tsx examples/testing.ts
 */
import { setupServer } from "msw/node";
import { createSentryClient, isServerError } from "../src/index.js";
import { createEmulator, type Fixture } from "../src/testing/index.js";

const BASE_URL = "https://sentry.test";
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

// 1. msw: the emulator's handlers answer every /api/0/* request to BASE_URL made through globalThis.fetch.
const emu = createEmulator({ fixture: "demo", baseUrl: BASE_URL, rateLimit: false });
const server = setupServer(...emu.handlers);
server.listen({ onUnhandledRequest: "error" });
const sentry = createSentryClient({ token: emu.adminToken, org: emu.org, baseUrl: BASE_URL, retry: false });
try {
  await sentry.org.teams.create({ slug: "growth", name: "Growth" });
  // State is a frozen snapshot taken when read: assert on it instead of on the SDK's own answers.
  check(
    emu.state.teams.some((t) => t.slug === "growth"),
    "team created",
  );
  check(emu.state.auditLog.at(-1)?.event === "team.create", "audit entry written");
  const last = emu.state.requests.at(-1);
  console.log(`msw: ${last?.method} ${last?.path} -> ${last?.status} (${last?.operationId})`);

  // Tokens of each kind; the value is only visible here, snapshots show tokenLastCharacters.
  const orgToken = emu.issueToken({ kind: "org", scopes: ["org:ci"], name: "ci" });
  check(orgToken.startsWith("sntrys_"), "org token prefix");
  const reader = emu.issueToken({ scopes: ["org:read"], userEmail: "ada.smith@acme.test" });
  const asReader = createSentryClient({ token: reader, org: emu.org, baseUrl: BASE_URL, retry: false });
  const teams = await asReader.org.teams.list().toArray();
  await asReader.close();
  console.log(`reader sees ${teams.length} teams; tokens in state: ${emu.state.tokens.length}`);

  // reset() rebuilds the fixture; issued tokens stop working, the admin token keeps working.
  emu.reset();
  check(!emu.state.teams.some((t) => t.slug === "growth"), "reset dropped the team");
} finally {
  server.close();
  await sentry.close();
}

// 2. In-process fetch with a custom fixture and scripted faults: no msw, no socket.
const fixture: Fixture = {
  org: { slug: "tiny" },
  teams: [{ slug: "core" }],
  members: [{ email: "owner@tiny.test", orgRole: "owner", teams: [{ team: "core" }] }],
};
const faulty = createEmulator({
  fixture,
  baseUrl: BASE_URL,
  faults: { script: [{ operation: "createOrganizationTeam", nth: 1, fault: 503, after: "commit" }] },
});
const client = createSentryClient({ token: faulty.adminToken, org: "tiny", baseUrl: BASE_URL, fetch: faulty.fetch });
try {
  await client.org.teams.create({ slug: "edge" });
  throw new Error("expected the scripted 503");
} catch (error) {
  if (!isServerError(error)) throw error;
  // after: "commit": the write happened before the failure, as a proxy timeout after Sentry answered would do.
  check(
    faulty.state.teams.some((t) => t.slug === "edge"),
    "committed before the fault",
  );
  console.log(`scripted fault: ${error.status}, team committed anyway`);
} finally {
  await client.close();
}

// 3. Random faults (seeded, so a run is reproducible) against a real HTTP server on loopback.
const flaky = createEmulator({
  fixture: "demo",
  seed: 42,
  faults: { rules: [{ method: "GET", probability: 0.3, fault: 502 }] },
});
const running = await flaky.listen();
const overHttp = createSentryClient({ token: flaky.adminToken, org: "acme", baseUrl: running.url, retry: { minDelayMs: 10, retries: 6 } });
try {
  const members = await overHttp.org.members.list({ perPage: 10 }).toArray();
  const failed = flaky.state.requests.filter((r) => r.fault !== null).length;
  console.log(`over ${running.url.replace(/:\d+$/, ":<port>")}: ${members.length} members despite ${failed} injected 502s`);
  check(members.length === 41, "every member despite faults");
} finally {
  await overHttp.close();
  await running.close();
}
