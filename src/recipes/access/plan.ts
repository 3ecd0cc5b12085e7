/**
 * `planAccess`: the peribolos shape — read the org once with list calls, diff per area, order the steps, put what
 * the token cannot do under `blocked`, check the safety rails, fingerprint the live state.
 */
import type { SentryClient } from "../../client.js";
import { isPermissionError } from "../../http/errors/errors.js";
import { type NowOption, resolveNow } from "../shared/clock.js";
import { orderChanges } from "../engine/changes.js";
import { diffAccess } from "./diff.js";
import { explainPlan, type ExplainOptions, readAuditWindow } from "./causes.js";
import { AccessPlanError } from "./errors.js";
import { fingerprintOf, type LiveState, readLiveState } from "./live.js";
import { blockReason, type Caller, callerOf, readToken } from "./preflight.js";
import { invalidAccessFile } from "./parse.js";
import { referenceIssues } from "./references.js";
import { checkRails } from "./rails.js";
import type { AccessChange, AccessConfig, AccessPlan, BlockedChange } from "./types.js";

/** Sentry's invitation limits per day (facts §3; `src/sentry/ratelimits/utils.py`). */
export interface InviteLimits {
  perOrg: number;
  perUser: number;
  perEmail: number;
}

/** Options of {@link planAccess}. */
export interface PlanAccessOptions {
  /** The clock for `until` (default: now). */
  now?: NowOption;
  signal?: AbortSignal;
  /** Team member lists read at once (default 16; the client's limiter still applies). */
  concurrency?: number;
  /** Default: Sentry's 100 per organization, 100 per user, 10 per email, each per day. */
  inviteLimits?: Partial<InviteLimits>;
  /**
   * Count the invitations of the last 24 hours from the audit log against the limits (default true). Needs
   * `org:write`; without it the plan says so in `notes` and counts from zero.
   */
  inviteHistory?: boolean;
  /**
   * Keep only the changes this accepts (before blocking and rails), e.g. `(c) => c.expired !== undefined` for the
   * removals of time-bound access that has ended — what `sentry-rbac expire` applies.
   */
  only?: (change: AccessChange) => boolean;
  /**
   * Give every change the audit-log row that made the difference it undoes (`cause`), reading the audit log once
   * for the window (`true`: the default window, see {@link readAuditWindow}); a declared member whom the SCIM
   * integration removed is then listed under `idpOwned` instead of being invited back. Default false.
   */
  causes?: boolean | ExplainOptions;
  /** The organization as already read (`readLiveState`), so a caller that needs it too reads it once. */
  live?: LiveState;
  /** Called after the read and after the plan. */
  onProgress?: (progress: { phase: "read" | "plan"; requests: number }) => void;
}

const DEFAULT_LIMITS: InviteLimits = { perOrg: 100, perUser: 100, perEmail: 10 };

/** Position of a change in the apply order: the engine's (teams, links, invites and roles, memberships, reductions). */
export { phaseOf } from "../engine/changes.js";

async function inviteHistory(sentry: SentryClient, now: Date, notes: string[]): Promise<Array<{ actor: string | undefined; email: string | undefined }>> {
  const since = new Date(now.getTime() - 86_400_000);
  const rows: Array<{ actor: string | undefined; email: string | undefined }> = [];
  try {
    for (const event of ["member.invite", "member.reinvite"] as const) {
      for await (const row of sentry.auditLogs.list({ event, since })) {
        const actor = (row.actor as { id?: unknown } | null | undefined)?.id;
        const email = (row.data as { email?: unknown } | null | undefined)?.email;
        rows.push({ actor: actor === undefined ? undefined : String(actor), email: typeof email === "string" ? email.toLowerCase() : undefined });
      }
    }
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    notes.push("the token cannot read the audit log (org:write), so today's earlier invitations are not counted against Sentry's limits");
  }
  return rows;
}

/** Moves invites beyond Sentry's daily limits to `blocked`, saying which limit, before anything is sent. */
function capInvites(
  changes: AccessChange[],
  blocked: BlockedChange[],
  history: Array<{ actor: string | undefined; email: string | undefined }>,
  limits: InviteLimits,
  userId: string | null,
): AccessChange[] {
  let org = history.length;
  let user = userId === null ? 0 : history.filter((h) => h.actor === userId).length;
  const perEmail = new Map<string, number>();
  for (const h of history) if (h.email) perEmail.set(h.email, (perEmail.get(h.email) ?? 0) + 1);
  return changes.filter((change) => {
    if (change.kind !== "member" || (change.action !== "invite" && change.action !== "reinvite")) return true;
    const email = (change.email ?? "").toLowerCase();
    const sentToEmail = perEmail.get(email) ?? 0;
    let reason: string | undefined;
    if (org >= limits.perOrg)
      reason = `Sentry's invitation limit: ${limits.perOrg} per organization per day (${history.length} sent in the last 24 h); plan and apply again tomorrow`;
    else if (userId !== null && user >= limits.perUser) reason = `Sentry's invitation limit: ${limits.perUser} per user per day`;
    else if (sentToEmail >= limits.perEmail) reason = `Sentry's invitation limit: ${limits.perEmail} per email per organization per day`;
    if (reason) {
      blocked.push({ ...change, reason });
      return false;
    }
    org++;
    user++;
    perEmail.set(email, sentToEmail + 1);
    return true;
  });
}

