// `sentry-rbac import terraform`: a jianyuan/sentry Terraform state → an access file, removed.tf and state-rm.sh.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { isValidationError } from "../../http/errors/errors.js";
import { formatAccessConfig } from "../../recipes/access/index.js";
import { importTerraform, type TerraformImport } from "../../recipes/terraform/index.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { cliErrorFor } from "./access-files.js";

interface ImportFlags {
  state: string;
  out: string;
  terraformOut: string;
  format: "yaml" | "json";
  compare: boolean;
}

const STATE_HINT = "Pass terraform.tfstate, the output of `terraform state pull`, or of `terraform show -json` (- for stdin).";

async function readState(ctx: CommandContext, file: string): Promise<string> {
  try {
    return file === "-" ? await ctx.io.stdin.readAll() : await ctx.io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}${code ? ` (${code})` : ""}`, STATE_HINT);
  }
}

function report(ctx: CommandContext, result: TerraformImport, flags: ImportFlags): void {
  const { config } = result;
  const memberships = Object.values(config.members).reduce((n, m) => n + Object.keys(m.teams ?? {}).length, 0);
  const links = Object.values(config.teams).reduce((n, t) => n + (t.projects?.length ?? 0), 0);
  const resources = new Set(result.imported.map((i) => i.resourceAddress)).size;
  ctx.write(
    `Imported ${result.imported.length} instance(s) of ${resources} resource(s) for ${result.organization}: ${Object.keys(config.teams).length} teams, `,
  );
  ctx.write(`${Object.keys(config.members).length} members, ${memberships} team memberships, ${links} project links.\n`);
  ctx.write(`Wrote ${flags.out}, ${join(flags.terraformOut, "removed.tf")} and ${join(flags.terraformOut, "state-rm.sh")}.\n`);
  if (result.leftToTerraform.length > 0) {
    ctx.write(`\nLeft to Terraform (${result.leftToTerraform.length}):\n${result.leftToTerraform.map((a) => `  ${a}\n`).join("")}`);
  }
  ctx.write(`\nNext: review ${flags.out}; \`sentry-rbac plan ${flags.out}\` should show no changes; then add removed.tf to the Terraform\n`);
  ctx.write("configuration, delete the imported resource blocks, and check that `terraform plan` shows no destroy.\n");
}

async function run(io: CliIo, flags: ImportFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  try {
    const text = await readState(ctx, flags.state);
    const compare = flags.compare && ctx.authToken() !== undefined;
    let result: TerraformImport;
    try {
      result = await importTerraform(text, {
        ...(ctx.org === undefined ? {} : { organization: ctx.org }),
        ...(compare ? { sentry: ctx.client() } : {}),
      });
    } catch (error) {
      if (isValidationError(error)) throw new UsageError(`${flags.state}: ${error.detail}`, STATE_HINT);
      throw cliErrorFor(error);
    }
    // Everything is computed before the first file is written: refused input leaves nothing behind.
    await mkdir(flags.terraformOut, { recursive: true });
    await writeFile(flags.out, formatAccessConfig(result.config, flags.format), "utf8");
    await writeFile(join(flags.terraformOut, "removed.tf"), result.removedTf, "utf8");
    await writeFile(join(flags.terraformOut, "state-rm.sh"), result.stateRm, { encoding: "utf8", mode: 0o755 });
    if (ctx.format === "json" || ctx.format === "ndjson") ctx.write(`${JSON.stringify(result, null, ctx.format === "json" ? 2 : 0)}\n`);
    else report(ctx, result, flags);
    for (const p of result.pitfalls) ctx.note(`warning: ${p.address}: ${p.message}`);
    for (const d of result.drift) ctx.note(`warning: ${d.address === undefined ? "" : `${d.address}: `}${d.message}`);
    for (const note of result.notes) ctx.note(`note: ${note}`);
    if (!compare)
      ctx.note(`note: not compared with Sentry (${flags.compare ? "no auth token configured" : "--no-compare"}): plan the file before switching over`);
  } finally {
    await ctx.close();
  }
}

const HELP = `
Reads the state of the jianyuan/sentry provider (sentry_team, sentry_organization_member, sentry_team_member,
sentry_project) and writes an access file declaring only what Terraform managed (additive policy), plus removed.tf
(Terraform 1.7+) and state-rm.sh, the two ways to make Terraform forget it without destroying anything. With an auth
token it compares with Sentry: memberships and project links outside Terraform are kept, differences are warnings.
Exit status: 0 imported, 2 not a state, another format version or organization, or two addresses for one object.

Examples:
  $ terraform state pull > sentry.tfstate
  $ sentry-rbac import terraform --state sentry.tfstate --org acme --terraform-out infra/sentry
  $ terraform show -json | sentry-rbac import terraform --state - --out access/acme.yaml
`;

/**
 * Registers `import terraform`; listed in COMMANDS.
 * @example registerImportCommand(program, io); // adds `sentry-rbac import terraform ...`
 */
export function registerImportCommand(program: Command, io: CliIo): void {
  const imports = program.command("import").description("take over access managed by another tool");
  imports
    .command("terraform")
    .description("convert a jianyuan/sentry Terraform state into an access file, and make Terraform forget it without destroying")
    .requiredOption("--state <file>", "terraform.tfstate, `terraform state pull` or `terraform show -json` output (- for stdin)")
    .option("--out <file>", "the access file to write", "sentry-access.yaml")
    .option("--terraform-out <dir>", "where to write removed.tf and state-rm.sh", ".")
    .addOption(new Option("--format <format>", "access file format").choices(["yaml", "json"]).default("yaml"))
    .option("--no-compare", "do not read Sentry (by default it is read when an auth token is configured)")
    .addHelpText("after", HELP)
    .action((flags: ImportFlags, command: Command) => run(io, flags, command));
}
