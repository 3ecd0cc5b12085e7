// `sentry-rbac sso urls|check-metadata`: the SAML2 values to give an IdP, and a check of what the IdP gives back.
import { InvalidArgumentError, type Command } from "commander";
import { checkIdpMetadata, SAML_ATTRIBUTES, samlServiceProviderUrls, type IdpMetadataFinding, type IdpMetadataReport } from "../../recipes/sso/index.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { PartialFailureError, UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { formatTable, type Column } from "../output.js";

interface UrlRow {
  field: string;
  label: string;
  url: string;
}

const URL_COLUMNS: readonly Column<UrlRow>[] = [
  { key: "label", header: "SETTING", value: (row) => row.label },
  { key: "url", header: "VALUE", value: (row) => row.url },
];

const FINDING_COLUMNS: readonly Column<IdpMetadataFinding>[] = [
  { key: "level", header: "LEVEL", value: (f) => f.level },
  { key: "code", header: "CODE", value: (f) => f.code },
  { key: "message", header: "MESSAGE", value: (f) => f.message },
  { key: "fix", header: "FIX", value: (f) => f.fix },
];

type Certificate = IdpMetadataReport["certificates"][number];

const CERTIFICATE_COLUMNS: readonly Column<Certificate>[] = [
  { key: "use", header: "USE", value: (c) => c.use ?? "signing+encryption" },
  { key: "subject", header: "SUBJECT", value: (c) => c.subject },
  { key: "validTo", header: "VALID TO", value: (c) => c.validTo },
  { key: "daysLeft", header: "DAYS LEFT", value: (c) => c.daysLeft },
];

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("expected an ISO 8601 date, e.g. 2026-12-15");
  return date;
}

async function urls(io: CliIo, orgArgument: string | undefined, options: { baseUrl?: string }, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const org = orgArgument ?? ctx.requireOrg();
  let result: ReturnType<typeof samlServiceProviderUrls>;
  try {
    result = samlServiceProviderUrls(org, options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  const rows: UrlRow[] = [
    { field: "acsUrl", label: "ACS URL (Single sign-on URL)", url: result.acsUrl },
    { field: "entityId", label: "Entity ID (Audience URI)", url: result.entityId },
    { field: "metadataUrl", label: "SP metadata URL", url: result.metadataUrl },
    { field: "slsUrl", label: "Single logout URL", url: result.slsUrl },
  ];
  await ctx.print(rows, { columns: URL_COLUMNS, document: result });
  if (ctx.format === "table") {
    ctx.write("\nAttribute mapping (IdP attribute names Sentry reads):\n");
    ctx.write(
      formatTable(SAML_ATTRIBUTES, [
        { key: "key", header: "ATTRIBUTE", value: (a) => a.key },
        { key: "label", header: "MEANING", value: (a) => a.label },
        { key: "required", header: "REQUIRED", value: (a) => (a.required ? "yes" : "no") },
      ]),
    );
  }
}

async function readInput(ctx: CommandContext, file: string): Promise<string> {
  try {
    return file === "-" ? await ctx.io.stdin.readAll() : await ctx.io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}${code ? ` (${code})` : ""}`, "Pass the path of the IdP metadata XML, or - to read it from stdin.");
  }
}

function writeReport(ctx: CommandContext, report: IdpMetadataReport): void {
  ctx.write(`entity ID: ${report.entityId ?? "(missing)"}\n`);
  for (const sso of report.ssoUrls) ctx.write(`SSO URL:   ${sso.location} (${sso.binding})\n`);
  if (report.certificates.length > 0) ctx.write(`\n${formatTable(report.certificates, CERTIFICATE_COLUMNS)}`);
  if (report.findings.length > 0) ctx.write(`\n${formatTable(report.findings, FINDING_COLUMNS)}`);
}

async function checkMetadata(io: CliIo, file: string, options: { at?: Date }, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const xml = await readInput(ctx, file);
  const report = checkIdpMetadata(xml, options.at === undefined ? {} : { now: options.at });
  if (ctx.format === "table") writeReport(ctx, report);
  else await ctx.print(report.findings, { columns: FINDING_COLUMNS, document: report });
  const errors = report.findings.filter((finding) => finding.level === "error").length;
  const warnings = report.findings.filter((finding) => finding.level === "warning").length;
  if (!report.ok) throw new PartialFailureError(`the metadata has ${errors} error(s) and ${warnings} warning(s)`);
  if (ctx.format === "table") ctx.write(`\nok: usable for Sentry SAML2 (${warnings} warning(s))\n`);
}

/**
 * Registers `sso urls` and `sso check-metadata` on the program; listed in COMMANDS.
 * @example registerSsoCommand(program, io); // adds `sentry-rbac sso urls|check-metadata`
 */
export function registerSsoCommand(program: Command, io: CliIo): void {
  const sso = program.command("sso").description("SAML2 single sign-on setup helpers (no Sentry calls)");
  sso
    .command("urls")
    .description("the ACS, entity ID, metadata and logout URLs to enter in your IdP")
    .argument("[org]", "organization slug (default: --org or SENTRY_ORG)")
    .option("--base-url <url>", "self-hosted Sentry's URL prefix, e.g. https://sentry.example.com")
    .addHelpText("after", "\nExample:\n  $ sentry-rbac sso urls acme --base-url https://sentry.example.com\n")
    .action((org: string | undefined, options: { baseUrl?: string }, command: Command) => urls(io, org, options, command));
  sso
    .command("check-metadata")
    .description("check an IdP's SAML2 metadata XML before pasting it into Sentry (exit 1 when it has errors)")
    .argument("<file>", "metadata XML file, or - for stdin")
    .option("--at <date>", "judge certificate expiry as of this date (default: now)", parseDate)
    .addHelpText("after", "\nExample:\n  $ sentry-rbac sso check-metadata okta-metadata.xml\n")
    .action((file: string, options: { at?: Date }, command: Command) => checkMetadata(io, file, options, command));
}
