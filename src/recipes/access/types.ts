/**
 * The shapes of access as code: the declared file (version 1), and the plan computed from it. Plans are plain
 * JSON-serialisable objects, so `plan --out plan.json` can be saved, reviewed and applied later.
 */
import type { OrgRole, TeamRole } from "../../vocabulary/roles.js";
import type { BlockedChange, Change, ChangeCause, ChangeAction, ChangeKind, IdpOwnedEntry, RailViolation, ReconcilePlan } from "../engine/changes.js";

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

/** What a change is about: the engine's change kinds (recipes/engine/changes.ts). */
export type AccessChangeKind = ChangeKind;

/** What a change does: the engine's change actions. */
export type AccessChangeAction = ChangeAction;

/** One step of a plan: the engine's {@link Change}, the one vocabulary every workflow emits. */
export type AccessChange = Change;

export type { BlockedChange, ChangeCause, IdpOwnedEntry, RailViolation };

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

/** A plan: what `planAccess` computed and `applyAccessPlan` executes; the engine's plan with access's own lists. */
export interface AccessPlan extends ReconcilePlan {
  kind: "sentry-rbac.access-plan";
  version: 1;
  organization: string;
  createdAt: string;
  /** Ordered: teams, project links, invites and roles, memberships, then removals and demotions. */
  changes: AccessChange[];
  unmanaged: UnmanagedEntry[];
  pending: PendingEntry[];
  expiring: ExpiringEntry[];
  capabilities: AccessCapabilities;
  /** Things worth knowing that are not changes (e.g. the invitation history could not be read). */
  notes: string[];
  stats: AccessReadStats;
}
