/**
 * The record formats of the audit stream: Sentry's row as is, OCSF 1.x (one IAM class per event, see
 * docs/audit-stream.md for the table) and the Elastic Common Schema. Every record carries the Sentry row id
 * (`id`, `metadata.uid`, `event.id`) so a SIEM can drop the one repeat an unacknowledged sink may see.
 */
import type { AuditLogEntry } from "../../../resources/audit-logs.js";
import type { AuditAlert } from "./detect.js";

/** The output formats of `tailAuditLog`. */
export type AuditStreamFormat = "sentry" | "ocsf" | "ecs";

/** Options shared by {@link toOcsf} and {@link toEcs}. */
export interface AuditFormatOptions {
  /** The organization slug, recorded as the tenant / `organization.name`. */
  org?: string;
}

/** An OCSF event (the attributes this mapping fills; all values are JSON). */
export interface OcsfEvent {
  activity_id: number;
  activity_name: string;
  category_uid: 3;
  category_name: "Identity & Access Management";
  class_uid: number;
  class_name: string;
  type_uid: number;
  severity_id: 1;
  time: number;
  message: string;
  metadata: { uid: string; version: string; product: { name: string; vendor_name: string }; event_code: string; tenant_uid?: string; original_time: string };
  actor: { user: OcsfUser };
  src_endpoint?: { ip: string };
  user?: OcsfUser;
  group?: { name: string; uid?: string };
  privileges?: string[];
  entity?: { name: string; type: string; uid?: string };
  service?: { name: string };
  unmapped: { data: Record<string, unknown>; target_object: number | null };
}

/** An OCSF user object (at least one of name / uid is always set). */
export interface OcsfUser {
  name: string;
  uid?: string;
  email_addr?: string;
}

/** An ECS document (the fields this mapping fills). */
export interface EcsEvent {
  "@timestamp": string;
  ecs: { version: string };
  message: string;
  event: { id: string; kind: "event"; category: string[]; type: string[]; action: string; provider: "sentry"; module: "sentry"; dataset: "sentry.audit" };
  user: { id?: string; name: string; email?: string; target?: { id?: string; name: string; email?: string } };
  source?: { ip: string };
  organization?: { name: string };
  sentry: { audit: { data: Record<string, unknown>; target_object: number | null } };
}

export const OCSF_VERSION = "1.1.0";
export const ECS_VERSION = "8.11.0";

interface OcsfClass {
  uid: number;
  name: string;
}
const ACCOUNT_CHANGE: OcsfClass = { uid: 3001, name: "Account Change" };
const AUTHENTICATION: OcsfClass = { uid: 3002, name: "Authentication" };
const ENTITY_MANAGEMENT: OcsfClass = { uid: 3004, name: "Entity Management" };
const USER_ACCESS: OcsfClass = { uid: 3005, name: "User Access Management" };
const GROUP_MANAGEMENT: OcsfClass = { uid: 3006, name: "Group Management" };

/** Event → OCSF class and activity (id, name). Events not listed are Entity Management, activity from the verb. */
const OCSF_EVENTS: Record<string, [OcsfClass, number, string]> = {
  "member.invite": [ACCOUNT_CHANGE, 1, "Create"],
  "member.add": [ACCOUNT_CHANGE, 1, "Create"],
  "member.accept-invite": [ACCOUNT_CHANGE, 2, "Enable"],
  "member.remove": [ACCOUNT_CHANGE, 6, "Delete"],
  "member.pending": [ACCOUNT_CHANGE, 99, "Other"],
  "member.reinvite": [ACCOUNT_CHANGE, 99, "Other"],
  "member.edit": [USER_ACCESS, 1, "Assign Privileges"],
  "member.join-team": [GROUP_MANAGEMENT, 3, "Add User"],
  "member.leave-team": [GROUP_MANAGEMENT, 4, "Remove User"],
  "sso-identity.link": [AUTHENTICATION, 99, "Other"],
};

function verbActivity(event: string): [number, string] {
  const verb = event.slice(event.lastIndexOf(".") + 1);
  if (/^(create|add|install|enable|enabled|created|start|add-token)$/.test(verb)) return [1, "Create"];
  if (/^(remove|delete|uninstall|disable|disabled|remove-token|stop)$/.test(verb)) return [4, "Delete"];
  if (/^(edit|change|update|upgrade|mute|rotate-client-secret)$/.test(verb)) return [3, "Update"];
  return [99, "Other"];
}

