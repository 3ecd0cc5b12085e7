/**
 * The audit log: Sentry's event api names (facts §1e), writing entries for mutations, and the
 * seeded history a fixture asks for, generated on first use so large logs cost nothing until read.
 */
import type { AuditEntry, Org, World } from "./model.js";
import { DAY_MS } from "./model.js";
import { createRandom } from "./random.js";

/** Every registered api name, in registration order (the `options` of an audit-log page). */
export const AUDIT_EVENT_NAMES: readonly string[] = Object.freeze([
  "member.invite",
  "member.add",
  "member.accept-invite",
  "member.edit",
  "member.remove",
  "member.join-team",
  "member.leave-team",
  "member.pending",
  "org.create",
  "org.edit",
  "org.remove",
  "org.restore",
  "team.create",
  "team.edit",
  "team.remove",
  "project.create",
  "project.edit",
  "project.remove",
  "project.remove-with-origin",
  "project.request-transfer",
  "project.accept-transfer",
  "project.enable",
  "project.disable",
  "tagkey.remove",
  "projectkey.create",
  "projectkey.edit",
  "projectkey.remove",
  "projectkey.change",
  "sso.enable",
  "sso.disable",
  "sso.edit",
  "sso-identity.link",
  "api-key.create",
  "api-key.edit",
  "api-key.remove",
  "rule.create",
  "rule.edit",
  "rule.remove",
  "rule.mute",
  "rule.disable",
  "servicehook.create",
  "servicehook.edit",
  "servicehook.remove",
  "integration.disable",
  "integration.upgrade",
  "integration.add",
  "integration.edit",
  "integration.remove",
  "integration.rotate-client-secret",
  "sentry-app.add",
  "sentry-app.remove",
  "sentry-app.install",
  "sentry-app.uninstall",
  "monitor.add",
  "monitor.edit",
  "monitor.remove",
  "monitor.environment.remove",
  "monitor.environment.edit",
  "internal-integration.create",
  "internal-integration.disable",
  "internal-integration.add-token",
  "internal-integration.remove-token",
  "invite-request.create",
  "invite-request.remove",
  "invite.remove",
  "alertrule.create",
  "alertrule.edit",
  "alertrule.remove",
  "alertrule.mute",
  "sampling_priority.enabled",
  "sampling_priority.disabled",
  "notification_action.create",
  "notification_action.edit",
  "notification_action.remove",
  "team-and-project.created",
  "org-auth-token.create",
  "org-auth-token.remove",
  "project.change-performance-issue-detection",
  "project.ownership-rule.edit",
  "project-team.remove",
  "project-team.add",
  "metric.block",
  "metric.tags.block",
  "metric.unblock",
  "metric.tags.unblock",
  "issue.delete",
  "span_extraction_rule_config.create",
  "span_extraction_rule_config.update",
  "span_extraction_rule_config.delete",
  "project_template.create",
  "uptime_monitor.add",
  "uptime_monitor.edit",
  "uptime_monitor.remove",
  "member.reinvite",
  "detector.add",
  "detector.edit",
  "detector.remove",
  "workflow.add",
  "workflow.edit",
  "workflow.remove",
  "detector_workflow.add",
  "detector_workflow.remove",
  "playstation-client-id.create",
  "playstation-client-id.remove",
  "project.create-with-origin",
  "replay-deletion-jobs.start",
  "replay-deletion-jobs.stop",
  "org.console-platform.edit",
  "autofix-settings.edit",
]);

export interface AuditInput {
  event: string;
  actorUserId: number | null;
  actorLabel: string;
  ipAddress: string | null;
  targetObject: number | null;
  targetUserId?: number | null;
  data: Record<string, unknown>;
}

/** Appends an entry stamped `ms`; keeps the list sorted by (ms, id) even when the clock stands still. */
export function writeAudit(world: World, org: Org, input: AuditInput, ms: number): AuditEntry {
  materialiseHistory(world, org);
  const entry: AuditEntry = { id: world.nextId("audit"), ms, targetUserId: input.targetUserId ?? null, ...input };
  const last = org.audit[org.audit.length - 1];
  if (!last || last.ms <= ms) org.audit.push(entry);
  else {
    let index = org.audit.length;
    while (index > 0 && (org.audit[index - 1] as AuditEntry).ms > ms) index--;
    org.audit.splice(index, 0, entry);
  }
  return entry;
}

