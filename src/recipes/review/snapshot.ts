/**
 * The snapshot of an access review: the organization as one read saw it (members and pending invites with their
 * org role, team memberships and team roles, the projects each reaches and through which teams, SSO link and IdP
 * flags, date joined; teams with their projects), who took it with what tool, and tokens only as far as the API
 * lets a token see them. The same shape serves `after.json`, the re-read that proves what `close` changed.
 */
import type { SentryClient } from "../../client.js";
import { orgRoleDefinition, type OrgRole, type TeamRole } from "../../vocabulary/roles.js";
import { VERSION } from "../../version.js";
import { pool, readLiveState, type LiveMember, type LiveState } from "../access/live.js";
import { tokenKindOf } from "../access/preflight.js";
import type { AccessCapabilities, AccessReadStats } from "../access/types.js";
import type { TokenRecord } from "../tokens/types.js";

/** A team as the snapshot records it. */
export interface ReviewTeam {
  slug: string;
  name: string;
  /** SCIM manages its members (`idp:provisioned`): changes go through the identity provider. */
  idpProvisioned: boolean;
  projects: string[];
}

/** One membership of a subject, with the team role that applies. */
export interface ReviewMembership {
  team: string;
  teamRole: TeamRole;
}

/** A project a subject reaches, and the teams that give it. */
export interface ReviewProjectAccess {
  project: string;
  via: string[];
}

/** One subject of the review: a member or a pending invite. */
export interface ReviewSubject {
  memberId: string;
  email: string;
  orgRole: OrgRole;
  /** An invite not accepted yet. */
  pending: boolean;
  /** Sentry's member creation date: when they joined (or were invited). */
  dateJoined: string;
  ssoLinked: boolean;
  /** Provisioned by the identity provider (SCIM): Sentry refuses to remove them through the API. */
  idpProvisioned: boolean;
  /** The identity provider sets the org role: Sentry refuses role changes through the API. */
  idpRoleRestricted: boolean;
  teams: ReviewMembership[];
  /**
   * The org role (owner, manager) or open membership reaches every project, not only the ones listed under
   * `projects`, which come through teams.
   */
  globalAccess: boolean;
  projects: ReviewProjectAccess[];
}

/** Who took a snapshot: the token's kind and the user behind it (from Sentry's API root). Never the token. */
export interface ReviewActor {
  tokenKind: AccessCapabilities["tokenKind"];
  userId: string | null;
  email: string | null;
  name: string | null;
  scopes: string[];
}

/** API tokens as far as a review can see them. */
export type ReviewTokens = { source: "not-readable"; note: string } | { source: "inventory"; note: string; tokens: TokenRecord[] };

/** `snapshot.json` and `after.json`. */
export interface ReviewSnapshot {
  kind: "sentry-rbac.access-review-snapshot";
  version: 1;
  campaign: string;
  organization: string;
  takenAt: string;
  takenBy: ReviewActor;
  tool: { name: "sentry-rbac"; version: string };
  /** Open membership was declared: every member reaches every project. */
  openMembership: boolean;
  subjects: ReviewSubject[];
  teams: ReviewTeam[];
  tokens: ReviewTokens;
  stats: AccessReadStats & { inviteDetails: number };
}

/** Options of {@link takeReviewSnapshot}. */
export interface SnapshotOptions {
  /** Default: `<org> access review <date>`. */
  campaign?: string | undefined;
  /** Token records exported from Sentry's settings page (as `tokens lint --file` reads them). */
  tokens?: readonly TokenRecord[] | undefined;
  /** The organization has open membership: every member reaches every project. */
  openMembership?: boolean | undefined;
  now?: (() => Date) | undefined;
  signal?: AbortSignal | undefined;
  /** Team member lists read at once (default 16; the client's limiter still applies). */
  concurrency?: number | undefined;
}

const NOT_READABLE =
  "Sentry serves the organization's auth-token list to signed-in browser sessions only, never to an API token; " +
  "export it from Settings → Auth Tokens and pass it as a token inventory file to include it here.";

function tokensOf(records: readonly TokenRecord[] | undefined): ReviewTokens {
  if (records === undefined) return { source: "not-readable", note: NOT_READABLE };
  // Only the fields that describe a token are kept: an inventory file may hold more, and never a secret here.
  const tokens = records.map((r) => ({
    id: r.id,
    name: r.name,
    ...(r.kind ? { kind: r.kind } : {}),
    ...(r.scopes ? { scopes: [...r.scopes] } : {}),
    ...(r.dateCreated ? { dateCreated: r.dateCreated } : {}),
    ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
  }));
  return { source: "inventory", note: "From a token inventory file given to the review (Sentry lists tokens to browser sessions only).", tokens };
}

