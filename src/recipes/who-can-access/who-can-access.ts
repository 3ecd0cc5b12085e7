// Access analysis over a live organization: what one member can do and see (effectiveAccess), and who can see
// one project (whoCanAccess). The role arithmetic is the pure code in effective-access.ts; this file only
// fetches the data it needs, page by page.
import { NotFoundError } from "../../http/errors/index.js";
import type { SentryClient } from "../../client.js";
import type { MemberDetails } from "../../resources/types.js";
import {
  canSeeProject,
  computeEffectiveAccess,
  projectScopes,
  type EffectiveAccess,
  type EffectiveAccessOptions,
  type ProjectAccessReason,
} from "./effective-access.js";

/** A project a member can see, every reason why, and the scopes they hold on it. */
export interface VisibleProject {
  project: string;
  reasons: ProjectAccessReason[];
  scopes: string[];
}

/** {@link effectiveAccess}'s answer: the member, their scopes with reasons, and the projects they see. */
export interface MemberAccessReport extends EffectiveAccess {
  member: { id: string; email: string; name: string; pending: boolean };
  projects: VisibleProject[];
}

/** One person who can see a project, and why. */
export interface ProjectAccessEntry {
  memberId: string;
  email: string;
  orgRole: string;
  /** A pending invite: the access starts when the invite is accepted. */
  pending: boolean;
  reasons: ProjectAccessReason[];
  scopes: string[];
}

/** {@link whoCanAccess}'s answer. */
export interface ProjectAccessReport {
  project: string;
  /** The teams that hold the project. */
  teams: string[];
  /** Everyone who can see the project, email order. */
  members: ProjectAccessEntry[];
}

/** Options of {@link whoCanAccess}. */
export interface WhoCanAccessOptions extends EffectiveAccessOptions {
  /** List pending invites that would see the project once accepted (flagged `pending`). Default false. */
  includePending?: boolean;
}

function rolesOf(member: MemberDetails) {
  return { orgRole: member.orgRole, teamRoles: member.teamRoles.map((t) => ({ team: t.teamSlug, role: t.role ?? null })) };
}

async function resolveMember(sentry: SentryClient, memberIdOrEmail: string | number): Promise<MemberDetails> {
  if (typeof memberIdOrEmail === "string" && memberIdOrEmail.includes("@")) {
    const found = await sentry.org.members.findByEmail(memberIdOrEmail);
    if (found === undefined) {
      throw new NotFoundError({
        status: 404,
        method: "GET",
        path: "/api/0/organizations/{organization_id_or_slug}/members/",
        url: "",
        detail: `no member or invite with email ${memberIdOrEmail}`,
        body: undefined,
      });
    }
    return sentry.org.members.get(found.id);
  }
  return sentry.org.members.get(memberIdOrEmail);
}

/**
 * A member's effective access: the union of org-role and team-role scopes with the reason for each grant, and
 * every project they can see (through a team, or a global org role) with the scopes they hold there.
 * @example
 * const access = await effectiveAccess(sentry, "ana@acme.com");
 * for (const p of access.projects) console.log(p.project, p.reasons.map((r) => r.kind).join(", "));
 * @throws {NotFoundError} when no member has that id or email.
 * @throws {ValidationError} for an org or team role this SDK does not know.
 */
export async function effectiveAccess(
  sentry: SentryClient,
  memberIdOrEmail: string | number,
  options: EffectiveAccessOptions = {},
): Promise<MemberAccessReport> {
  const member = await resolveMember(sentry, memberIdOrEmail);
  const access = computeEffectiveAccess(rolesOf(member), options);
  const projects: VisibleProject[] = [];
  for await (const project of sentry.org.projects.list()) {
    const teams = project.teams.map((team) => team.slug);
    const visibility = canSeeProject(access, teams);
    if (visibility.canSee) projects.push({ project: project.slug, reasons: visibility.reasons, scopes: projectScopes(access, teams) });
  }
  return {
    ...access,
    member: { id: member.id, email: member.email, name: member.name, pending: member.pending },
    projects,
  };
}

interface Candidate {
  memberId: string;
  email: string;
  orgRole: string;
  pending: boolean;
  teams: Map<string, string | null>;
}

function addCandidate(into: Map<string, Candidate>, m: { id: string; email: string; orgRole: string; pending: boolean }): Candidate {
  const existing = into.get(m.id);
  if (existing) return existing;
  const fresh: Candidate = { memberId: m.id, email: m.email, orgRole: m.orgRole, pending: m.pending, teams: new Map() };
  into.set(m.id, fresh);
  return fresh;
}

/**
 * Everyone who can see a project and why: membership of a team that holds it (with the team role), or a global
 * org role (manager, owner) that sees every project, or open membership when `openMembership` is set. Pending
 * invites are left out unless `includePending` (then flagged).
 * @example
 * const { members } = await whoCanAccess(sentry, "payment-api");
 * for (const m of members) console.log(m.email, m.reasons.map((r) => (r.kind === "team" ? `${r.team}:${r.role}` : r.kind)));
 * @throws {NotFoundError} when there is no such project.
 */
export async function whoCanAccess(sentry: SentryClient, projectSlug: string, options: WhoCanAccessOptions = {}): Promise<ProjectAccessReport> {
  const teams: string[] = [];
  for await (const team of sentry.org.projects.teams(projectSlug)) teams.push(team.slug);
  const includePending = options.includePending === true;
  const candidates = new Map<string, Candidate>();
  for (const team of teams) {
    for await (const member of sentry.org.teams.members(team)) {
      if (member.pending && !includePending) continue;
      addCandidate(candidates, member).teams.set(team, member.teamRole ?? null);
    }
  }
  // Global roles see every project without a team; with open membership every member does.
  const query = options.openMembership === true ? undefined : "role:owner,manager";
  for await (const member of sentry.org.members.list(query === undefined ? {} : { query })) {
    if (member.pending && !includePending) continue;
    addCandidate(candidates, member);
  }
  if (includePending) {
    // The team member lists leave invites out; an invite's teams are only in its details.
    for await (const invite of sentry.org.members.list({ query: "isInvited:true" })) {
      const details = await sentry.org.members.get(invite.id);
      const onProjectTeams = details.teamRoles.filter((t) => teams.includes(t.teamSlug));
      if (onProjectTeams.length === 0) continue;
      const candidate = addCandidate(candidates, invite);
      for (const t of onProjectTeams) candidate.teams.set(t.teamSlug, t.role ?? null);
    }
  }

  const members: ProjectAccessEntry[] = [];
  for (const candidate of candidates.values()) {
    const teamRoles = [...candidate.teams].map(([team, role]) => ({ team, role }));
    const access = computeEffectiveAccess({ orgRole: candidate.orgRole, teamRoles }, options);
    const visibility = canSeeProject(access, teams);
    if (!visibility.canSee) continue;
    members.push({
      memberId: candidate.memberId,
      email: candidate.email,
      orgRole: candidate.orgRole,
      pending: candidate.pending,
      reasons: visibility.reasons,
      scopes: projectScopes(access, teams),
    });
  }
  members.sort((a, b) => a.email.localeCompare(b.email));
  return { project: projectSlug, teams, members };
}
