// `sentry-rbac audit tail`: follow the audit log into stdout, a file or an HTTP collector, exactly once, with
// detections. Lives in the `audit` group (audit.ts registers it); the workflow is src/recipes/audit/stream/.
// One writer per checkpoint: a file checkpoint is locked, a Redis checkpoint is leased (a second process waits as a
// standby); several organizations (`--org` repeated, `--orgs-file`) run as a fleet on one Redis.
import { Option, type Command } from "commander";
import {
  isAuditCheckpointBusyError,
  isAuditRedisUnavailableError,
  parseAuditRules,
  tailAuditLog,
  type AuditRule,
  type AuditSink,
  type AuditStreamFormat,
  type AuditTailReport,
  type TailAuditLogOptions,
} from "../../recipes/audit/stream/index.js";
import { runAuditFleet } from "../../recipes/audit/stream/fleet.js";
import { isRedisCheckpoint } from "../../recipes/audit/stream/settings.js";
import { parseRedisCheckpoint } from "../../recipes/audit/stream/redis.js";
import { createCommandContext, type CommandContext } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { parseDuration, parseWhen } from "./audit-args.js";

interface TailFlags {
  follow?: boolean;
  since?: Date;
  checkpoint?: string;
  interval: number;
  lookback: number;
  lease: number;
  format: AuditStreamFormat;
  rules?: string;
  alertsOnly?: boolean;
  sink?: string;
  alertSink?: string;
  orgsFile?: string;
}

type LeaseChange = "acquired" | "lost" | "released" | "held-elsewhere";

function summary(report: AuditTailReport): string {
  return `Delivered ${report.rows} audit row(s) and ${report.alerts} alert(s) for ${report.org}; everything before ${report.lowerBound} is in.`;
}

function inWords(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Number((ms / 1_000).toFixed(1))} s`;
}

/**
 * The organizations of an `--orgs-file`: one slug per line; blank lines and `#` comments are skipped.
 * @example parseOrgsFile("acme\n# staging\nacme-labs\n") // ["acme", "acme-labs"]
 */
export function parseOrgsFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line !== "");
}

/** `{org}` in a sink spec is the organization's slug (one file per organization). */
function sinkFor(spec: string | undefined, org: string, stdout: AuditSink): AuditSink | string {
  return spec === undefined || spec === "-" ? stdout : spec.replaceAll("{org}", org);
}

function checkSeveral(orgs: readonly string[], flags: TailFlags): void {
  const hint = "Example: sentry-rbac audit tail --org acme --org acme-labs --follow --checkpoint redis://redis:6379 --sink 'file:/var/log/sentry/{org}.ndjson'";
  if (!isRedisCheckpoint(flags.checkpoint)) {
    throw new UsageError(
      `several organizations (${orgs.join(", ")}) need a Redis checkpoint (--checkpoint redis://…): the fleet keeps each organization's lease and checkpoint there`,
      hint,
    );
  }
  if (flags.follow !== true) throw new UsageError("several organizations are followed as a fleet: pass --follow", hint);
  for (const [flag, spec] of [
    ["--sink", flags.sink],
    ["--alert-sink", flags.alertSink],
  ] as const) {
    if (spec?.startsWith("file:") && !spec.includes("{org}")) {
      throw new UsageError(`${flag} ${spec} would be shared by several organizations: put {org} in the path, one file per organization`, hint);
    }
  }
}

/** Tells the operator, once per change, what this process is doing with each organization's lease. */
function leaseNotes(ctx: CommandContext, leaseMs: number): (org: string, change: LeaseChange) => void {
  const standing = new Set<string>();
  return (org, change) => {
    if (change === "held-elsewhere" && !standing.has(org)) {
      standing.add(org);
      ctx.note(`audit tail: standby for ${org}: another process holds its lease; taking over within ${inWords(leaseMs)} of it stopping`);
    } else if (change === "acquired" && standing.delete(org)) {
      ctx.note(`audit tail: took over ${org}`);
    } else if (change === "lost") {
      ctx.note(`audit tail: lost the lease for ${org} to another process; stopped writing`);
    }
  };
}

/** The SDK's one-writer errors, in the CLI's words and exit codes. */
function cliError(error: unknown): unknown {
  if (isAuditCheckpointBusyError(error)) {
    return new CliError(error.message, {
      exitCode: 2,
      hint: "Run one `audit tail` per checkpoint; with a redis:// checkpoint and --follow a second one waits as a standby.",
    });
  }
  if (isAuditRedisUnavailableError(error)) {
    return new CliError(error.message, { exitCode: 1, hint: "Check the --checkpoint URL and that Redis is running and reachable." });
  }
  return error;
}

