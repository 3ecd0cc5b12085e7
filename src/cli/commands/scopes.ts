// `sentry-rbac scopes <methods...>`: the least-privilege token scopes for what a script calls.
import type { Command } from "commander";
import { requiredScopes, type ScopePlan } from "../../recipes/tokens/required-scopes.js";
import { createCommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";

type PlanRow = ScopePlan["perOperation"][number];

const COLUMNS: readonly Column<PlanRow>[] = [
  { key: "name", header: "METHOD", value: (row) => row.name },
  { key: "operationId", header: "OPERATION", value: (row) => row.operationId },
  { key: "chosen", header: "GRANTED BY", value: (row) => row.chosen ?? "(any token)" },
  { key: "acceptedScopes", header: "ACCEPTS ANY OF", value: (row) => row.acceptedScopes },
];

const EXAMPLES = `
Examples:
  $ sentry-rbac scopes org.teams.create org.members.invite
  $ sentry-rbac scopes listOrganizationAuditLogs --json
`;

/**
 * Registers `scopes` on the program; listed in COMMANDS.
 * @example registerScopesCommand(program, io); // adds `sentry-rbac scopes <methods...>`
 */
export function registerScopesCommand(program: Command, io: CliIo): void {
  program
    .command("scopes")
    .description("plan the least-privilege token scopes for the SDK methods or API operations a script calls")
    .argument("<methods...>", "SDK method paths (org.teams.create) or operationIds (createOrganizationTeam)")
    .addHelpText("after", EXAMPLES)
    .action(async (methods: string[], _options: unknown, command: Command) => {
      const ctx = createCommandContext(io, command);
      const plan = requiredScopes(methods);
      if (plan.unknown.length > 0) {
        throw new UsageError(
          `unknown method or operation: ${plan.unknown.join(", ")}`,
          "Name SDK methods as in the docs (org.teams.create, scim.users.provision) or Sentry operationIds (createOrganizationTeam).",
        );
      }
      if (ctx.format === "table") {
        ctx.write(`scopes: ${plan.scopes.length > 0 ? plan.scopes.join(" ") : "(none beyond an authenticated token)"}\n\n`);
      }
      await ctx.print(plan.perOperation, { columns: COLUMNS, document: plan });
      if (plan.sessionOnly.length > 0) {
        ctx.note(`note: ${plan.sessionOnly.join(", ")} need a signed-in browser session; no token scope allows them.`);
      }
    });
}
