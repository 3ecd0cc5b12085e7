/**
 * The two ways to make Terraform forget what was imported without destroying it: `removed` blocks (Terraform 1.7
 * and later; `from` takes module paths but no instance keys, so a `count`/`for_each` resource has one block) and
 * `terraform state rm`, one line per instance address, single-quoted so `for_each` keys reach Terraform intact.
 */
import { shellQuote } from "./address.js";

/**
 * `removed.tf`: one block per resource address, in the order given (deduplicated).
 * @example removedBlocks(["sentry_team.payments"]) // 'removed {\n  from = sentry_team.payments\n ...'
 */
export function removedBlocks(resourceAddresses: readonly string[]): string {
  const lines = [
    "# Written by `sentry-rbac import terraform`. Terraform (1.7 or later) forgets these resources without destroying",
    "# them in Sentry: delete their `resource` blocks, keep this file, and `terraform plan` shows no destroy.",
  ];
  for (const address of new Set(resourceAddresses)) {
    lines.push("", "removed {", `  from = ${address}`, "", "  lifecycle {", "    destroy = false", "  }", "}");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `state-rm.sh`: one `terraform state rm` per instance address (the other way, for Terraform before 1.7).
 * @example stateRmScript(['sentry_team_member.m["ada"]']) // "...terraform state rm 'sentry_team_member.m[\"ada\"]'\n"
 */
export function stateRmScript(instanceAddresses: readonly string[]): string {
  const lines = [
    "#!/bin/sh",
    "# Written by `sentry-rbac import terraform`. Removes the imported resources from the Terraform state without",
    "# destroying them in Sentry (for Terraform before 1.7; with removed.tf you do not need this). Run it in the",
    "# Terraform working directory, then delete their `resource` blocks.",
    "set -eu",
  ];
  for (const address of new Set(instanceAddresses)) lines.push(`terraform state rm ${shellQuote(address)}`);
  return `${lines.join("\n")}\n`;
}
