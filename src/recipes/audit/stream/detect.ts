/**
 * Detection: matches rows against rules and builds alert records. Threshold rules keep, per actor, the matching rows
 * still inside their window; that state is small and is saved with the checkpoint so a restart neither forgets a
 * half-counted burst nor repeats an alert.
 */
import type { AuditLogEntry } from "../../../resources/audit-logs.js";
import { resolveAuditRules, type AuditCondition, type AuditRule, type AuditRuleSet, type AuditSeverity } from "./rules.js";

/** An alert record: one rule fired on these rows. */
export interface AuditAlert {
  type: "alert";
  /** Stable: `<rule>:<id of the last triggering row>`, so a SIEM can deduplicate. */
  id: string;
  rule: string;
  title: string;
  severity: AuditSeverity;
  /** Ids of the triggering rows, oldest first. */
  rows: string[];
  event: string;
  /** The acting user's name or label. */
  actor: string;
  /** Time of the last triggering row. */
  time: string;
  org?: string;
}

/** Threshold rules' pending matches: rule id → actor → [row id, epoch ms][]. */
export type AuditDetectorState = Record<string, Record<string, Array<[string, number]>>>;

function lookup(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function holds(condition: AuditCondition, data: Record<string, unknown>): boolean {
  const value = lookup(data, condition.field);
  const present = value !== undefined && value !== null;
  if (condition.exists !== undefined && condition.exists !== present) return false;
  if (condition.equals !== undefined && value !== condition.equals) return false;
  if (condition.in !== undefined && !condition.in.includes(value as never)) return false;
  if (condition.notIn !== undefined && condition.notIn.includes(value as never)) return false;
  return true;
}

/** True when a row matches a rule's events and conditions (thresholds aside). */
export function ruleMatches(rule: AuditRule, row: AuditLogEntry): boolean {
  if (!rule.events.includes(row.event)) return false;
  if (rule.exceptActors && rule.exceptActors.length > 0) {
    const actor = actorName(row).toLowerCase();
    if (rule.exceptActors.some((a) => a.toLowerCase() === actor)) return false;
  }
  const data = row.data && typeof row.data === "object" ? row.data : {};
  return (rule.where ?? []).every((condition) => holds(condition, data));
}

function actorKey(row: AuditLogEntry): string {
  const actor = row.actor as Record<string, unknown>;
  if (actor.id !== undefined && actor.id !== null) return `user:${String(actor.id)}`;
  return `name:${typeof actor.name === "string" ? actor.name : "unknown"}`;
}

function actorName(row: AuditLogEntry): string {
  const actor = row.actor as Record<string, unknown>;
  for (const key of ["email", "username", "name"]) if (typeof actor[key] === "string" && actor[key] !== "") return actor[key];
  return "unknown";
}

/** A streaming detector: feed rows oldest first, get alerts; `state()` is what to checkpoint. */
export interface AuditDetector {
  push(row: AuditLogEntry): AuditAlert[];
  state(): AuditDetectorState;
}

/**
 * Creates a streaming detector over effective rules, optionally resuming threshold state from a checkpoint.
 * @example
 * const detector = createAuditDetector(resolveAuditRules(DEFAULT_AUDIT_RULES));
 * for (const row of rows) for (const alert of detector.push(row)) console.log(alert.title);
 */
export function createAuditDetector(rules: readonly AuditRule[], resume: AuditDetectorState = {}, org?: string): AuditDetector {
  const pending: AuditDetectorState = structuredClone(resume);
  let latest = Number.NEGATIVE_INFINITY;
  const alert = (rule: AuditRule, rows: string[], last: AuditLogEntry): AuditAlert => ({
    type: "alert",
    id: `${rule.id}:${String(last.id)}`,
    rule: rule.id,
    title: rule.title,
    severity: rule.severity,
    rows,
    event: last.event,
    actor: actorName(last),
    time: last.dateCreated,
    ...(org === undefined ? {} : { org }),
  });
  return {
    push(row) {
      const alerts: AuditAlert[] = [];
      const ms = Date.parse(row.dateCreated);
      latest = Math.max(latest, ms);
      for (const rule of rules) {
        if (!ruleMatches(rule, row)) continue;
        if (!rule.threshold) {
          alerts.push(alert(rule, [String(row.id)], row));
          continue;
        }
        const byActor = (pending[rule.id] ??= {});
        const key = actorKey(row);
        const windowMs = rule.threshold.windowMinutes * 60_000;
        const hits = (byActor[key] ?? []).filter(([, at]) => Math.abs(ms - at) <= windowMs);
        hits.push([String(row.id), ms]);
        if (hits.length >= rule.threshold.count) {
          alerts.push(
            alert(
              rule,
              hits.map(([id]) => id),
              row,
            ),
          );
          // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the pending hits are a plain JSON record because they are saved in the checkpoint
          delete byActor[key];
        } else {
          byActor[key] = hits;
        }
      }
      return alerts;
    },
    state() {
      // Hits older than a window before the newest row can no longer count towards an alert: drop them.
      for (const rule of rules) {
        const byActor = pending[rule.id];
        if (!byActor || !rule.threshold) continue;
        const windowMs = rule.threshold.windowMinutes * 60_000;
        for (const [key, hits] of Object.entries(byActor)) {
          const kept = hits.filter(([, at]) => latest - at <= windowMs);
          // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the pending hits are a plain JSON record because they are saved in the checkpoint
          if (kept.length === 0) delete byActor[key];
          else byActor[key] = kept;
        }
      }
      return structuredClone(pending);
    },
  };
}

/**
 * Runs rules over rows (sorted oldest first here) and returns the alerts they raise.
 * @example
 * const alerts = detectAuditAlerts(await sentry.auditLogs.list({ since: "2026-03-01" }).toArray(), DEFAULT_AUDIT_RULES);
 * for (const a of alerts) console.log(a.severity, a.title, a.rows);
 * @throws {ValidationError} when `rules` does not validate.
 */
export function detectAuditAlerts(rows: readonly AuditLogEntry[], rules: AuditRuleSet | readonly AuditRule[]): AuditAlert[] {
  const detector = createAuditDetector(resolveAuditRules(rules));
  const sorted = [...rows].sort((a, b) => Date.parse(a.dateCreated) - Date.parse(b.dateCreated) || Number(a.id) - Number(b.id));
  return sorted.flatMap((row) => detector.push(row));
}
