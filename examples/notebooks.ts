/**
 * Notebook session, as a script: each block below is one notebook cell (top-level await works in Deno's Jupyter
 * kernel and in tslab). With a real org, set SENTRY_AUTH_TOKEN and SENTRY_ORG before starting the kernel; without
 * them this script starts the emulator so it runs anywhere:
 *   npx tsx examples/notebooks.ts
 */
import { accessReview, createSentryClient, type SentryClient } from "../src/index.js";
import { createEmulator, type RunningEmulator } from "../src/testing/index.js";

// Cell 1: a client. The token stays in the environment: never paste it into a cell (cells are saved with outputs).
let local: RunningEmulator | undefined;
let sentry: SentryClient;
if (process.env.SENTRY_AUTH_TOKEN) {
  sentry = createSentryClient();
} else {
  const emu = createEmulator({ fixture: "demo" });
  local = await emu.listen();
  sentry = createSentryClient({ token: emu.adminToken, org: emu.org, baseUrl: local.url });
}

try {
  // Cell 2: who am I?
  const me = await sentry.whoami();
  console.log(`signed in as ${me.user?.email ?? "?"}, ${me.auth?.scopes.length ?? 0} scopes`);

  // Cell 3: stream a long list and show progress without holding it all in memory.
  const byRole = new Map<string, number>();
  let n = 0;
  for await (const member of sentry.org.members.list()) {
    byRole.set(member.orgRole, (byRole.get(member.orgRole) ?? 0) + 1);
    if (++n % 20 === 0) console.log(`…${n} members`);
  }
  console.table(Object.fromEntries(byRole));

  // Cell 4: a quick look at the first rows only (no further pages are fetched).
  const latest = await sentry.auditLogs.list({ perPage: 10 }).toArray({ limit: 5 });
  console.table(latest.map((e) => ({ when: e.dateCreated, event: e.event, actor: e.actor?.name ?? "" })));

  // Cell 5: the recipes are plain functions over the client.
  const review = await accessReview(sentry);
  console.table(review.findings.slice(0, 5).map((f) => ({ kind: f.kind, subject: f.subject })));
} finally {
  // Last cell: release the client's timers (and the local emulator) before restarting the kernel.
  await sentry.close();
  await local?.close();
}
