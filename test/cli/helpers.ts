// A fake CliIo for in-process CLI tests: captured output, scripted prompts and files, and a manual shutdown.
import type { CliIo } from "../../src/cli/io.js";
import type { HookRunner } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";
import type { EmulatorOptions } from "../../src/testing/index.js";
import { cliEnv, demoEmulator } from "../support/emulator.js";

export interface FakeIoOptions {
  env?: Record<string, string | undefined>;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  stdinTTY?: boolean;
  /** Answers the prompt gets, in order. */
  answers?: string[];
  files?: Record<string, string>;
  stdin?: string;
  fetch?: typeof globalThis.fetch;
  runHook?: HookRunner;
  /** Working and home directory for .sentryclirc lookups (files come from `files`). */
  cwd?: string;
  homeDir?: string;
}

export interface FakeIo extends CliIo {
  stdoutText(): string;
  stderrText(): string;
  prompts: string[];
  /** Ends a command waiting in waitForShutdown. */
  shutdown(): void;
  /** Resolves once a command starts waiting for shutdown. */
  waiting: Promise<void>;
}

export function createFakeIo(options: FakeIoOptions = {}): FakeIo {
  let out = "";
  let err = "";
  const prompts: string[] = [];
  const answers = [...(options.answers ?? [])];
  let release: () => void = () => undefined;
  let markWaiting: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    release = resolve;
  });
  const waiting = new Promise<void>((resolve) => {
    markWaiting = resolve;
  });
  return {
    stdout: {
      write: (chunk) => {
        out += chunk;
      },
      isTTY: options.stdoutTTY ?? false,
      columns: 80,
    },
    stderr: {
      write: (chunk) => {
        err += chunk;
      },
      isTTY: options.stderrTTY ?? false,
      columns: 80,
    },
    stdin: {
      isTTY: options.stdinTTY ?? false,
      question: async (prompt) => {
        prompts.push(prompt);
        const answer = answers.shift();
        if (answer === undefined) throw new Error(`unexpected prompt: ${prompt}`);
        return answer;
      },
      readAll: async () => options.stdin ?? "",
    },
    env: options.env ?? {},
    readFile: async (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return text;
    },
    readTextFileSync: (path) => options.files?.[path],
    cwd: options.cwd,
    homeDir: options.homeDir,
    waitForShutdown: () => {
      markWaiting();
      return stopped;
    },
    fetch: options.fetch,
    runHook: options.runHook,
    stdoutText: () => out,
    stderrText: () => err,
    prompts,
    shutdown: () => release(),
    waiting,
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  io: FakeIo;
}

/** Runs the CLI in-process with a fresh fake io. */
export async function runWith(argv: string[], options: FakeIoOptions = {}): Promise<CliRun> {
  const io = createFakeIo(options);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText(), io };
}

/** A demo emulator reached in-process, the env the CLI reads to use it, and FakeIo options carrying both. */
export function demoCli(emulator: EmulatorOptions = {}) {
  const emu = demoEmulator(emulator);
  const env = cliEnv(emu);
  const options = (extra: Partial<FakeIoOptions> = {}): FakeIoOptions => ({ env, fetch: emu.fetch, ...extra });
  return { emu, env, options };
}