function classify(row: AuditLogEntry): [OcsfClass, number, string] {
  const known = OCSF_EVENTS[row.event];
  if (known) return known;
  // A team given an org role is a privilege grant to a group (Team.get_audit_log_data carries org_role).
  if (row.event === "team.edit" && typeof row.data.org_role === "string" && row.data.org_role !== "") return [GROUP_MANAGEMENT, 1, "Assign Privileges"];
  return [ENTITY_MANAGEMENT, ...verbActivity(row.event)];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

interface Person {
  id: string | undefined;
  name: string;
  email: string | undefined;
}

function actorOf(row: AuditLogEntry): Person {
  const actor = row.actor as Record<string, unknown>;
  const id = actor.id === undefined || actor.id === null ? undefined : String(actor.id);
  const email = text(actor.email);
  return { id, email, name: text(actor.username) ?? email ?? text(actor.name) ?? "unknown" };
}

function targetOf(row: AuditLogEntry): Person | undefined {
  const target = row.targetUser as unknown;
  const dataEmail = text(row.data.email);
  if (target !== null && typeof target === "object") {
    const t = target as Record<string, unknown>;
    const email = text(t.email) ?? dataEmail;
    return { id: t.id === undefined ? undefined : String(t.id), email, name: text(t.username) ?? email ?? text(t.name) ?? "unknown" };
  }
  if (typeof target === "number") return { id: String(target), email: dataEmail, name: dataEmail ?? String(target) };
  return dataEmail === undefined ? undefined : { id: undefined, email: dataEmail, name: dataEmail };
}

function ocsfUser(person: Person): OcsfUser {
  return { name: person.name, ...(person.id === undefined ? {} : { uid: person.id }), ...(person.email === undefined ? {} : { email_addr: person.email }) };
}

function entityType(event: string): string {
  return event.slice(0, event.lastIndexOf(".")) || event;
}

/**
 * Maps an audit-log row to an OCSF 1.x IAM event (class per event as in docs/audit-stream.md).
 * @example
 * const event = toOcsf(row, { org: "acme" });
 * console.log(event.class_name, event.type_uid); // "User Access Management" 300501
 */
export function toOcsf(row: AuditLogEntry, options: AuditFormatOptions = {}): OcsfEvent {
  const [cls, activityId, activityName] = classify(row);
  const actor = actorOf(row);
  const target = targetOf(row);
  const time = Date.parse(row.dateCreated);
  const event: OcsfEvent = {
    activity_id: activityId,
    activity_name: activityName,
    category_uid: 3,
    category_name: "Identity & Access Management",
    class_uid: cls.uid,
    class_name: cls.name,
    type_uid: cls.uid * 100 + activityId,
    severity_id: 1,
    time,
    message: row.note || row.event,
    metadata: {
      uid: String(row.id),
      version: OCSF_VERSION,
      product: { name: "Sentry", vendor_name: "Sentry" },
      event_code: row.event,
      original_time: row.dateCreated,
      ...(options.org === undefined ? {} : { tenant_uid: options.org }),
    },
    actor: { user: ocsfUser(actor) },
    ...(row.ipAddress ? { src_endpoint: { ip: row.ipAddress } } : {}),
    unmapped: { data: row.data, target_object: row.targetObject ?? null },
  };
  const subject = target ?? { id: row.targetObject == null ? undefined : String(row.targetObject), name: text(row.data.email) ?? "unknown", email: undefined };
  switch (cls.uid) {
    case 3001:
      event.user = ocsfUser(subject);
      break;
    case 3002:
      event.user = ocsfUser(target ?? actor);
      event.service = { name: "Sentry SSO" };
      break;
    case 3005:
      event.user = ocsfUser(subject);
      event.privileges = [`role:${text(row.data.role) ?? "unknown"}`];
      break;
    case 3006: {
      const slug = text(row.data.team_slug) ?? text(row.data.slug) ?? "unknown";
      event.group = { name: slug, ...(row.targetObject == null ? {} : { uid: String(row.targetObject) }) };
      if (row.event === "team.edit") event.privileges = [`org_role:${String(row.data.org_role)}`];
      else event.user = ocsfUser(subject);
      break;
    }
    default: {
      const name = text(row.data.slug) ?? text(row.data.name) ?? text(row.data.label) ?? text(row.data.provider) ?? text(row.data.sentry_app) ?? row.event;
      event.entity = { name, type: entityType(row.event), ...(row.targetObject == null ? {} : { uid: String(row.targetObject) }) };
    }
  }
  return event;
}

const ECS_CATEGORY_IAM = /^(member|team|sso|sso-identity|api-key|org-auth-token|internal-integration|invite|invite-request)\./;

const ECS_CHANGE: Record<string, string> = {
  "member.invite": "creation",
  "member.accept-invite": "change",
  "member.join-team": "change",
  "member.leave-team": "change",
  "member.pending": "info",
  "member.reinvite": "info",
  "sso-identity.link": "change",
};

function ecsTypes(row: AuditLogEntry): string[] {
  const subject = row.event.startsWith("member.join-team") || row.event.startsWith("member.leave-team") || row.event.startsWith("team.") ? "group" : "user";
  const [activityId] = verbActivity(row.event);
  const change = ECS_CHANGE[row.event] ?? (activityId === 1 ? "creation" : activityId === 4 ? "deletion" : activityId === 99 ? "info" : "change");
  const types = [subject, change];
  const role = text(row.data.role);
  if ((row.event === "member.edit" && role !== undefined && role !== "member") || (row.event === "team.edit" && text(row.data.org_role) !== undefined))
    types.push("admin");
  return types;
}

/**
 * Maps an audit-log row to an Elastic Common Schema document (`event.category: ["iam"]`).
 * @example
 * const doc = toEcs(row, { org: "acme" });
 * console.log(doc.event.action, doc.event.type); // "member.edit" ["user", "change", "admin"]
 */
export function toEcs(row: AuditLogEntry, options: AuditFormatOptions = {}): EcsEvent {
  const actor = actorOf(row);
  const target = targetOf(row);
  const iam = ECS_CATEGORY_IAM.test(row.event);
  return {
    "@timestamp": new Date(Date.parse(row.dateCreated)).toISOString(),
    ecs: { version: ECS_VERSION },
    message: row.note || row.event,
    event: {
      id: String(row.id),
      kind: "event",
      category: iam ? ["iam"] : ["iam", "configuration"],
      type: iam ? ecsTypes(row) : ecsTypes(row).filter((t) => t !== "user" && t !== "group" && t !== "admin"),
      action: row.event,
      provider: "sentry",
      module: "sentry",
      dataset: "sentry.audit",
    },
    user: {
      name: actor.name,
      ...(actor.id === undefined ? {} : { id: actor.id }),
      ...(actor.email === undefined ? {} : { email: actor.email }),
      ...(target === undefined
        ? {}
        : {
            target: {
              name: target.name,
              ...(target.id === undefined ? {} : { id: target.id }),
              ...(target.email === undefined ? {} : { email: target.email }),
            },
          }),
    },
    ...(row.ipAddress ? { source: { ip: row.ipAddress } } : {}),
    ...(options.org === undefined ? {} : { organization: { name: options.org } }),
    sentry: { audit: { data: row.data, target_object: row.targetObject ?? null } },
  };
}

/**
 * An alert as an OCSF 1.1 Detection Finding (class 2004, category Findings): `finding_info` names the rule and lists
 * the triggering rows as `related_events` (their `uid` is the row's `metadata.uid` in the OCSF stream).
 */
export interface OcsfDetectionFinding {
  activity_id: 1;
  activity_name: "Create";
  category_uid: 2;
  category_name: "Findings";
  class_uid: 2004;
  class_name: "Detection Finding";
  type_uid: 200401;
  type_name: "Detection Finding: Create";
  severity_id: number;
  severity: string;
  status_id: 1;
  status: "New";
  time: number;
  message: string;
  metadata: { uid: string; version: string; product: { name: string; vendor_name: string }; tenant_uid?: string };
  finding_info: {
    uid: string;
    title: string;
    analytic: { uid: string; name: string; type_id: 1; type: "Rule" };
    related_events: Array<{ uid: string; product_uid: "sentry" }>;
    last_seen_time: number;
  };
  unmapped: { actor: string; event: string };
}

/** An alert as an ECS document: `event.kind: "alert"`, `rule.*`, the triggering rows in `sentry.alert.rows`. */
export interface EcsAlert {
  "@timestamp": string;
  ecs: { version: string };
  message: string;
  event: {
    id: string;
    kind: "alert";
    category: ["iam"];
    type: ["info"];
    action: string;
    severity: number;
    provider: "sentry";
    module: "sentry";
    dataset: "sentry.audit";
  };
  rule: { id: string; name: string };
  user: { name: string };
  organization?: { name: string };
  sentry: { alert: { rows: string[]; severity: string } };
}

// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical (ECS event.severity reuses the number).
const SEVERITY_IDS: Record<string, number> = { low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAMES: Record<number, string> = { 2: "Low", 3: "Medium", 4: "High", 5: "Critical" };

/**
 * Maps an alert to an OCSF Detection Finding.
 * @example const finding = alertToOcsf(alert, { org: "acme" }); finding.finding_info.related_events // [{ uid: "1234", ... }]
 */
export function alertToOcsf(alert: AuditAlert, options: AuditFormatOptions = {}): OcsfDetectionFinding {
  const severityId = SEVERITY_IDS[alert.severity] ?? 3;
  const time = Date.parse(alert.time);
  return {
    activity_id: 1,
    activity_name: "Create",
    category_uid: 2,
    category_name: "Findings",
    class_uid: 2004,
    class_name: "Detection Finding",
    type_uid: 200401,
    type_name: "Detection Finding: Create",
    severity_id: severityId,
    severity: SEVERITY_NAMES[severityId] ?? "Medium",
    status_id: 1,
    status: "New",
    time,
    message: alert.title,
    metadata: {
      uid: alert.id,
      version: OCSF_VERSION,
      product: { name: "Sentry", vendor_name: "Sentry" },
      ...((options.org ?? alert.org) ? { tenant_uid: options.org ?? alert.org } : {}),
    },
    finding_info: {
      uid: alert.id,
      title: alert.title,
      analytic: { uid: alert.rule, name: alert.rule, type_id: 1, type: "Rule" },
      related_events: alert.rows.map((uid) => ({ uid, product_uid: "sentry" as const })),
      last_seen_time: time,
    },
    unmapped: { actor: alert.actor, event: alert.event },
  };
}

/**
 * Maps an alert to an ECS alert document.
 * @example const doc = alertToEcs(alert); doc.event.kind // "alert"
 */
export function alertToEcs(alert: AuditAlert, options: AuditFormatOptions = {}): EcsAlert {
  const org = options.org ?? alert.org;
  return {
    "@timestamp": new Date(Date.parse(alert.time)).toISOString(),
    ecs: { version: ECS_VERSION },
    message: alert.title,
    event: {
      id: alert.id,
      kind: "alert",
      category: ["iam"],
      type: ["info"],
      action: alert.event,
      severity: SEVERITY_IDS[alert.severity] ?? 3,
      provider: "sentry",
      module: "sentry",
      dataset: "sentry.audit",
    },
    rule: { id: alert.rule, name: alert.title },
    user: { name: alert.actor },
    ...(org === undefined ? {} : { organization: { name: org } }),
    sentry: { alert: { rows: [...alert.rows], severity: alert.severity } },
  };
}

/** An alert in the chosen format (the `sentry` format keeps the alert object as is). */
export function formatAlert(alert: AuditAlert, format: AuditStreamFormat, options: AuditFormatOptions): unknown {
  if (format === "ocsf") return alertToOcsf(alert, options);
  if (format === "ecs") return alertToEcs(alert, options);
  return alert;
}

/** A row in the chosen format. */
export function formatRow(row: AuditLogEntry, format: AuditStreamFormat, options: AuditFormatOptions): unknown {
  if (format === "ocsf") return toOcsf(row, options);
  if (format === "ecs") return toEcs(row, options);
  return row;
}

/**
 * The key a record is deduplicated by: the Sentry row id of a row in any format, `alert:<id>` for an alert (in any
 * format: a bare alert, an OCSF Detection Finding, an ECS `event.kind: alert`).
 * Used by the file sink when it reads its own tail on restart.
 */
export function recordKey(record: unknown): string | undefined {
  if (record === null || typeof record !== "object") return undefined;
  const r = record as Record<string, unknown>;
  if (r.type === "alert" && typeof r.id === "string") return `alert:${r.id}`;
  const meta = r.metadata as Record<string, unknown> | undefined;
  if (r.class_uid === 2004 && meta && typeof meta.uid === "string") return `alert:${meta.uid}`;
  const kind = (r.event as Record<string, unknown> | undefined)?.kind;
  if (kind === "alert" && typeof (r.event as Record<string, unknown>).id === "string") return `alert:${String((r.event as Record<string, unknown>).id)}`;
  if (meta && typeof meta.uid === "string") return meta.uid;
  const event = r.event as Record<string, unknown> | undefined;
  if (event && typeof event === "object" && typeof event.id === "string") return event.id;
  return typeof r.id === "string" ? r.id : undefined;
}
