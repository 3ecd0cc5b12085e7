/**
 * The shapes of access as code: the declared file (version 1), and the plan computed from it. Plans are plain
 * JSON-serialisable objects, so `plan --out plan.json` can be saved, reviewed and applied later.
 */
import type { OrgRole, TeamRole } from "../../vocabulary/roles.js";

/** `additive` (default): undeclared objects are reported, never removed; `authoritative`: they are removed. */
export type OwnershipMode = "additive" | "authoritative";

/** Patterns (with `*` and `?`) of live objects the plan leaves alone entirely. */
export interface AccessIgnore {
  members: string[];
  teams: string[];
}

/** The `policy:` block with defaults filled in. */
export interface AccessPolicy {
  members: OwnershipMode;
  teams: OwnershipMode;
  /** Refuse a plan that removes or demotes an owner and leaves fewer owners than this (default 2). */
  minOwners: number;
  /** Emails that must be owners after the plan. */
  requiredOwners: string[];
  /** Refuse a plan removing more than this many members or teams: a count, or a share of the live ones. */
  maxRemovals: { count: number } | { percent: number };
  ignore: AccessIgnore;
}

/** Time-bound access: after `until` (a date: through that UTC day; a date-time: that instant) the plan removes it. */
export interface TimeBound {
  /** ISO date (`2027-03-01`) or date-time as written in the file. */
  until?: string;
  reason?: string;
}

/** A declared team. `projects` omitted: its project links are not managed; `[]`: it has none. */
export interface DeclaredTeam {
  name?: string;
  projects?: string[];
}

/** A declared team membership; `role` omitted = the minimum the org role implies. */
export interface DeclaredMembership extends TimeBound {
  role?: TeamRole;
  /** Set by `grant --now`: applied outside a plan at this time, to be reviewed after the fact. */
  breakGlass?: string;
}

/** A time-bound org role above the member's own: `role` applies until `until`, then the member's `role` again. */
export interface ElevatedRole extends TimeBound {
  role: OrgRole;
  until: string;
  /** Set by `grant --now`: applied outside a plan at this time, to be reviewed after the fact. */
  breakGlass?: string;
}

/** A declared member. `teams` omitted: their memberships are not managed; `{}`: they are on no team. */
export interface DeclaredMember extends TimeBound {
  role: OrgRole;
  /** A time-bound org role (`sentry-rbac grant --org-role`). */
  elevated?: ElevatedRole;
  teams?: Record<string, DeclaredMembership>;
}

/** A parsed, validated access file. */
export interface AccessConfig {
  version: 1;
  organization: string;
  policy: AccessPolicy;
  teams: Record<string, DeclaredTeam>;
  /** Keyed by email as written (compared case-insensitively). */
  members: Record<string, DeclaredMember>;
}

/** What a change is about. */
export type AccessChangeKind = "team" | "project-team" | "member" | "team-member";

/** What a change does (`create` a team, `add` a link or membership, `delete` a team, `remove` the others...). */
export type AccessChangeAction = "create" | "add" | "update" | "remove" | "delete" | "invite" | "reinvite";

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

/** One step of a plan. `subject` is a slug, an email, `team/project` or `team/email`. */
export interface AccessChange {
  kind: AccessChangeKind;
  action: AccessChangeAction;
  subject: string;
  /** Why the plan makes this change (e.g. `until 2026-03-01 passed`, `not in the file (authoritative)`). */
  reason?: string;
  /** Something the reader should know (e.g. that Sentry ignores team roles on invites). */
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
  /** For member updates: the complete team set to send (Sentry's PUT replaces it); absent = read it first. */
  teamRoles?: Array<{ team: string; role: TeamRole | null }>;
  /** Set when the change ends time-bound access whose `until` has passed (what `expire` applies). */
  expired?: { until: string; reason?: string };
  /** The audit row behind the live difference this change undoes; null when none in the window explains it. */
  cause?: ChangeCause | null;
}

/** A change the token cannot make, with Sentry's reason; never in `changes`. */
export interface BlockedChange extends AccessChange {
  reason: string;
}

/** A difference the plan leaves to the identity provider (SCIM), with the reason. */
export interface IdpOwnedEntry {
  kind: AccessChangeKind;
  subject: string;
  reason: string;
  /** The audit row behind the difference (when the plan was explained). */
  cause?: ChangeCause | null;
}

/** A live object that is neither declared nor ignored (removed only in authoritative mode). */
export interface UnmanagedEntry {
  kind: "team" | "member";
  subject: string;
  detail?: string;
  /** The audit row that created it (when the plan was explained). */
  cause?: ChangeCause | null;
}

/** A declared member whose invite is pending: not drift. */
export interface PendingEntry {
  email: string;
  role: string;
  invitedAt: string;
  /** Sentry lets an invite live 30 days. */
  expiresAt: string;
  note: string;
}

/** Declared access whose `until` falls within 14 days. */
export interface ExpiringEntry {
  kind: "member" | "team-member";
  subject: string;
  until: string;
  reason?: string;
}

/** A safety rail the plan breaks; such a plan is refused as a whole. */
export interface RailViolation {
  rail: "minOwners" | "requiredOwners" | "maxRemovals" | "self";
  message: string;
  /** The next step: the `policy` key to change, how to split the change, or what to keep in the file. */
  hint?: string;
}

/** What the capability preflight learned about the token. */
export interface AccessCapabilities {
  tokenKind: "user" | "org" | "integration" | "unknown";
  /** The token's own scopes as Sentry's API root reports them. */
  tokenScopes: string[];
  /** The calling member's email and org role (user tokens). */
  callerEmail: string | undefined;
  callerRole: OrgRole | undefined;
}

/** Request counts of the read, for the scale budget. */
export interface AccessReadStats {
  requests: number;
  teams: number;
  members: number;
  memberships: number;
}

/** A plan: what `planAccess` computed and `applyAccessPlan` executes. */
export interface AccessPlan {
  kind: "sentry-rbac.access-plan";
  version: 1;
  organization: string;
  createdAt: string;
  /** Hash of the live state the plan was computed from; apply refuses when it changed. */
  fingerprint: string;
  /** Ordered: teams, project links, invites and roles, memberships, then removals and demotions. */
  changes: AccessChange[];
  blocked: BlockedChange[];
  idpOwned: IdpOwnedEntry[];
  unmanaged: UnmanagedEntry[];
  pending: PendingEntry[];
  expiring: ExpiringEntry[];
  /** Non-empty: the plan is refused as a whole. */
  violations: RailViolation[];
  capabilities: AccessCapabilities;
  /** Things worth knowing that are not changes (e.g. the invitation history could not be read). */
  notes: string[];
  stats: AccessReadStats;
}
