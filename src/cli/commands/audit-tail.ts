// `sentry-rbac audit tail`: follow the audit log into stdout, a file or an HTTP collector, exactly once, with
// detections. Lives in the `audit` group (audit.ts registers it); the workflow is src/recipes/audit-stream/.
import { InvalidArgumentError, Option, type Command } from "commander";
import { parseAuditRules, tailAuditLog, type AuditRule, type AuditSink, type AuditStreamFormat, type AuditTailReport } from "../../recipes/audit/stream/index.js";
import { createCommandContext } from "../context.js";
import type { CliIo } from "../io.js";
import { parseWhen } from "./audit.js";

interface TailFlags {
  follow?: boolean;
  since?: Date;
  checkpoint?: string;
  interval: number;
  lookback: number;
  format: AuditStreamFormat;
  rules?: string;
  alertsOnly?: boolean;
  sink?: string;
  alertSink?: string;
}

/**
 * Parses a duration: `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds.
 * @example parseDuration("2m") // 120000
 * @throws InvalidArgumentError for anything else.
 */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  const ms = match ? Number(match[1]) * (units[match[2] ?? "s"] ?? 1_000) : Number.NaN;
  if (!(ms > 0)) throw new InvalidArgumentError("expected a duration such as 30s, 2m or 500ms");
  return ms;
}

function summary(report: AuditTailReport): string {
  return `Delivered ${report.rows} audit row(s) and ${report.alerts} alert(s) for ${report.org}; everything before ${report.lowerBound} is in.`;
}

async function tail(io: CliIo, flags: TailFlags, command: Command): Promise<void> {
  const ctx = createCommandContext(io, command);
  const controller = new AbortController();
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
  try {
    const report = await tailAuditLog(ctx.client(), {
      follow: flags.follow ?? false,
      intervalMs: flags.interval,
      lookbackMs: flags.lookback,
      format: flags.format,
      sink: flags.sink === undefined || flags.sink === "-" ? stdout : flags.sink,
      ...(flags.alertSink === undefined ? {} : { alertSink: flags.alertSink === "-" ? stdout : flags.alertSink }),
      ...(flags.since === undefined ? {} : { since: flags.since }),
      ...(flags.checkpoint === undefined ? {} : { checkpoint: flags.checkpoint }),
      ...(rules === undefined ? {} : { rules }),
      alertsOnly: flags.alertsOnly ?? false,
      // The CLI reads its environment through io, never process.env.
      ...(io.env.SPLUNK_HEC_TOKEN ? { http: { token: io.env.SPLUNK_HEC_TOKEN } } : {}),
      signal: controller.signal,
      onError: (error, wait) => ctx.note(`audit tail: ${error instanceof Error ? error.message : "failed"}; retrying in ${Math.round(wait / 1000)} s`),
    });
    ctx.note(summary(report));
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
    .option("--checkpoint <file|redis://…>", "where to remember progress (an existing checkpoint wins over --since)")
    .option("--interval <duration>", "poll interval when caught up", parseDuration, 30_000)
    .option("--lookback <duration>", "how late a row may be committed and still be delivered", parseDuration, 120_000)
    .addOption(new Option("--format <format>", "record format").choices(["sentry", "ocsf", "ecs"]).default("sentry"))
    .option("--rules <file>", "detection rules (YAML); `extends: default` keeps the shipped rules")
    .option("--alerts-only", "write alerts only")
    .option("--sink <file:PATH|URL>", "where records go: - (stdout), file:PATH, an https URL (Splunk HEC: SPLUNK_HEC_TOKEN)")
    .option("--alert-sink <file:PATH|URL>", "send alerts here instead of --sink")
    .addHelpText("after", [
      "",
      "Examples:",
      "  $ sentry-rbac audit tail --since 30d --format ocsf > audit.ndjson",
      "  $ sentry-rbac audit tail --follow --checkpoint /var/lib/sentry-rbac/acme.json --sink file:/var/log/sentry/audit.ndjson",
      "  $ SPLUNK_HEC_TOKEN=… sentry-rbac audit tail --follow --checkpoint redis://redis:6379 --sink https://splunk:8088/services/collector/event",
      "",
    ].join("\n"))
    .action((flags: TailFlags, command: Command) => tail(io, flags, command));
}