const HISTORY_EVENTS: Array<[string, number]> = [
  ["member.edit", 18],
  ["member.join-team", 16],
  ["member.leave-team", 8],
  ["member.invite", 10],
  ["member.add", 6],
  ["member.remove", 4],
  ["member.accept-invite", 5],
  ["project.edit", 12],
  ["team.edit", 4],
  ["team.create", 2],
  ["project-team.add", 4],
  ["project-team.remove", 2],
  ["sso-identity.link", 5],
  ["org.edit", 2],
  ["org-auth-token.create", 1],
  ["org-auth-token.remove", 1],
  ["projectkey.create", 2],
  ["alertrule.edit", 4],
];

/** Produces the fixture's generated history (deterministic from the seed) the first time it is needed. */
export function materialiseHistory(world: World, org: Org): void {
  const count = org.pendingAuditRows;
  if (count <= 0) return;
  org.pendingAuditRows = 0;
  const random = createRandom((world.auditSeed ^ org.id ^ 0xa0d17) >>> 0);
  const pool = org.historyPool ?? { actors: [], targets: [], teams: [], projects: [] };
  const { actors, targets, teams, projects } = pool;
  const total = HISTORY_EVENTS.reduce((sum, [, weight]) => sum + weight, 0);
  const span = 120 * DAY_MS;
  const start = world.builtAt - span;
  const rows: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    let roll = random.int(total);
    let event = "member.edit";
    for (const [name, weight] of HISTORY_EVENTS) {
      if (roll < weight) {
        event = name;
        break;
      }
      roll -= weight;
    }
    const actor = actors.length ? random.pick(actors) : undefined;
    const target = targets.length ? random.pick(targets) : undefined;
    const team = teams.length ? random.pick(teams) : undefined;
    const project = projects.length ? random.pick(projects) : undefined;
    const ms = Math.floor(start + ((i + random.next()) * span) / count);
    const data: Record<string, unknown> = event.startsWith("project")
      ? { slug: project?.slug ?? "project", team_slug: team?.slug ?? null }
      : event.startsWith("team")
        ? { slug: team?.slug ?? "team" }
        : { email: target?.email ?? "someone@example.com", role: target?.orgRole ?? "member", team_slug: team?.slug ?? null };
    rows.push({
      id: 0,
      ms,
      event,
      actorUserId: actor?.userId ?? null,
      actorLabel: actor?.name ?? "Sentry",
      ipAddress: `10.${random.int(256)}.${random.int(256)}.${1 + random.int(254)}`,
      targetObject: event.startsWith("project") ? (project?.id ?? null) : event.startsWith("team") ? (team?.id ?? null) : (target?.id ?? null),
      targetUserId: event.startsWith("member") ? (target?.userId ?? null) : null,
      data,
    });
  }
  rows.sort((a, b) => a.ms - b.ms);
  for (const row of rows) row.id = world.nextId("audit");
  org.audit.unshift(...rows);
}

/** The human text Sentry renders for an entry (`note`). */
export function auditNote(entry: AuditEntry): string {
  const d = entry.data;
  const s = (key: string) => String(d[key] ?? "");
  switch (entry.event) {
    case "member.invite":
      return `invited member ${s("email")}`;
    case "member.add":
      return `added member ${s("email")}`;
    case "member.accept-invite":
      return `accepted the membership invite`;
    case "member.edit":
      return `edited member ${s("email")} (role: ${s("role")}, teams: ${Array.isArray(d.teams) && d.teams.length ? d.teams.join(", ") : "N/A"})`;
    case "member.remove":
      return `removed member ${s("email")}`;
    case "member.join-team":
      return `added ${s("email")} to team ${s("team_slug")}`;
    case "member.leave-team":
      return `removed ${s("email")} from team ${s("team_slug")}`;
    case "member.reinvite":
      return `reinvited member ${s("email")}`;
    case "team.create":
      return `created team ${s("slug")}`;
    case "team.edit":
      return `edited team ${s("slug")}`;
    case "team.remove":
      return `removed team ${s("slug")}`;
    case "project-team.add":
      return `added team ${s("team_slug")} to project ${s("project_slug") || s("slug")}`;
    case "project-team.remove":
      return `removed team ${s("team_slug")} from project ${s("project_slug") || s("slug")}`;
    case "project.edit":
      return `edited project settings in ${s("slug")}`;
    case "org-auth-token.create":
      return `created org auth token ${s("name")}`;
    case "org-auth-token.remove":
      return `removed org auth token ${s("name")}`;
    default:
      return "";
  }
}
