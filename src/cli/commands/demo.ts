// `sentry-rbac demo` (and `npm start`): the seed's examples against an in-memory organization, no account needed.
import type { Command } from "commander";
import { runDemo } from "../demo/run-demo.js";
import { createCommandContext } from "../context.js";
import { PartialFailureError } from "../errors.js";
import type { CliIo } from "../io.js";

/**
 * Registers `demo` on the program; listed in COMMANDS.
 * @example registerDemoCommand(program, io); // adds `sentry-rbac demo`
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command("demo")
    .description("run the seed's examples (team isolation, contractor access, audit export) plus a token lint and an access review against an in-memory Sentry")
    .option("--out-dir <dir>", "keep the audit export in this directory (default: a temporary one, removed afterwards)")
    .addHelpText("after", "\nExample:\n  $ sentry-rbac demo        # or: npm start\n")
    .action(async (flags: { outDir?: string }, command: Command) => {
      const ctx = createCommandContext(io, command);
      const result = await runDemo({ write: ctx.write, ...(flags.outDir === undefined ? {} : { outDir: flags.outDir }) });
      if (result.failures > 0) throw new PartialFailureError(`${result.failures} demo step(s) failed`);
    });
}
