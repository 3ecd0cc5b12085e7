/**
 * Child process of audit-tail-standby.test.ts: the real `sentry-rbac` CLI (process io: environment, stdout, SIGTERM),
 * with the lifeline that ends it when the parent test goes away.
 */
import "../../child-lifeline.js";
import { createProcessIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/program.js";

process.exitCode = await runCli(process.argv.slice(2), createProcessIo());
