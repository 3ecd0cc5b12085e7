/**
 * Reads an organization once, with list calls only: the team list (with each team's projects), the member list
 * (members and pending invites, with flags but without teams) and each non-empty team's member list (which gives
 * the memberships and their team roles). Pages read: ⌈T/100⌉ + ⌈M/100⌉ + Σ ⌈mₜ/100⌉ over teams with members.
 */
import type { SentryClient } from "../../client.js";
import { isPermissionError } from "../../http/errors/index.js";
import { isOrgRole, isTeamRole, minimumTeamRole, type OrgRole, type TeamRole } from "../../vocabulary/roles.js";
import { AccessPlanError } from "./errors.js";
import type { AccessReadStats } from "./types.js";
import { fingerprintOfState } from "../engine/fingerprint.js";

/** A team as read. */
export interface LiveTeam {
  id: string;
  slug: string;
  name: string;
  /** Managed by SCIM (`flags["idp:provisioned"]`). */
  idp: boolean;
  projects: string[];
  memberCount: number;
}

/** A member or pending invite as read; `teams` holds effective team roles. */
export interface LiveMember {
  id: string;
  email: string;
  role: OrgRole;
  pending: boolean;
  expired: boolean;
  idpProvisioned: boolean;
  idpRoleRestricted: boolean;
  /** Linked to the organization's SSO identity (`flags["sso:linked"]`); read for access reviews. */
  ssoLinked?: boolean;
  userId: string | null;
  dateCreated: string;
  teams: Map<string, TeamRole>;
}

/** The organization as read by {@link readLiveState}. */
export interface LiveState {
  organization: string;
  teams: Map<string, LiveTeam>;
  members: LiveMember[];
  byEmail: Map<string, LiveMember>;
  stats: AccessReadStats;
}

/** Options of the read. */
export interface ReadOptions {
  signal?: AbortSignal | undefined;
  /** Team member lists read at once (the client's limiter still applies); default 16. */
  concurrency?: number | undefined;
}

export { pool } from "../shared/pool.js";

/** The team role that applies: the stored one, but never below the minimum the org role implies. */
export function effectiveTeamRole(orgRole: OrgRole, stored: TeamRole | null): TeamRole {
  const minimum = minimumTeamRole(orgRole);
  return stored === "admin" || minimum === "admin" ? "admin" : (stored ?? minimum);
}

function flag(flags: unknown, name: string): boolean {
  return typeof flags === "object" && flags !== null && (flags as Record<string, unknown>)[name] === true;
}

function asRole(value: unknown): OrgRole {
  // A role this SDK does not know (a newer server) is read as the least privileged one.
  return isOrgRole(value) ? value : "member";
}

/**
 * Reads teams, project links, members, invites and memberships of `sentry`'s organization.
 * @example const live = await readLiveState(sentry.withOrg("acme")); console.log(live.members.length);
 * @throws {PermissionError} when the token may not list members or teams.
 * @throws {AccessPlanError} (`token`) when it may not list a team's members (no access to that team).
 */
