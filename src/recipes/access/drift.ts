/**
 * `driftAccess`: only the drift — where Sentry differs from the file — each difference with the audit-log row that
 * made it. Reads the organization once (as `planAccess` does) and the audit log once, for the window only; changes
 * nothing. Objects the identity provider owns are "managed elsewhere", not drift.
 */
import type { SentryClient } from "../../client.js";
import { type NowOption, resolveNow } from "../shared/report.js";
import { type AuditWindow, explainPlan, readAuditWindow } from "./causes.js";
import { type LiveState, readLiveState } from "./live.js";
import { planAccess } from "./plan.js";
import { describeChange } from "./render.js";
import type { AccessChange, AccessChangeKind, AccessConfig, AccessPlan, ChangeCause, IdpOwnedEntry } from "./types.js";

/** One difference between Sentry and the file. */
export interface DriftEntry {
  kind: AccessChangeKind;
  subject: string;
  /** What reverting it takes (a plan change), `keep` for a live object the additive policy leaves alone, `blocked` when the token cannot revert it. */
  revert: "change" | "keep" | "blocked";
  /** The change `apply` would make (absent for `keep`). */
  change?: AccessChange;
  /** In words: the change, or what is live and not declared. */
  summary: string;
  cause: ChangeCause | null;
}

/** What {@link driftAccess} found. */
export interface AccessDrift {
  kind: "sentry-rbac.access-drift";
  organization: string;
  window: { since: string; until: string; basis: AuditWindow["basis"]; auditRows: number; readable: boolean };
  drift: DriftEntry[];
  /** Differences the identity provider owns (SCIM), with their cause: not drift. */
  managedElsewhere: IdpOwnedEntry[];
  notes: string[];
  /** The live state's fingerprint (as the plan's): `apply` of the same file reverts exactly this drift while it holds. */
  fingerprint: string;
}

/** Options of {@link driftAccess}. */
export interface DriftAccessOptions {
  /** Start of the audit window (default: the newer of 30 days ago and this token's last apply). */
  since?: Date | string;
  now?: NowOption;
  signal?: AbortSignal;
}

const CREATOR = "Sentry adds a team's creator";

/** Whether a change is drift: not the end of a time-bound grant, not the creator's removal from a team the file creates. */
function isDrift(change: AccessChange): boolean {
  return change.expired === undefined && !(change.reason ?? "").startsWith(CREATOR);
}

/**
 * Computes drift from an explained plan (pure).
 * @example const drift = driftFromPlan(explainPlan(plan, window), window);
 */
export function driftFromPlan(plan: AccessPlan, window: AuditWindow): AccessDrift {
  const drift: DriftEntry[] = [];
  for (const change of plan.changes) {
    if (!isDrift(change)) continue;
    drift.push({ kind: change.kind, subject: change.subject, revert: "change", change, summary: describeChange(change), cause: change.cause ?? null });
  }
  for (const change of plan.blocked) {
    if (!isDrift(change)) continue;
    drift.push({
      kind: change.kind,
      subject: change.subject,
      revert: "blocked",
      change,
      summary: `${describeChange({ ...change, reason: "" })}: ${change.reason}`,
      cause: change.cause ?? null,
    });
  }
  for (const entry of plan.unmanaged) {
    drift.push({
      kind: entry.kind,
      subject: entry.subject,
      revert: "keep",
      summary: `live ${entry.kind} ${entry.subject} is not in the file${entry.detail ? ` (${entry.detail})` : ""}`,
      cause: entry.cause ?? null,
    });
  }
  return {
    kind: "sentry-rbac.access-drift",
    organization: plan.organization,
    window: { since: window.since, until: window.until, basis: window.basis, auditRows: window.rows.length, readable: window.readable },
    drift,
    managedElsewhere: plan.idpOwned,
    notes: plan.notes,
    fingerprint: plan.fingerprint,
  };
}

/**
 * {@link driftAccess} with what it read: the explained plan and the live state (for `adopt`).
 * @example const { drift, live } = await readDrift(sentry, config);
 */
export async function readDrift(
  sentry: SentryClient,
  config: AccessConfig,
  options: DriftAccessOptions = {},
): Promise<{ drift: AccessDrift; plan: AccessPlan; live: LiveState }> {
  const org = sentry.withOrg(config.organization);
  const now = resolveNow(options.now);
  const signal = options.signal;
  const [live, window] = await Promise.all([
    readLiveState(org, signal ? { signal } : {}),
    readAuditWindow(org, { now, ...(options.since !== undefined ? { since: options.since } : {}), ...(signal ? { signal } : {}) }),
  ]);
  const plan = explainPlan(await planAccess(sentry, config, { now, live, inviteHistory: false, ...(signal ? { signal } : {}) }), window);
  return { drift: driftFromPlan(plan, window), plan, live };
}