/** The subject a live member becomes, with the projects its teams reach. */
function subjectOf(member: LiveMember, live: LiveState, invitedTeams: readonly string[] | undefined, openMembership: boolean): ReviewSubject {
  const teams: ReviewMembership[] = [...member.teams].map(([team, teamRole]) => ({ team, teamRole }));
  for (const team of invitedTeams ?? []) if (!member.teams.has(team)) teams.push({ team, teamRole: "contributor" });
  teams.sort((a, b) => a.team.localeCompare(b.team));
  const via = new Map<string, string[]>();
  for (const { team } of teams) {
    for (const project of live.teams.get(team)?.projects ?? []) via.set(project, [...(via.get(project) ?? []), team]);
  }
  const definition = orgRoleDefinition(member.role);
  return {
    memberId: member.id,
    email: member.email,
    orgRole: member.role,
    pending: member.pending,
    dateJoined: member.dateCreated,
    ssoLinked: member.ssoLinked === true,
    idpProvisioned: member.idpProvisioned,
    idpRoleRestricted: member.idpRoleRestricted,
    teams,
    globalAccess: definition.isGlobal || (openMembership && definition.isTeamRolesAllowed),
    projects: [...via].map(([project, teamsVia]) => ({ project, via: teamsVia })).sort((a, b) => a.project.localeCompare(b.project)),
  };
}

/**
 * Reads the organization into a review snapshot: one read of teams, members and team member lists (the access
 * plan's read), the API root for who is reading, and the details of each pending invite (an invite's teams are
 * not in the team member lists).
 * @example const snapshot = await takeReviewSnapshot(sentry, { campaign: "2026-Q1" });
 * @throws {PermissionError} when the token may not list members or teams.
 */
export async function takeReviewSnapshot(sentry: SentryClient, options: SnapshotOptions): Promise<ReviewSnapshot> {
  const now = options.now ?? (() => new Date());
  const [tokenKind, index, live] = await Promise.all([
    sentry.transport.config.readToken("api").then(tokenKindOf),
    sentry.whoami(),
    readLiveState(sentry, { signal: options.signal, concurrency: options.concurrency }),
  ]);
  // Expired invites grant nothing and are left out of the subjects: their details are not read.
  const invites = live.members.filter((m) => m.pending && !m.expired);
  const invitedTeams = new Map<string, string[]>();
  await pool(
    invites,
    options.concurrency ?? 16,
    async (invite) => {
      const details = await sentry.org.members.get(invite.id);
      invitedTeams.set(
        invite.id,
        (details.teamRoles ?? []).map((t) => t.teamSlug),
      );
    },
    options.signal,
  );
  const openMembership = options.openMembership === true;
  const user = index.user;
  const takenAt = now().toISOString();
  return {
    kind: "sentry-rbac.access-review-snapshot",
    version: 1,
    campaign: options.campaign ?? `${live.organization} access review ${takenAt.slice(0, 10)}`,
    organization: live.organization,
    takenAt,
    takenBy: {
      tokenKind,
      userId: user?.id === undefined ? null : String(user.id),
      email: user?.email ?? null,
      name: user?.name ?? null,
      scopes: [...(index.auth?.scopes ?? [])].sort(),
    },
    tool: { name: "sentry-rbac", version: VERSION },
    openMembership,
    subjects: live.members
      .filter((m) => !m.expired)
      .map((m) => subjectOf(m, live, invitedTeams.get(m.id), openMembership))
      .sort((a, b) => a.email.localeCompare(b.email)),
    teams: [...live.teams.values()]
      .map((t) => ({ slug: t.slug, name: t.name, idpProvisioned: t.idp, projects: [...t.projects] }))
      .sort((a, b) => a.slug.localeCompare(b.slug)),
    tokens: tokensOf(options.tokens),
    // The API root and the invite details on top of the list pages.
    stats: { ...live.stats, requests: live.stats.requests + 1 + invites.length, inviteDetails: invites.length },
  };
}

/** True for the roles a review lists first: owners and managers. */
export function isPrivileged(subject: Pick<ReviewSubject, "orgRole">): boolean {
  return orgRoleDefinition(subject.orgRole).isGlobal;
}
