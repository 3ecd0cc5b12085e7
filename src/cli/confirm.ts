/**
 * The safety catch of destructive commands: `--dry-run` shows the plan and changes nothing, `--yes` skips the
 * question, and without `--yes` a script (stdin not a terminal) is refused rather than left hanging on a prompt.
 */
import type { Command } from "commander";
import { secretsOf } from "./context.js";
import { CliError, printable, UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** The flags `addDestructiveOptions` adds. */
export interface DestructiveFlags {
  yes?: boolean | undefined;
  dryRun?: boolean | undefined;
}

/**
 * Adds `--dry-run` and `-y, --yes` to a command that changes state.
 * @example addDestructiveOptions(program.command("offboard")).action(...)
 */
export function addDestructiveOptions(command: Command): Command {
  return command
    .option("--dry-run", "show what would change, change nothing")
    .option("-y, --yes", "do not ask for confirmation (required when stdin is not a terminal)");
}

/**
 * Asks before a destructive change; resolves when it may go ahead.
 * A dry run never asks (it changes nothing).
 * @example await confirmDestructive(io, { message: "Remove 3 members from acme?", yes: flags.yes });
 * @throws UsageError (exit 2) when stdin is not a terminal and `--yes` was not given.
 * @throws CliError (exit 1) when the user declines.
 */
export async function confirmDestructive(io: CliIo, options: DestructiveFlags & { message: string }): Promise<void> {
  if (options.yes === true || options.dryRun === true) return;
  if (!io.stdin.isTTY) {
    throw new UsageError(
      `refusing to make destructive changes without confirmation: stdin is not a terminal (the question: ${options.message})`,
      "Pass --yes to confirm, or --dry-run to see the plan first.",
    );
  }
  const answer = (await io.stdin.question(`${printable(options.message, secretsOf(io.env, io))} [y/N] `)).trim().toLowerCase();
  if (answer !== "y" && answer !== "yes") {
    throw new CliError("aborted: nothing was changed", { exitCode: 1 });
  }
}
