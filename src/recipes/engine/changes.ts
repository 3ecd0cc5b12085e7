/**
 * The change vocabulary every workflow that changes access speaks, and the plan as data. A change is plain JSON
 * (a saved plan is read back with `JSON.parse`), names its object in Sentry's words, and says what it does.
 */
import { orgRoleDefinition, type OrgRole, type TeamRole } from "../../vocabulary/roles.js";

/** What a change is about: a team, a project link, a member (invite and org role), a team membership (and team role). */
export type ChangeKind = "team" | "project-team" | "member" | "team-member";

/**
 * What a change does: `create`/`update`/`delete` a team; `add`/`remove` a link or membership; `invite`, `reinvite`,
 * `update` (org role), `remove` or `deactivate` (through SCIM) a member; `update` a team role.
 */
export type ChangeAction = "create" | "add" | "update" | "remove" | "delete" | "invite" | "reinvite" | "deactivate";

/** One change. `subject` is a slug, an email, `team/project` or `team/email`. */
/**
 * The audit-log row that made the live difference a change undoes: `via` says how — a person (`user`), an API key or
 * integration (`token`), the identity provider (`scim`), or Sentry itself (`sentry`, e.g. a creator put on their team).
 */
export interface ChangeCause {
  event: string;
  /** Email of a person, or the name of an integration. */
  actor: string;
  /** ISO time of the row. */
  time: string;
  via: "user" | "token" | "scim" | "sentry";
}

/** One change of a plan, in Sentry's words; `subject` is a slug, an email, `team/project` or `team/email`. */
export interface Change {
  kind: ChangeKind;
  action: ChangeAction;
  subject: string;
  /** Why the plan makes this change (e.g. `until 2026-03-01 passed`, `not in the file (authoritative)`). */
  reason?: string;
  /** Something the reader should know (e.g. that Sentry ignores team roles on invites, or that it was already done). */
  note?: string;
  team?: string;
  project?: string;
  email?: string;
  /** Sentry's member id, for changes to an existing member. */
  memberId?: string;
  /** Team name (team create/update). */
  name?: string;
  /** The role before and after (member: org role; team-member: effective team role). */
  from?: string;
  to?: string;
  /** For member updates and invites: the complete team set to send (Sentry's PUT replaces it); absent = read it first. */
  teamRoles?: Array<{ team: string; role: TeamRole | null }>;
  /** Set when the change ends time-bound access whose `until` has passed (what `expire` applies). */
  expired?: { until: string; reason?: string };
  /** The audit row behind the live difference this change undoes; null when none in the window explains it. */
  cause?: ChangeCause | null;
}

/** A change the token (or the organization) cannot make, with the reason; never among a plan's `changes`. */
export interface BlockedChange extends Change {
  reason: string;
}

/** A difference the plan leaves to the identity provider (SCIM), with the reason. */
export interface IdpOwnedEntry {
  kind: ChangeKind;
  subject: string;
  reason: string;
  /** The audit row behind the difference (when the plan was explained). */
  cause?: ChangeCause | null;
}

/** A safety rail the plan breaks; such a plan is refused as a whole. */
export interface RailViolation {
  rail: "minOwners" | "requiredOwners" | "maxRemovals" | "self";
  message: string;
  /** The next step: the policy key to change, or how to split the change. */
  hint?: string;
}

/**
 * The plan as data: what the executor runs (`changes`), what it must not (`blocked`, `idpOwned`), whether it may
 * run at all (`violations`), and the hash of the state it was computed from (`fingerprint`), so a saved plan is
 * refused once that state changed.
 */
export interface ReconcilePlan {
  changes: Change[];
  blocked: BlockedChange[];
  idpOwned: IdpOwnedEntry[];
  /** Non-empty: the plan is refused as a whole. */
  violations: RailViolation[];
  /** `sha256:<hex>` of the state read; empty for a plan run in the same breath as it was computed. */
  fingerprint: string;
}

function rank(role: string | undefined): number {
  return role === undefined ? -1 : orgRoleDefinition(role as OrgRole).priority;
}

/**
 * Whether a change takes access away (run last): removals, deletions, deactivations, lower roles.
 * @example isReduction({ kind: "member", action: "update", subject: "kai@acme.test", from: "manager", to: "member" }) // true
 */
export function isReduction(change: Change): boolean {
  if (change.action === "remove" || change.action === "delete" || change.action === "deactivate") return true;
  if (change.action !== "update" || change.from === undefined || change.to === undefined) return false;
  if (change.kind === "member") return rank(change.to) < rank(change.from);
  return change.kind === "team-member" && change.to === "contributor" && change.from === "admin";
}

/**
 * Position of a change in the run order: teams, project links, invites and roles, memberships, then reductions
 * (memberships, links, demotions, member removals, team deletions), so nothing is taken away before what replaces it
 * exists.
 * @example changes.sort((a, b) => phaseOf(a) - phaseOf(b));
 */
export function phaseOf(change: Change): number {
  if (isReduction(change)) {
    if (change.kind === "team-member") return 6;
    if (change.kind === "project-team") return 7;
    if (change.kind === "member") return change.action === "update" ? 8 : 9;
    return 10;
  }
  if (change.kind === "team") return 1;
  if (change.kind === "project-team") return 2;
  if (change.kind === "member") return 3;
  return change.action === "add" ? 4 : 5;
}

/**
 * The changes in run order (stable: changes of one phase keep their order).
 * @example plan.changes = orderChanges(changes);
 */
export function orderChanges<C extends Change>(changes: readonly C[]): C[] {
  return changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => phaseOf(a.change) - phaseOf(b.change) || a.index - b.index)
    .map((x) => x.change);
}