async function tail(io: CliIo, flags: TailFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command, { severalOrgs: true });
  const controller = new AbortController();
  try {
    const orgs = [...ctx.orgs];
    if (flags.orgsFile !== undefined) {
      const listed = parseOrgsFile(await io.readFile(flags.orgsFile));
      if (listed.length === 0) throw new UsageError(`--orgs-file ${flags.orgsFile} lists no organization`, "Put one organization slug per line.");
      // The file and any --org flags (SENTRY_ORG is a default, not a member of the list).
      orgs.splice(0, orgs.length, ...new Set([...[ctx.flags.org ?? []].flat(), ...listed]));
    }
    if (orgs.length === 0) orgs.push(ctx.requireOrg());
    if (orgs.length > 1) checkSeveral(orgs, flags);
    let rules: AuditRule[] | undefined;
    if (flags.rules !== undefined) rules = parseAuditRules(await io.readFile(flags.rules));
    // Records go through the CLI's masked stdout, one NDJSON line each.
    const stdout: AuditSink = {
      async write(records) {
        for (const record of records) ctx.write(`${JSON.stringify(record)}\n`);
      },
      async close() {},
    };
    if (flags.follow) void io.waitForShutdown().then(() => controller.abort());
    const options: TailAuditLogOptions = {
      follow: flags.follow ?? false,
      intervalMs: flags.interval,
      lookbackMs: flags.lookback,
      leaseMs: flags.lease,
      format: flags.format,
      ...(flags.since === undefined ? {} : { since: flags.since }),
      ...(rules === undefined ? {} : { rules }),
      alertsOnly: flags.alertsOnly ?? false,
      // The CLI reads its environment through io, never process.env.
      ...(io.env.SPLUNK_HEC_TOKEN ? { http: { token: io.env.SPLUNK_HEC_TOKEN } } : {}),
      signal: controller.signal,
      onError: (error, wait) => ctx.note(`audit tail: ${error instanceof Error ? error.message : "failed"}; retrying in ${Math.round(wait / 1000)} s`),
    };
    const notes = leaseNotes(ctx, flags.lease);
    if (orgs.length === 1) {
      const org = orgs[0] as string;
      const report = await tailAuditLog(ctx.client().withOrg(org), {
        ...options,
        sink: sinkFor(flags.sink, org, stdout),
        ...(flags.alertSink === undefined ? {} : { alertSink: sinkFor(flags.alertSink, org, stdout) }),
        ...(flags.checkpoint === undefined ? {} : { checkpoint: flags.checkpoint }),
        onLease: (change) => notes(org, change),
      });
      ctx.note(summary(report));
      return;
    }
    const { url, prefix } = parseRedisCheckpoint(flags.checkpoint as string);
    const { leaseMs: _leaseMs, follow: _follow, ...shared } = options;
    const report = await runAuditFleet(
      ctx.client(),
      {
        ...shared,
        orgs,
        redis: url,
        prefix,
        leaseMs: flags.lease,
        onLease: notes,
        sinkFor: (org) => sinkFor(flags.sink, org, stdout),
        ...(flags.alertSink === undefined ? {} : { alertSinkFor: (org: string) => sinkFor(flags.alertSink, org, stdout) }),
      },
      { once: false, stopOnError: true },
    );
    for (const org of orgs) {
      const result = report.orgs[org];
      if (result !== undefined && !("error" in result)) ctx.note(summary(result));
    }
  } catch (error) {
    throw cliError(error);
  } finally {
    await ctx.close();
  }
}

/**
 * Adds `tail` to the `audit` command group.
 * @example registerAuditTailCommand(auditCommand, io); // sentry-rbac audit tail --follow --format ocsf --sink file:audit.ndjson
 */
export function registerAuditTailCommand(auditCommand: Command, io: CliIo): void {
  auditCommand
    .command("tail")
    .description("follow the audit log into stdout, a file or an HTTP collector (Splunk HEC, webhook), each row once, with alerts")
    .option("--follow", "keep polling after catching up (stop with Ctrl-C / SIGTERM)")
    .option("--since <when>", "backfill from here when there is no checkpoint: ISO date or <days>d", (value: string) => parseWhen(value))
    .option("--checkpoint <file|redis://…>", "where to remember progress (an existing checkpoint wins over --since); one process per checkpoint")
    .option("--lease <duration>", "redis:// checkpoint: lease lifetime; a standby takes over within it after the active process dies", parseDuration, 30_000)
    .option("--orgs-file <file>", "follow the organizations listed in this file (one slug per line) as a fleet; or repeat --org")
    .option("--interval <duration>", "poll interval when caught up", parseDuration, 30_000)
    .option("--lookback <duration>", "how late a row may be committed and still be delivered", parseDuration, 120_000)
    .addOption(new Option("--format <format>", "record format").choices(["sentry", "ocsf", "ecs"]).default("sentry"))
    .option("--rules <file>", "detection rules (YAML); `extends: default` keeps the shipped rules")
    .option("--alerts-only", "write alerts only")
    .option("--sink <file:PATH|URL>", "where records go: - (stdout), file:PATH ({org} = the organization), an https URL (Splunk HEC: SPLUNK_HEC_TOKEN)")
    .option("--alert-sink <file:PATH|URL>", "send alerts here instead of --sink")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  $ sentry-rbac audit tail --since 30d --format ocsf > audit.ndjson",
        "  $ sentry-rbac audit tail --follow --checkpoint /var/lib/sentry-rbac/acme.json --sink file:/var/log/sentry/audit.ndjson",
        "  $ SPLUNK_HEC_TOKEN=… sentry-rbac audit tail --follow --checkpoint redis://redis:6379 --sink https://splunk:8088/services/collector/event",
        "  $ sentry-rbac audit tail --org acme --org acme-labs --follow --checkpoint redis://redis:6379 --sink 'file:/var/log/sentry/{org}.ndjson'",
        "",
        "High availability: run the same redis:// command twice; the second waits as a standby (one line on stderr) and",
        "takes over within --lease after the first dies. A file checkpoint is locked: a second process on it exits 2.",
        "",
      ].join("\n"),
    )
    .action((flags: TailFlags, command: Command) => tail(io, flags, command));
}
