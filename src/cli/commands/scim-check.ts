// `sentry-rbac scim check`: is SSO configured, SCIM enabled, and does the SCIM token reach Users and Groups?
// `scim` is the resource command group (scim users|groups); this file adds only `check` to it.
import type { Command } from "commander";
import { checkScimSetup, type ScimSetupCheck } from "../../recipes/sso/scim-setup.js";
import { createCommandContext } from "../context.js";
import { cliWords, PartialFailureError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";

const CHECK_COLUMNS: readonly Column<ScimSetupCheck>[] = [
  { key: "ok", header: "OK", value: (c) => (c.ok ? "ok" : "FAIL") },
  { key: "name", header: "CHECK", value: (c) => c.name },
  { key: "detail", header: "DETAIL", value: (c) => c.detail },
  { key: "fix", header: "FIX", value: (c) => cliWords(c.fix ?? "") },
];

/**
 * Adds `check` to the `scim` command group (created by the resource commands).
 * @example registerScimCheckCommand(program.commands.find((c) => c.name() === "scim")!, io);
 */
export function registerScimCheckCommand(scimCommand: Command, io: CliIo): void {
  scimCommand
    .command("check")
    .description("check the SCIM setup: SSO provider, SCIM enabled, SCIM token reaches Users and Groups (reads only)")
    .addHelpText("after", "\nExample:\n  $ sentry-rbac scim check   # SENTRY_SCIM_TOKEN set in the environment (the IdP's SCIM token)\n")
    .action(async (_flags: unknown, command: Command) => {
      const ctx = createCommandContext(io, command);
      try {
        const report = await checkScimSetup(ctx.client());
        await ctx.print(report.checks, { columns: CHECK_COLUMNS, document: report });
        if (ctx.format === "table" && report.counts.users !== undefined) {
          ctx.write(`\nSCIM sees ${report.counts.users} user(s) and ${report.counts.groups ?? "?"} group(s).\n`);
        }
        const failed = report.checks.filter((c) => !c.ok).length;
        if (failed > 0)
          throw new PartialFailureError(`${failed} of ${report.checks.length} SCIM check(s) failed`, "Apply the FIX column, then run the check again.");
      } finally {
        await ctx.close();
      }
    });
}