/**
 * Only the drift between `config` and its organization, each difference with the audit row that made it.
 * @example
 * const drift = await driftAccess(sentry, parseAccessConfig(text));
 * for (const d of drift.drift) console.log(d.summary, d.cause?.actor ?? "no row in the window");
 * @throws {AccessPlanError} (`token`) for an org auth token.
 */
export async function driftAccess(sentry: SentryClient, config: AccessConfig, options: DriftAccessOptions = {}): Promise<AccessDrift> {
  return (await readDrift(sentry, config, options)).drift;
}

// eslint-disable-next-line no-control-regex -- the point is to remove them
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const clean = (text: string | undefined) => (text ?? "").replace(CONTROL, "\uFFFD");

/**
 * A cause in words: `member.edit by kai@acme.test (user) at 2026-12-01T10:00:00Z`, or that no row explains it.
 * @example describeCause(change.cause ?? null)
 */
export function describeCause(cause: ChangeCause | null | undefined): string {
  if (cause === undefined) return "";
  if (cause === null) return "no audit row in the window explains it";
  return `${clean(cause.event)} by ${clean(cause.actor)} (${cause.via}) at ${clean(cause.time)}`;
}

/**
 * Drift as text for a terminal.
 * @example process.stdout.write(renderDriftText(await driftAccess(sentry, config)));
 */
export function renderDriftText(drift: AccessDrift): string {
  const lines = [
    `Drift in ${clean(drift.organization)} since ${drift.window.since.slice(0, 19)}Z (${drift.window.basis === "last-apply" ? "the last apply" : drift.window.basis === "option" ? "--since" : "30 days"}): ${drift.drift.length} difference(s).`,
  ];
  if (drift.drift.length === 0) lines.push("", "No drift: the organization matches the file.");
  for (const d of drift.drift) lines.push(`  ${clean(d.summary)}${d.revert === "keep" ? " [kept: additive]" : ""}`, `      cause: ${describeCause(d.cause)}`);
  if (drift.managedElsewhere.length > 0) {
    lines.push("", "Managed elsewhere (the identity provider; not drift):");
    for (const e of drift.managedElsewhere)
      lines.push(`  ${e.kind} ${clean(e.subject)}: ${clean(e.reason)}`, ...(e.cause ? [`      cause: ${describeCause(e.cause)}`] : []));
  }
  if (drift.notes.length > 0) lines.push("", "Notes:", ...drift.notes.map((n) => `  ${clean(n)}`));
  return `${lines.join("\n")}\n`;
}

const cell = (text: string | undefined) => clean(text).replace(/\|/g, "\\|").replace(/`/g, "'");

/**
 * Drift as markdown, for an issue or a pull-request comment.
 * @example await openIssue(renderDriftMarkdown(drift));
 */
export function renderDriftMarkdown(drift: AccessDrift): string {
  const out = [
    `### Sentry access drift in \`${cell(drift.organization)}\``,
    "",
    `**${drift.drift.length} difference(s)** since ${drift.window.since.slice(0, 10)}.`,
  ];
  if (drift.drift.length > 0) {
    out.push("", "| difference | revert | event | actor | via | time |", "| --- | --- | --- | --- | --- | --- |");
    for (const d of drift.drift) {
      const c = d.cause;
      out.push(`| ${cell(d.summary)} | ${d.revert} | ${cell(c?.event ?? "—")} | ${cell(c?.actor ?? "—")} | ${c?.via ?? "—"} | ${cell(c?.time ?? "—")} |`);
    }
  }
  if (drift.managedElsewhere.length > 0) {
    out.push("", "<details><summary>Managed elsewhere (identity provider)</summary>", "", "| kind | subject | reason | cause |", "| --- | --- | --- | --- |");
    for (const e of drift.managedElsewhere) out.push(`| ${e.kind} | ${cell(e.subject)} | ${cell(e.reason)} | ${cell(describeCause(e.cause ?? undefined))} |`);
    out.push("", "</details>");
  }
  out.push("", "<sub>keep it: `sentry-rbac adopt FILE` · revert it: `sentry-rbac apply FILE`</sub>");
  return `${out.join("\n")}\n`;
}
