/**
 * The emulator's in-memory model of Sentry: users, organizations and everything they own.
 * Plain mutable records; routes change them, serialisers turn them into Sentry's JSON.
 */
import type { MemberFlags, OrgRole, TeamRole, TokenKind } from "./types.js";

export interface User {
  id: number;
  email: string;
  name: string;
  dateJoined: number;
  has2fa: boolean;
  lastLogin: number | null;
}

export interface Team {
  id: number;
  slug: string;
  name: string;
  dateCreated: number;
  idpProvisioned: boolean;
}

export interface Member {
  id: number;
  email: string;
  name: string;
  userId: number | null;
  orgRole: OrgRole;
  flags: MemberFlags;
  dateCreated: number;
  inviterName: string | null;
  inviterUserId: number | null;
  /** Set when an invite was regenerated: its 30 days run from here. */
  inviteRenewedAt?: number;
  /** teamId → stored team role (null = the org role's minimum). */
  teams: Map<number, TeamRole | null>;
}

export interface Project {
  id: number;
  slug: string;
  name: string;
  platform: string | null;
  dateCreated: number;
  teamIds: number[];
}

export interface Token {
  id: number;
  kind: TokenKind;
  value: string;
  name: string;
  scopes: string[];
  userId: number | null;
  orgId: number | null;
  dateCreated: number;
  expiresAt: number | null;
  dateLastUsed: number | null;
  active: boolean;
  /** Label used as the audit actor for integration tokens. */
  label: string;
}

export interface AuditEntry {
  id: number;
  ms: number;
  event: string;
  actorUserId: number | null;
  actorLabel: string;
  ipAddress: string | null;
  targetObject: number | null;
  targetUserId: number | null;
  data: Record<string, unknown>;
}

export interface AuthProvider {
  id: number;
  provider: string;
  scimEnabled: boolean;
  requireLink: boolean;
  defaultRole: OrgRole;
}

export interface Org {
  id: number;
  slug: string;
  name: string;
  dateCreated: number;
  /** Sentry's `allow_joinleave` org flag: members get access to every team and may join any. */
  openMembership: boolean;
  /** The inverse of Sentry's `disable_member_invite` flag: members (member:invite) may invite. */
  memberInvites: boolean;
  authProvider: AuthProvider | null;
  teams: Map<number, Team>;
  members: Map<number, Member>;
  projects: Map<number, Project>;
  /** Sorted by (ms, id) ascending; generated history is produced on first use. */
  audit: AuditEntry[];
  pendingAuditRows: number;
  /** What generated history may mention, captured when the fixture was built so history never depends on later changes. */
  historyPool?: HistoryPool;
}

export interface HistoryPool {
  actors: ReadonlyArray<{ userId: number; name: string }>;
  targets: ReadonlyArray<{ id: number; email: string; orgRole: string; userId: number | null }>;
  teams: ReadonlyArray<{ id: number; slug: string }>;
  projects: ReadonlyArray<{ id: number; slug: string }>;
}

export const NO_FLAGS: MemberFlags = Object.freeze({
  "idp:provisioned": false,
  "idp:role-restricted": false,
  "sso:linked": false,
  "sso:invalid": false,
  "member-limit:restricted": false,
  "partnership:restricted": false,
});

/** The whole emulated Sentry; ids come from one counter per kind, as database sequences do. */
export class World {
  readonly users = new Map<number, User>();
  readonly orgs = new Map<number, Org>();
  readonly tokens = new Map<number, Token>();
  private readonly sequences = new Map<string, number>();
  /** Seed of generated history and the time the fixture was built (history ends there). */
  auditSeed = 1;
  builtAt = 0;

  nextId(kind: "user" | "org" | "team" | "member" | "project" | "token" | "audit" | "provider"): number {
    const next = (this.sequences.get(kind) ?? 0) + 1;
    this.sequences.set(kind, next);
    return next;
  }

  /** Makes the next id of a kind at least `floor + 1` (after bulk inserts with explicit ids). */
  bumpId(kind: string, floor: number): void {
    if ((this.sequences.get(kind) ?? 0) < floor) this.sequences.set(kind, floor);
  }

  findOrg(idOrSlug: string): Org | undefined {
    for (const org of this.orgs.values()) {
      if (org.slug === idOrSlug || String(org.id) === idOrSlug) return org;
    }
    return undefined;
  }

  tokenByValue(value: string): Token | undefined {
    for (const token of this.tokens.values()) if (token.value === value) return token;
    return undefined;
  }
}

export function findTeam(org: Org, idOrSlug: string): Team | undefined {
  if (/^\d+$/.test(idOrSlug)) {
    const byId = org.teams.get(Number(idOrSlug));
    if (byId) return byId;
  }
  for (const team of org.teams.values()) if (team.slug === idOrSlug) return team;
  return undefined;
}

export function findProject(org: Org, idOrSlug: string): Project | undefined {
  if (/^\d+$/.test(idOrSlug)) {
    const byId = org.projects.get(Number(idOrSlug));
    if (byId) return byId;
  }
  for (const project of org.projects.values()) if (project.slug === idOrSlug) return project;
  return undefined;
}

export function findMemberByEmail(org: Org, email: string): Member | undefined {
  const wanted = email.toLowerCase();
  for (const member of org.members.values()) if (member.email.toLowerCase() === wanted) return member;
  return undefined;
}

export function memberOfUser(org: Org, userId: number): Member | undefined {
  for (const member of org.members.values()) if (member.userId === userId) return member;
  return undefined;
}

export function teamMembers(org: Org, teamId: number): Member[] {
  return [...org.members.values()].filter((m) => m.teams.has(teamId));
}

/** Sentry's slugify: lowercase, spaces and underscores to dashes, other characters dropped. */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/[^a-z0-9-]/g, "")
    .replace(/-+/g, "-")
    .slice(0, 50);
}

/** Django's `slugify`, which SCIM uses for group names and team creation for generated slugs: ASCII-folded, lowercase, `[^\w\s-]` dropped, runs of spaces/dashes to one dash. */
export function djangoSlugify(text: string): string {
  // eslint-disable-next-line no-control-regex -- the range is "every non-ASCII character", NUL included on purpose
  const ascii = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  return ascii
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/[-\s]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
}

export const DAY_MS = 86_400_000;
export const INVITE_DAYS_VALID = 30;

export function isPending(member: Member): boolean {
  return member.userId === null;
}

export function isInviteExpired(member: Member, now: number): boolean {
  return isPending(member) && (member.inviteRenewedAt ?? member.dateCreated) + INVITE_DAYS_VALID * DAY_MS < now;
}

/**
 * Sentry's `clear_expired_invites` task (src/sentry/tasks/clear_expired_invites.py): pending invites
 * whose token expired more than 90 days ago are deleted (a bulk delete: no audit row). The emulator
 * runs it before answering each request, so advancing the injected clock removes them deterministically.
 */
export const EXPIRED_INVITE_PURGE_DAYS = 90;

export function clearExpiredInvites(org: Org, now: number): void {
  for (const member of [...org.members.values()]) {
    if (!isPending(member)) continue;
    const expiresAt = (member.inviteRenewedAt ?? member.dateCreated) + INVITE_DAYS_VALID * DAY_MS;
    if (expiresAt < now - EXPIRED_INVITE_PURGE_DAYS * DAY_MS) org.members.delete(member.id);
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
