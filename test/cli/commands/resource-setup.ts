// Shared setup of the resource-command tests: the one demo emulator set-up (test/support/emulator.ts), reached
// in-process, and the env the CLI reads.
import type { Emulator } from "../../../src/testing/index.js";
import { cliEnv, demoEmulator } from "../../support/emulator.js";
import { runWith, type CliRun, type FakeIoOptions } from "../helpers.js";

export interface ResourceSetup {
  emu: Emulator;
  run(argv: string[], extra?: Partial<FakeIoOptions>): Promise<CliRun>;
  /** Teams, members, projects and tokens as JSON: what a dry run must leave untouched. */
  snapshot(): string;
  /** Every secret the run could leak. */
  secrets: string[];
}

export function setupEmulator(): ResourceSetup {
  const emu = demoEmulator();
  const env = cliEnv(emu, { scim: true });
  return {
    emu,
    run: (argv, extra = {}) => runWith(argv, { env, fetch: emu.fetch, ...extra }),
    snapshot: () => JSON.stringify([emu.state.teams, emu.state.members, emu.state.projects, emu.state.tokens.map((t) => [t.id, t.name, t.active])]),
    secrets: [emu.adminToken, emu.scimToken ?? ""].filter((s) => s !== ""),
  };
}

/** Asserts no secret appears in what the CLI printed. */
export function leaked(run: CliRun, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => run.stdout.includes(secret) || run.stderr.includes(secret));
}