export async function readLiveState(sentry: SentryClient, options: ReadOptions = {}): Promise<LiveState> {
  const organization = sentry.org.slug ?? "";
  const signal = options.signal;
  const stats: AccessReadStats = { requests: 0, teams: 0, members: 0, memberships: 0 };
  const countPages = async <T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[]> => {
    const out: T[] = [];
    for await (const page of pages) {
      stats.requests++;
      out.push(...page.items);
    }
    // An empty list is one page that the paginator skips; count it too.
    if (out.length === 0) stats.requests++;
    return out;
  };
  const list = { perPage: 100, ...(signal ? { signal } : {}) };
  // A team's member list passes TeamPermission, i.e. `has_team_scope`, which needs access to that team
  // (src/sentry/api/bases/team.py): without open membership, a non-global role sees only its own teams' members.
  const readTeamMembers = async (slug: string) => {
    try {
      return await countPages(sentry.org.teams.members(slug, list).pages());
    } catch (error) {
      if (!isPermissionError(error)) throw error;
      throw new AccessPlanError(
        "token",
        `cannot read the members of team ${slug}: Sentry lists a team's members only to callers with access to it`,
        "Plan with a token of a manager or owner (or of a member of every team), or turn on open membership for the organization.",
      );
    }
  };
  const teams = new Map<string, LiveTeam>();
  const rows: Array<{ team: string; id: string; stored: unknown }> = [];
  // Each team's member list is read as soon as its page of the team list is in, alongside the member list.
  const readTeams = async () => {
    const queue: LiveTeam[] = [];
    const waiting: Array<() => void> = [];
    let listed = false;
    const wakeAll = () => {
      for (const resume of waiting.splice(0)) resume();
    };
    const worker = async (): Promise<void> => {
      for (;;) {
        signal?.throwIfAborted();
        const team = queue.shift();
        if (team) {
          for (const row of await readTeamMembers(team.slug)) {
            rows.push({ team: team.slug, id: String(row.id), stored: (row as { teamRole?: unknown }).teamRole });
          }
        } else if (listed) return;
        else await new Promise<void>((resume) => waiting.push(resume));
      }
    };
    const listing = (async () => {
      try {
        let pages = 0;
        for await (const page of sentry.org.teams.list(list).pages()) {
          pages++;
          for (const t of page.items) {
            const projects = (t as { projects?: Array<{ slug: string }> }).projects ?? [];
            const team: LiveTeam = {
              id: String(t.id),
              slug: t.slug,
              name: t.name,
              idp: flag(t.flags, "idp:provisioned"),
              projects: projects.map((p) => p.slug).sort(),
              memberCount: typeof t.memberCount === "number" ? t.memberCount : 1,
            };
            teams.set(team.slug, team);
            // memberCount 0 means no member list to read (saves a request per empty team).
            if (team.memberCount > 0) queue.push(team);
          }
          wakeAll();
        }
        stats.requests += Math.max(pages, 1);
      } finally {
        listed = true;
        wakeAll();
      }
    })();
    const workers = Array.from({ length: Math.max(1, options.concurrency ?? 16) }, () => worker());
    await Promise.all([listing, ...workers]);
  };
  const [memberItems] = await Promise.all([countPages(sentry.org.members.list(list).pages()), readTeams()]);
  const members: LiveMember[] = memberItems.map((m) => ({
    id: String(m.id),
    email: m.email,
    role: asRole(m.orgRole),
    pending: m.pending === true,
    expired: m.expired === true,
    idpProvisioned: flag(m.flags, "idp:provisioned"),
    idpRoleRestricted: flag(m.flags, "idp:role-restricted"),
    ssoLinked: flag(m.flags, "sso:linked"),
    userId: m.user && typeof m.user === "object" && "id" in m.user ? String(m.user.id) : null,
    dateCreated: String(m.dateCreated ?? ""),
    teams: new Map(),
  }));
  const byId = new Map(members.map((m) => [m.id, m]));
  for (const row of rows) {
    const member = byId.get(row.id);
    if (!member) continue;
    // Sentry answers the stored role, null at the org role's minimum; the effective role is what the file declares.
    member.teams.set(row.team, effectiveTeamRole(member.role, isTeamRole(row.stored) ? row.stored : null));
    stats.memberships++;
  }
  stats.teams = teams.size;
  stats.members = members.length;
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
  return { organization, teams, members, byEmail, stats };
}

/**
 * A hash of everything a plan depends on; equal fingerprints mean the plan still applies as computed.
 * @example if (fingerprintOf(await readLiveState(sentry)) !== plan.fingerprint) throw new Error("stale plan");
 */
export function fingerprintOf(live: LiveState): string {
  const teams = [...live.teams.values()].sort((a, b) => a.slug.localeCompare(b.slug)).map((t) => [t.id, t.slug, t.name, t.idp, t.projects]);
  const members = [...live.members]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((m) => [
      m.id,
      m.email.toLowerCase(),
      m.role,
      m.pending,
      m.expired,
      m.idpProvisioned,
      m.idpRoleRestricted,
      [...m.teams.entries()].sort(([a], [b]) => a.localeCompare(b)),
    ]);
  return fingerprintOfState({ organization: live.organization, teams, members });
}
