// The whole demo: an in-memory Sentry organization (the emulator's `demo` fixture, served in-process), the seed's
// three examples against it, then a token lint, an access review and access as code (dump, edit, plan, apply). No account, no env, no network, no token shown.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSentryClient } from "../../client.js";
import { createEmulator } from "../../testing/index.js";
import { demoAccessAsCode } from "./access-code.js";
import { demoAuditExport, demoContractors, demoIsolation } from "./examples.js";
import { createDemoPrinter } from "./printer.js";
import { demoAccessReview, demoTokenLint, tokenRecordsOf } from "./reviews.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  write: (chunk: string) => void;
  /** Directory for the audit export; default a fresh temporary one, removed afterwards. */
  outDir?: string;
  now?: Date;
}

/** What the demo did, for callers that want to check it. */
export interface DemoResult {
  /** Steps that failed across the examples (0 on a clean run). */
  failures: number;
  /** Requests the emulator answered. */
  requests: number;
}

/**
 * Runs the demo against a fresh in-process emulator and prints each section through `write`.
 * @example const { failures } = await runDemo({ write: (s) => process.stdout.write(s) });
 * @throws {Error} only for an unexpected failure (a bug); example steps that fail are counted in `failures`.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const now = options.now ?? new Date();
  const emu = createEmulator({ fixture: "demo", rateLimit: false, baseUrl: "https://sentry.test" });
  const secrets = [emu.adminToken, ...(emu.scimToken ? [emu.scimToken] : [])];
  const out = createDemoPrinter(options.write, secrets);
  // In-process transport: emu.fetch answers like a server, so nothing listens on a port.
  const sentry = createSentryClient({ token: emu.adminToken, org: emu.org, baseUrl: emu.baseUrl, fetch: emu.fetch });
  // The demo's own credential (the emulator names it "emulator admin") is not one of the org's tokens under review.
  const adminTokenId = emu.state.tokens.find((t) => t.kind === "user" && t.name === "emulator admin")?.id;
  const dir = options.outDir ?? (await mkdtemp(join(tmpdir(), "sentry-rbac-demo-")));
  options.write(`sentry-rbac demo: organization "${emu.org}" in an in-memory Sentry emulator (no account, nothing leaves this process)\n`);
  try {
    let failures = 0;
    failures += await demoIsolation(sentry, out);
    failures += await demoContractors(sentry, out, now);
    failures += await demoAuditExport(sentry, out, dir, now);
    await demoTokenLint(sentry, out, tokenRecordsOf(emu.state, adminTokenId), now);
    await demoAccessReview(sentry, out, now);
    failures += await demoAccessAsCode(sentry, out, now);
    const requests = emu.state.requests.length;
    options.write(`\nDone: ${requests} API requests answered by the emulator, ${failures} failed step(s).\n`);
    options.write("Next: `sentry-rbac emulator` serves this organization over HTTP; point any command at it.\n");
    return { failures, requests };
  } finally {
    await sentry.close();
    if (options.outDir === undefined) await rm(dir, { recursive: true, force: true });
  }
}
