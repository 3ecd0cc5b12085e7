/**
 * Drift with its cause: for each difference a plan would undo, the audit-log row that made it. The audit log is read
 * once per run, newest first, only for the window (its pages end at `since`); a difference no row in the window
 * explains has `cause: null`. Event names and data keys: Sentry's `audit_log/register.py` and the models'
 * `get_audit_log_data` (`email`, `team_slug`, `project_slug`, `slug`, `role`, `teams_slugs`).
 */
import type { SentryClient } from "../../client.js";
import { isPermissionError, ValidationError } from "../../http/errors/errors.js";
import type { AuditLogEntry } from "../../resources/audit-logs.js";
import { type NowOption, resolveNow } from "../shared/report.js";
import { readToken } from "./preflight.js";
import type { AccessChange, AccessPlan, ChangeCause, IdpOwnedEntry, UnmanagedEntry } from "./types.js";

/** Days the default window reaches back when this tool's last apply is older (or not in the log). */
export const DRIFT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** Options of {@link explainPlan}. */
export interface ExplainOptions {
  /**
   * Start of the window. Default: the newer of 30 days ago and the last row made by this token's user (the last
   * apply, since the applying token makes every change of an apply).
   */
  since?: Date | string;
  now?: NowOption;
  signal?: AbortSignal;
  /** The token's user id when the caller already read it (the API root); undefined: read it here. */
  userId?: string | null;
}

/** The audit rows read for a window, with what the read learned. */
export interface AuditWindow {
  since: string;
  until: string;
  /** Rows in the window, newest first. */
  rows: AuditLogEntry[];
  /** Why the window starts where it does. */
  basis: "option" | "last-apply" | "default";
  /** False when the token may not read the audit log (org:write); every cause is then null. */
  readable: boolean;
}

type Row = AuditLogEntry;

function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

function dataOf(row: Row): Record<string, unknown> {
  return typeof row.data === "object" && row.data !== null ? row.data : {};
}

function emailOf(row: Row): string {
  return text(dataOf(row).email).toLowerCase();
}

function actorRecord(row: Row): Record<string, unknown> {
  return typeof row.actor === "object" && row.actor !== null ? row.actor : {};
}

/**
 * Who acted and how: the SCIM integration, Sentry itself (no actor), an integration or API key (a name, no email),
 * or a person.
 */
export function causeOf(row: Row, via?: ChangeCause["via"]): ChangeCause {
  const actor = actorRecord(row);
  const email = text(actor.email);
  const name = text(actor.name);
  const how: ChangeCause["via"] =
    via ?? (/^SCIM Internal Integration/i.test(name) ? "scim" : email !== "" ? "user" : name === "" || name === "Sentry" ? "sentry" : "token");
  return { event: row.event, actor: email !== "" ? email : name !== "" ? name : "Sentry", time: text(row.dateCreated), via: how };
}

function teamOf(row: Row): string {
  const data = dataOf(row);
  return text(data.team_slug ?? data.slug);
}

function projectOf(row: Row): string {
  const data = dataOf(row);
  return text(data.project_slug ?? data.slug);
}

function slugsOf(row: Row): string[] | undefined {
  const slugs = dataOf(row).teams_slugs;
  return Array.isArray(slugs) ? slugs.map(text) : undefined;
}

const MEMBER_ADDED = new Set(["member.invite", "member.add", "member.accept-invite"]);

/** The newest row that made the live state a change (or entry) would undo, or null. */
function explain(rows: readonly Row[], kind: string, action: string, subject: string, change?: AccessChange): ChangeCause | null {
  const [first = "", second = ""] = subject.split("/");
  const team = change?.team ?? (kind === "team" ? subject : first);
  const email = (change?.email ?? (kind === "member" ? subject : kind === "team-member" ? second : "")).toLowerCase();
  const project = change?.project ?? second;
  const find = (match: (row: Row) => boolean) => rows.find(match);
  let row: Row | undefined;
  switch (`${kind}:${action}`) {
    case "team:create":
      row = find((r) => r.event === "team.remove" && teamOf(r) === team);
      break;
    case "team:update":
      row = find((r) => r.event === "team.edit" && teamOf(r) === team);
      break;
    case "team:delete":
    case "team:unmanaged":
      row = find((r) => r.event === "team.create" && teamOf(r) === team);
      break;
    case "project-team:add":
      row = find((r) => r.event === "project-team.remove" && teamOf(r) === team && projectOf(r) === project);
      break;
    case "project-team:remove":
      row = find((r) => r.event === "project-team.add" && teamOf(r) === team && projectOf(r) === project);
      break;
    case "member:invite":
      row = find((r) => r.event === "member.remove" && emailOf(r) === email);
      break;
    case "member:remove":
    case "member:unmanaged":
      row = find((r) => MEMBER_ADDED.has(r.event) && emailOf(r) === email);
      break;
    case "member:update":
    case "member:idp":
      row = find((r) => r.event === "member.edit" && emailOf(r) === email);
      break;
    case "team-member:add":
      row = find(
        (r) =>
          emailOf(r) === email &&
          ((r.event === "member.leave-team" && teamOf(r) === team) || (r.event === "member.edit" && slugsOf(r)?.includes(team) === false)),
      );
      break;
    case "team-member:remove": {
      row = find(
        (r) =>
          emailOf(r) === email &&
          ((r.event === "member.join-team" && teamOf(r) === team) || (r.event === "member.edit" && slugsOf(r)?.includes(team) === true)),
      );
      // Sentry puts a team's creator on it: the join comes with the creation, made by the same person.
      const created = find((r) => r.event === "team.create" && teamOf(r) === team);
      if (
        created &&
        causeOf(created).actor.toLowerCase() === email &&
        (!row || Math.abs(Date.parse(text(row.dateCreated)) - Date.parse(text(created.dateCreated))) <= 1_000)
      ) {
        return causeOf(created, "sentry");
      }
      break;
    }
    case "team-member:update":
      row = find((r) => r.event === "member.edit" && emailOf(r) === email);
      break;
    default:
      row = undefined;
  }
  return row ? causeOf(row) : null;
}

