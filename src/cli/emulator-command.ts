/**
 * `sentry-rbac emulator`: starts the emulator on a real port and prints how to talk to it.
 */
import { createEmulator } from "../testing/index.js";
import type { FixtureName, RunningEmulator } from "../testing/index.js";

export interface EmulatorCommandOptions {
  port?: number;
  host?: string;
  fixture?: FixtureName;
  /** Where the banner goes (default: stdout). */
  write?: (line: string) => void;
}

/**
 * Starts the emulator and prints its URL, org and an all-scopes owner token for local use.
 * The token is fake and only valid against this process, which is why printing it is acceptable.
 *
 * @example
 * const running = await runEmulatorCommand({ port: 8090, fixture: "demo" });
 * // later: await running.close();
 * @throws {Error} when the port cannot be bound.
 */
export async function runEmulatorCommand(options: EmulatorCommandOptions = {}): Promise<RunningEmulator> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emu = createEmulator({ fixture: options.fixture ?? "demo" });
  const running = await emu.listen({ port: options.port ?? 8090, host: options.host ?? "127.0.0.1" });
  write(`Sentry emulator listening on ${running.url} (fixture: ${options.fixture ?? "demo"}, org: ${emu.org})`);
  write(`SENTRY_URL=${running.url}`);
  write(`SENTRY_ORG=${emu.org}`);
  write(`SENTRY_AUTH_TOKEN=${emu.adminToken}`);
  if (emu.scimToken) write(`SENTRY_SCIM_TOKEN=${emu.scimToken}`);
  return running;
}
