// `sentry-rbac access who-can|member|review`: who sees what, and the periodic access review, as tables or data.
import { InvalidArgumentError, Option, type Command } from "commander";
import { accessReview, type AccessFinding } from "../../recipes/review/access-review.js";
import { effectiveAccess, whoCanAccess, type ProjectAccessEntry, type VisibleProject } from "../../recipes/who-can-access/who-can-access.js";
import type { ProjectAccessReason } from "../../recipes/who-can-access/effective-access.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { cliWords, PartialFailureError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";

/**
 * A reason for access in words: `team payments (admin)`, `org role owner`, `open membership`.
 * @example describeReason({ kind: "team", team: "payments", role: "admin" }) // "team payments (admin)"
 */
export function describeReason(reason: ProjectAccessReason): string {
  switch (reason.kind) {
    case "team":
      return `team ${reason.team} (${reason.role})`;
    case "globalOrgRole":
      return `org role ${reason.role}`;
    case "openMembership":
      return "open membership";
  }
}

const WHO_COLUMNS: readonly Column<ProjectAccessEntry>[] = [
  { key: "email", header: "EMAIL", value: (m) => (m.pending ? `${m.email} (pending)` : m.email) },
  { key: "orgRole", header: "ORG ROLE", value: (m) => m.orgRole },
  { key: "reasons", header: "ACCESS VIA", value: (m) => m.reasons.map(describeReason) },
];

const PROJECT_COLUMNS: readonly Column<VisibleProject>[] = [
  { key: "project", header: "PROJECT", value: (p) => p.project },
  { key: "reasons", header: "ACCESS VIA", value: (p) => p.reasons.map(describeReason) },
  { key: "scopes", header: "SCOPES", value: (p) => p.scopes },
];

/** The columns of an access-review finding (also used by the demo). */
export const FINDING_COLUMNS: readonly Column<AccessFinding>[] = [
  { key: "severity", header: "SEVERITY", value: (f) => f.severity },
  { key: "kind", header: "FINDING", value: (f) => f.kind },
  { key: "subject", header: "SUBJECT", value: (f) => f.subject },
  { key: "detail", header: "DETAIL", value: (f) => f.detail },
  { key: "fix", header: "FIX", value: (f) => cliWords(f.fix) },
];

const SEVERITIES = ["high", "medium", "low"] as const;
type Severity = (typeof SEVERITIES)[number];

function parseDays(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1) throw new InvalidArgumentError("expected a whole number of days (1 or more)");
  return days;
}

// The recipes read the organization; without one they would send `/organizations//…` and report a 404.
function orgClient(ctx: CommandContext) {
  ctx.requireOrg();
  return ctx.client();
}

async function whoCan(io: CliIo, project: string, flags: { includePending?: boolean; openMembership?: boolean }, command: Command) {
  const ctx = createCommandContext(io, command);
  try {
    const report = await whoCanAccess(orgClient(ctx), project, {
      includePending: flags.includePending === true,
      openMembership: flags.openMembership === true,
    });
    if (ctx.format === "table") ctx.write(`${report.project}: held by ${report.teams.length > 0 ? report.teams.join(", ") : "no team"}\n\n`);
    await ctx.print(report.members, { columns: WHO_COLUMNS, document: report });
  } finally {
    await ctx.close();
  }
}

async function member(io: CliIo, who: string, flags: { openMembership?: boolean }, command: Command) {
  const ctx = createCommandContext(io, command);
  try {
    const report = await effectiveAccess(orgClient(ctx), who, { openMembership: flags.openMembership === true });
    if (ctx.format === "table") {
      const teams = report.teams.map((t) => `${t.team} (${t.role})`).join(", ") || "none";
      ctx.write(
        `${report.member.email}${report.member.pending ? " (pending invite)" : ""}: org role ${report.orgRole}${report.isGlobal ? ", sees every project" : ""}\n`,
      );
      ctx.write(`teams:  ${teams}\nscopes: ${report.scopes.join(" ")}\n\n`);
    }
    await ctx.print(report.projects, { columns: PROJECT_COLUMNS, document: report });
  } finally {
    await ctx.close();
  }
}

interface ReviewFlags {
  pendingDays: number;
  maxPrivileged?: number;
  requireSso?: boolean;
  failOn?: Severity;
}

async function review(io: CliIo, flags: ReviewFlags, command: Command) {
  const ctx = createCommandContext(io, command);
  try {
    const report = await accessReview(orgClient(ctx), {
      pendingInviteDays: flags.pendingDays,
      requireSso: flags.requireSso === true,
      ...(flags.maxPrivileged === undefined ? {} : { maxPrivileged: flags.maxPrivileged }),
    });
    if (ctx.format === "table") {
      const s = report.summary;
      ctx.write(`${s.members} members, ${s.pendingInvites} pending invites, ${s.owners} owners, ${s.managers} managers, `);
      ctx.write(`${s.teams} teams, ${s.projects} projects; SSO: ${s.ssoProvider ?? "none"}${s.ssoRequired ? " (required)" : ""}\n\n`);
    }
    await ctx.print(report.findings, { columns: FINDING_COLUMNS, document: report });
    if (flags.failOn !== undefined) {
      const threshold = SEVERITIES.indexOf(flags.failOn);
      const failing = report.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= threshold).length;
      if (failing > 0) throw new PartialFailureError(`${failing} finding(s) at or above ${flags.failOn} severity`);
    }
  } finally {
    await ctx.close();
  }
}

/**
 * Registers `access who-can`, `access member` and `access review` on the program; listed in COMMANDS.
 * @example registerAccessCommand(program, io); // adds `sentry-rbac access ...`
 */
export function registerAccessCommand(program: Command, io: CliIo): void {
  const access = program.command("access").description("who can see what: per project, per member, and an access review");
  access
    .command("who-can")
    .description("everyone who can see a project, and why (team membership or a global org role)")
    .argument("<project>", "project slug")
    .option("--include-pending", "also list pending invites that would see it once accepted")
    .option("--open-membership", "the organization has Open Membership on (every member sees every project)")
    .addHelpText("after", "\nExample:\n  $ sentry-rbac access who-can payment-api\n")
    .action((project: string, flags: { includePending?: boolean; openMembership?: boolean }, command: Command) => whoCan(io, project, flags, command));
  access
    .command("member")
    .description("a member's effective scopes and every project they can see, with the reason for each")
    .argument("<member>", "member id or email")
    .option("--open-membership", "the organization has Open Membership on")
    .addHelpText("after", "\nExample:\n  $ sentry-rbac access member carla.contractor@vendor.test\n")
    .action((who: string, flags: { openMembership?: boolean }, command: Command) => member(io, who, flags, command));
  access
    .command("review")
    .description("findings an auditor asks about: too many owners, SSO not linked, stale invites, orphan teams and projects")
    .option("--pending-days <days>", "flag invites pending longer than this", parseDays, 14)
    .option("--max-privileged <n>", "flag more active owners + managers than this (default 3)", parseDays)
    .option("--require-sso", "treat SSO as required even if the auth provider does not enforce it")
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding of this severity or higher exists").choices([...SEVERITIES]))
    .addHelpText("after", "\nExamples:\n  $ sentry-rbac access review\n  $ sentry-rbac access review --pending-days 7 --fail-on high --json\n")
    .action((flags: ReviewFlags, command: Command) => review(io, flags, command));
}
