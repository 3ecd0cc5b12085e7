/**
 * Imported first by every child process a test spawns. The parent spawns children with stdin as a pipe and never
 * writes to it; when the parent goes away (a killed or timed-out vitest run) the pipe reaches end-of-file and the child
 * exits instead of running on as an orphan. The pipe is unreferenced, so it never keeps a finished child alive.
 */
import type { Socket } from "node:net";

const stdin = process.stdin as NodeJS.ReadStream & Partial<Pick<Socket, "unref">>;
if (!stdin.isTTY) {
  stdin.on("end", () => process.exit(70));
  stdin.resume();
  stdin.unref?.();
}
