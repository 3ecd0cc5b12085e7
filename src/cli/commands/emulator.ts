// `sentry-rbac emulator`: a local, in-memory Sentry organization to point the CLI, scripts or tests at.
import { InvalidArgumentError, Option, type Command } from "commander";
import type { FixtureName } from "../../testing/index.js";
import { createCommandContext } from "../context.js";
import { runEmulatorCommand } from "../emulator-command.js";
import type { CliIo } from "../io.js";

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError("expected a port number 0-65535 (0 picks a free one)");
  return port;
}

interface EmulatorFlags {
  port: number;
  host: string;
  fixture: FixtureName;
}

/**
 * Registers `emulator` on the program; listed in COMMANDS.
 * @example registerEmulatorCommand(program, io); // adds `sentry-rbac emulator`
 */
export function registerEmulatorCommand(program: Command, io: CliIo): void {
  program
    .command("emulator")
    .description("serve an in-memory Sentry organization over HTTP until Ctrl+C (no Sentry account needed)")
    .option("--port <port>", "port to listen on (0 picks a free one)", parsePort, 8090)
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .addOption(new Option("--fixture <name>", "starting data").choices(["demo", "empty"]).default("demo"))
    .addHelpText("after", "\nExample:\n  $ sentry-rbac emulator --port 8090   # then export the printed SENTRY_* variables\n")
    .action(async (options: EmulatorFlags, command: Command) => {
      const ctx = createCommandContext(io, command);
      // Straight to stdout, unredacted: the banner's token is the emulator's own fake, and printing it is the point.
      const running = await runEmulatorCommand({
        port: options.port,
        host: options.host,
        fixture: options.fixture,
        write: (line) => io.stdout.write(`${line}\n`),
      });
      ctx.note("Press Ctrl+C to stop.");
      try {
        await io.waitForShutdown();
      } finally {
        await running.close();
      }
    });
}