/** Changes that need a team create which is blocked are blocked too. */
function blockDependents(changes: AccessChange[], blocked: BlockedChange[]): AccessChange[] {
  const missing = new Set(blocked.filter((b) => b.kind === "team" && b.action === "create").map((b) => b.team));
  if (missing.size === 0) return changes;
  return changes.filter((change) => {
    const team = change.team;
    if (change.kind === "team" || team === undefined || !missing.has(team)) return true;
    blocked.push({ ...change, reason: `needs team ${team}, whose creation is blocked` });
    return false;
  });
}

async function knownProjects(sentry: SentryClient, config: AccessConfig, live: LiveState): Promise<Set<string>> {
  const known = new Set([...live.teams.values()].flatMap((t) => t.projects));
  const wanted = Object.values(config.teams).flatMap((t) => t.projects ?? []);
  if (wanted.every((p) => known.has(p))) return known;
  // Only projects no team has yet need the project list.
  for await (const page of sentry.org.projects.list({ perPage: 100 }).pages()) {
    live.stats.requests++;
    for (const p of page.items) known.add(p.slug);
  }
  return known;
}

/** Grants applied with `grant --now` (outside a plan), named for after-the-fact review while they last. */
function breakGlassNotes(config: AccessConfig): string[] {
  const notes: string[] = [];
  for (const [email, member] of Object.entries(config.members)) {
    if (member.elevated?.breakGlass) {
      notes.push(
        `break-glass: ${email} was made ${member.elevated.role} at ${member.elevated.breakGlass} outside a plan (until ${member.elevated.until}${member.elevated.reason ? `, ${member.elevated.reason}` : ""}): review it`,
      );
    }
    for (const [team, membership] of Object.entries(member.teams ?? {})) {
      if (membership.breakGlass) {
        notes.push(
          `break-glass: ${email} was put on ${team}${membership.role ? ` as ${membership.role}` : ""} at ${membership.breakGlass} outside a plan (until ${membership.until ?? "-"}${membership.reason ? `, ${membership.reason}` : ""}): review it`,
        );
      }
    }
  }
  return notes;
}

/**
 * Computes the plan that makes `config.organization` match the file. Reads only (list calls and the API root).
 * Nothing is planned for a file with a reference to nothing (a typo would plan the removal of what it meant).
 * @example
 * const plan = await planAccess(sentry, parseAccessConfig(text));
 * if (plan.violations.length === 0 && plan.changes.length > 0) await applyAccessPlan(sentry, plan);
 * @throws {AccessPlanError} (`token`) for an org auth token, which can neither read members nor change access.
 * @throws {ValidationError} (nothing sent but reads; `isAccessFileError` is true) when the file refers to a project,
 *   team or member that exists neither in the file nor in Sentry: each with its line, column and a "did you mean".
 * @throws {PermissionError} when the token may not list teams or members.
 */
export async function planAccess(sentry: SentryClient, config: AccessConfig, options: PlanAccessOptions = {}): Promise<AccessPlan> {
  const org = sentry.withOrg(config.organization);
  const now = resolveNow(options.now);
  const token = await readToken(org);
  if (token.kind === "org") {
    throw new AccessPlanError(
      "token",
      "org auth tokens (sntrys_) carry only org:ci: they can neither read members nor change access",
      "Use a user token (sntryu_) of an owner or manager with member:admin, team:admin, project:admin and org:write.",
    );
  }
  const explain = options.causes === undefined || options.causes === false ? undefined : options.causes === true ? {} : options.causes;
  const [live, window] = await Promise.all([
    options.live ?? readLiveState(org, { signal: options.signal, concurrency: options.concurrency ?? 25 }),
    explain ? readAuditWindow(org, { now, userId: token.userId, ...(options.signal ? { signal: options.signal } : {}), ...explain }) : undefined,
  ]);
  live.stats.requests++; // the API root
  options.onProgress?.({ phase: "read", requests: live.stats.requests });
  const caller: Caller = callerOf(token, live);
  const projects = await knownProjects(org, config, live);
  const unknown = referenceIssues(config, live, projects, now);
  if (unknown.length > 0) throw invalidAccessFile(unknown, "the access file refers to what does not exist");
  const diff = diffAccess(config, live, { now, caller: token.kind === "user" || token.kind === "unknown" ? caller.member : undefined });
  const only = options.only;
  const blocked: BlockedChange[] = [];
  let changes = (only ? diff.changes.filter(only) : diff.changes).filter((change) => {
    const reason = blockReason(caller, change, live);
    if (reason) blocked.push({ ...change, reason });
    return reason === undefined;
  });
  changes = blockDependents(changes, blocked);
  const notes: string[] = [...diff.notes, ...breakGlassNotes(config)];
  if (changes.some((c) => c.action === "invite" || c.action === "reinvite")) {
    const history = options.inviteHistory === false ? [] : await inviteHistory(org, now, notes);
    changes = capInvites(changes, blocked, history, { ...DEFAULT_LIMITS, ...options.inviteLimits }, token.userId);
  }
  changes = orderChanges(changes);
  const violations = checkRails(changes, live, config.policy, caller.member, blocked);
  options.onProgress?.({ phase: "plan", requests: live.stats.requests });
  const plan: AccessPlan = {
    kind: "sentry-rbac.access-plan",
    version: 1,
    organization: config.organization,
    createdAt: now.toISOString(),
    fingerprint: fingerprintOf(live),
    changes,
    blocked,
    idpOwned: diff.idpOwned,
    unmanaged: diff.unmanaged,
    pending: diff.pending,
    expiring: diff.expiring,
    violations,
    capabilities: caller.capabilities,
    notes,
    stats: live.stats,
  };
  return window ? explainPlan(plan, window) : plan;
}
