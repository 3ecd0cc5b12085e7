/**
 * The CLI's window on the process: output streams, stdin, environment, files and shutdown signals.
 * Commands never touch `process` directly, so tests run the whole program in-process with a fake.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { createInterface } from "node:readline/promises";

/** Somewhere text goes; `isTTY` decides tables vs. pipes, progress bars and prompts. */
export interface OutputStream {
  write(chunk: string): void;
  readonly isTTY: boolean;
  /** Terminal width when known. */
  readonly columns?: number | undefined;
}

/** What the CLI reads from its standard input. */
export interface InputStream {
  readonly isTTY: boolean;
  /** Asks one question on the terminal and resolves with the answer line. */
  question(prompt: string): Promise<string>;
  /** Reads stdin to its end (for `-` as a file argument). */
  readAll(): Promise<string>;
}

/** Everything a command may use from its environment. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a UTF-8 text file. */
  readFile(path: string): Promise<string>;
  /** Reads a small UTF-8 file (a .sentryclirc) at once, or undefined when it is missing; absent: no config files. */
  readonly readTextFileSync?: ((path: string) => string | undefined) | undefined;
  /** Working directory, where the search for a project `.sentryclirc` starts. */
  readonly cwd?: string | undefined;
  /** Home directory, for `~/.sentryclirc`. */
  readonly homeDir?: string | undefined;
  /** Resolves when a long-running command (the emulator) should stop: SIGINT or SIGTERM for a real process. */
  waitForShutdown(): Promise<void>;
  /** The fetch the SDK client uses; absent means `globalThis.fetch` at call time. Tests pass the emulator's. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Runs `tokens rotate`'s mint/publish hook commands; absent means the shell. Tests pass a fake. */
  readonly runHook?: HookRunner | undefined;
}

/** What a hook command printed and how it exited. */
export interface HookResult {
  exitCode: number;
  stdout: string;
}

/** Runs `command` through the shell with `input` on stdin; `secrets` are masked in the stderr it forwards. */
export type HookRunner = (command: string, input: string, options: HookRunOptions) => Promise<HookResult>;

/** Options of a {@link HookRunner} call. */
export interface HookRunOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Receives the child's stderr, already masked. */
  stderr: (text: string) => void;
  secrets: () => readonly string[];
}

function outputOf(stream: NodeJS.WriteStream): OutputStream {
  return {
    write: (chunk) => {
      stream.write(chunk);
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}

async function readStream(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The real process's io: stdout/stderr, stdin prompts (written to stderr so stdout stays clean for pipes), env, files.
 * @example process.exitCode = await runCli(process.argv.slice(2), createProcessIo());
 */
export function createProcessIo(): CliIo {
  return {
    stdout: outputOf(process.stdout),
    stderr: outputOf(process.stderr),
    stdin: {
      get isTTY() {
        return process.stdin.isTTY === true;
      },
      async question(prompt) {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return await rl.question(prompt);
        } finally {
          rl.close();
        }
      },
      readAll: () => readStream(process.stdin),
    },
    env: process.env,
    readFile: (path) => readFile(path, "utf8"),
    readTextFileSync: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        // Missing or unreadable: sentry-cli treats such a config file as absent too.
        return undefined;
      }
    },
    cwd: process.cwd(),
    homeDir: homedir(),
    waitForShutdown: () =>
      new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      }),
  };
}
