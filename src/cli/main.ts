#!/usr/bin/env node
// Entry point of the `sentry-rbac` binary: the real process io, and the exit code runCli returns.
import { createProcessIo } from "./io.js";
import { runCli } from "./program.js";

// `sentry-rbac teams --csv | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

// No top-level await: the same entry is also built as CommonJS.
void runCli(process.argv.slice(2), createProcessIo()).then((code) => {
  process.exitCode = code;
});