/** Whether the SCIM integration removed this member: the plan must not invite them back (the IdP decides). */
function removedByIdp(rows: readonly Row[], email: string): ChangeCause | undefined {
  const row = rows.find((r) => (r.event === "member.remove" || MEMBER_ADDED.has(r.event)) && emailOf(r) === email.toLowerCase());
  if (!row || row.event !== "member.remove") return undefined;
  const cause = causeOf(row);
  return cause.via === "scim" ? cause : undefined;
}

/**
 * Reads the audit rows of the drift window once. Without `since`, the window starts at the newer of 30 days ago and
 * the newest row made by this token's user (its last apply).
 * @example const window = await readAuditWindow(sentry.withOrg("acme"), { since: "2026-11-01" });
 */
export async function readAuditWindow(sentry: SentryClient, options: ExplainOptions = {}): Promise<AuditWindow> {
  const now = resolveNow(options.now);
  const explicit = options.since === undefined ? undefined : new Date(options.since);
  if (explicit && Number.isNaN(explicit.getTime())) throw ValidationError.forInput("since", `is not a date: ${String(options.since)}`);
  const floor = explicit ?? new Date(now.getTime() - DRIFT_WINDOW_DAYS * DAY_MS);
  const rows: Row[] = [];
  try {
    for await (const row of sentry.auditLogs.list({ since: floor, ...(options.signal ? { signal: options.signal } : {}) })) {
      if (Date.parse(text(row.dateCreated)) < floor.getTime()) break;
      rows.push(row);
    }
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    return { since: floor.toISOString(), until: now.toISOString(), rows: [], basis: explicit ? "option" : "default", readable: false };
  }
  if (explicit) return { since: floor.toISOString(), until: now.toISOString(), rows, basis: "option", readable: true };
  const me = options.userId !== undefined ? options.userId : (await readToken(sentry)).userId;
  const lastApply = me === null ? undefined : rows.find((r) => text(actorRecord(r).id) === me);
  if (!lastApply) return { since: floor.toISOString(), until: now.toISOString(), rows, basis: "default", readable: true };
  const start = Date.parse(text(lastApply.dateCreated));
  return {
    since: new Date(start).toISOString(),
    until: now.toISOString(),
    rows: rows.filter((r) => Date.parse(text(r.dateCreated)) > start),
    basis: "last-apply",
    readable: true,
  };
}

/**
 * A plan whose every change carries `cause` (the audit row that made the difference it undoes, or null); the
 * IdP-owned and unmanaged lists carry theirs too. A declared member whom the SCIM integration removed is moved from
 * `changes` (an invite that would fight the IdP) to `idpOwned`.
 * @example
 * const window = await readAuditWindow(org);
 * const explained = explainPlan(await planAccess(org, config), window);
 * for (const c of explained.changes) console.log(c.subject, c.cause?.actor ?? "unexplained");
 */
export function explainPlan(plan: AccessPlan, window: AuditWindow): AccessPlan {
  const rows = window.rows;
  const idpOwned: IdpOwnedEntry[] = plan.idpOwned.map((entry) => ({
    ...entry,
    cause: explain(rows, entry.kind, entry.kind === "member" ? "idp" : entry.kind === "team" ? "update" : "update", entry.subject),
  }));
  const changes: AccessChange[] = [];
  for (const change of plan.changes) {
    if (change.kind === "member" && change.action === "invite") {
      const scim = removedByIdp(rows, change.email ?? change.subject);
      if (scim) {
        idpOwned.push({
          kind: "member",
          subject: change.subject,
          reason: "removed by the identity provider (SCIM): not invited back; remove them from the file or re-assign them in the IdP",
          cause: scim,
        });
        continue;
      }
    }
    changes.push({ ...change, cause: change.expired ? null : explain(rows, change.kind, change.action, change.subject, change) });
  }
  const unmanaged: UnmanagedEntry[] = plan.unmanaged.map((entry) => ({ ...entry, cause: explain(rows, entry.kind, "unmanaged", entry.subject) }));
  const notes = window.readable ? plan.notes : [...plan.notes, "the token cannot read the audit log (org:write): drift is shown without causes"];
  return { ...plan, changes, idpOwned, unmanaged, notes };
}
