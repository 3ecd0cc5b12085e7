/**
 * Pagination: stream items, walk pages, stop early, resume from a cursor, bound a walk with maxPages.
 *   npx tsx examples/pagination.ts
 */
import { createSentryClient, isPaginationError, isValidationError } from "../src/index.js";
import { createEmulator } from "../src/testing/index.js";

const emu = createEmulator({ fixture: "demo", baseUrl: "https://sentry.test" });
// In-process: the emulator's fetch stands in for the network.
const sentry = createSentryClient({ token: emu.adminToken, org: "acme", baseUrl: "https://sentry.test", fetch: emu.fetch });

try {
  // 1. Stream every item; pages of 10 are fetched one ahead while the loop body runs.
  let count = 0;
  for await (const member of sentry.org.members.list({ perPage: 10 })) if (member.email) count += 1;
  console.log(`members: ${count}`);

  // 2. Walk pages, e.g. to save a checkpoint per page.
  const sizes: number[] = [];
  for await (const page of sentry.org.members.list({ perPage: 10 }).pages()) sizes.push(page.items.length);
  console.log(`page sizes: ${sizes.join(", ")}`);

  // 3. Stop early: toArray({ limit }) fetches no page beyond the items it needs.
  const before = emu.state.requests.length;
  const firstFive = await sentry.org.members
    .list({ perPage: 5 })
    .map((m) => m.email)
    .toArray({ limit: 5 });
  console.log(`first five: ${firstFive.join(", ")} (${emu.state.requests.length - before} request)`);

  // 4. Bound a walk, then resume it later from lastCursor.
  const firstRun = sentry.org.members.list({ perPage: 10, maxPages: 2 });
  const head = await firstRun.toArray();
  console.log(`first run: ${head.length} members, truncated=${firstRun.truncated}`);
  const resumeFrom = firstRun.lastCursor;
  if (resumeFrom === undefined) throw new Error("expected a cursor to resume from");
  const rest = await sentry.org.members.list({ perPage: 10, cursor: resumeFrom }).toArray();
  console.log(`resumed: ${rest.length} more, total ${head.length + rest.length}`);
  if (head.length + rest.length !== count) throw new Error("resume lost or repeated members");

  // 5. takeWhile: newest-first audit entries of the last 7 days, without fetching older pages.
  const weekAgo = Date.now() - 7 * 86_400_000;
  const recent = await sentry.auditLogs
    .list()
    .takeWhile((e) => Date.parse(e.dateCreated) >= weekAgo)
    .toArray();
  console.log(`audit entries in the last 7 days: ${recent.length}`);

  // 6. Cancel a walk with an AbortSignal.
  const controller = new AbortController();
  let seen = 0;
  try {
    for await (const entry of sentry.auditLogs.list({ perPage: 50, signal: controller.signal })) {
      if (entry.id && ++seen === 60) controller.abort(new Error("enough"));
    }
  } catch (error) {
    console.log(`aborted after ${seen} entries: ${(error as Error).message}`);
  }

  // 7. Bad paging options fail before any request.
  try {
    sentry.org.members.list({ perPage: 500 });
  } catch (error) {
    if (!isValidationError(error) && !isPaginationError(error)) throw error;
    console.log(`rejected: ${error.message}`);
  }
} finally {
  await sentry.close();
}
