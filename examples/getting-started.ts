/**
 * Getting started: create a client, check who the token is, converge a team, give it a project, list members.
 * Runs against the emulator on a loopback port, so it needs no Sentry account:
 *   npx tsx examples/getting-started.ts
 */
import { createSentryClient, isPermissionError } from "../src/index.js";
import { createEmulator } from "../src/testing/index.js";

const emu = createEmulator({ fixture: "demo" });
const server = await emu.listen(); // http://127.0.0.1:<random port>
const token = emu.issueToken({ scopes: ["org:read", "team:write", "project:write", "member:read"], name: "getting-started" });

// Against real Sentry: createSentryClient() alone, with SENTRY_AUTH_TOKEN and SENTRY_ORG set.
const sentry = createSentryClient({ token, org: "acme", baseUrl: server.url });
try {
  const { auth } = await sentry.whoami();
  console.log("token scopes:", auth?.scopes.join(" "));

  const { team, created } = await sentry.org.teams.ensure({ slug: "checkout", name: "Checkout" });
  console.log(created ? `created team ${team.slug}` : `team ${team.slug} already existed`);

  const project = await sentry.org.projects.addTeam("payment-api", "checkout");
  console.log("payment-api teams:", project.teams.map((t) => t.slug).join(", "));

  let owners = 0;
  for await (const member of sentry.org.members.list({ query: "role:owner" })) {
    console.log("owner:", member.email);
    owners += 1;
  }
  if (owners === 0) throw new Error("the demo org should have owners");

  try {
    await sentry.auditLogs.list().toArray({ limit: 1 });
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    console.log("audit log refused:", error.requiredScopes, "missing:", error.missingScopes);
    console.log("hint:", error.hint);
  }
} finally {
  await sentry.close();
  await server.close();
}
