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
 * A POSIX shell line exporting `name`: the value in single quotes (a quote inside written `'\''`), so `eval` and
 * copy-paste set exactly the value, whatever it holds.
 * @example shellExport("SENTRY_ORG", "acme") // "export SENTRY_ORG='acme'"
 */
export function shellExport(name: string, value: string): string {
  return `export ${name}='${value.replace(/'/g, "'\\''")}'`;
}

/**
 * Starts the emulator and prints its URL, org and an all-scopes owner token for local use, as `export` lines a
 * shell can `eval`.
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
  // Every line can be eval'ed: the banner is a shell comment, the variables are exports.
  write(`# Sentry emulator listening on ${running.url} (fixture: ${options.fixture ?? "demo"}, org: ${emu.org})`);
  write(shellExport("SENTRY_URL", running.url));
  write(shellExport("SENTRY_ORG", emu.org));
  write(shellExport("SENTRY_AUTH_TOKEN", emu.adminToken));
  if (emu.scimToken) write(shellExport("SENTRY_SCIM_TOKEN", emu.scimToken));
  return running;
}
