/**
 * The diff per area — teams, project links, members, team memberships — between the declared file and the live
 * organization, as changes plus the lists that are not changes (IdP-owned differences, unmanaged objects, pending
 * invites, access about to expire). Pure: no requests. Every project and team the file refers to exists (in the
 * file or live): `planAccess` checks the references first (references.ts).
 */
import { isReduction } from "../engine/changes.js";
import { minimumTeamRole, type OrgRole, type TeamRole } from "../../vocabulary/roles.js";
import { effectiveTeamRole, type LiveMember, type LiveState } from "./live.js";
import { endsSoon, hasEnded } from "./time.js";
import type { AccessChange, AccessConfig, DeclaredMember, ExpiringEntry, IdpOwnedEntry, PendingEntry, UnmanagedEntry } from "./types.js";

/** What the diff found. */
export interface AccessDiff {
  changes: AccessChange[];
  idpOwned: IdpOwnedEntry[];
  /** What the reader should know that is no change (e.g. a declared team role the org role overrides). */
  notes: string[];
  unmanaged: UnmanagedEntry[];
  pending: PendingEntry[];
  expiring: ExpiringEntry[];
}

/** Inputs of {@link diffAccess} besides the file and the live state. */
export interface DiffContext {
  now: Date;
  /** The calling member, whom Sentry adds to every team it creates. */
  caller: LiveMember | undefined;
}

const INVITE_DAYS = 30;
const INVITE_NOTE = "Sentry ignores team roles on invites: memberships are saved, roles are set once the invite is accepted (plan again then)";

/** `*` and `?` globs, case-insensitive. */
export function globMatcher(patterns: readonly string[]): (value: string) => boolean {
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
        "i",
      ),
  );
  return (value) => regexes.some((re) => re.test(value));
}

function declaredTeamRole(orgRole: OrgRole, role: TeamRole | undefined): TeamRole {
  return effectiveTeamRole(orgRole, role ?? null);
}

/** Whether a change takes access away (applied last): the engine's rule. */

class Diff {
  readonly out: AccessDiff = { changes: [], idpOwned: [], notes: [], unmanaged: [], pending: [], expiring: [] };
  readonly created = new Set<string>();
  private readonly ignoredTeam: (slug: string) => boolean;
  constructor(
    readonly config: AccessConfig,
    readonly live: LiveState,
    readonly ctx: DiffContext,
  ) {
    this.ignoredTeam = globMatcher(config.policy.ignore.teams);
  }

  teams(): void {
    const { config, live, out } = this;
    const ignored = globMatcher(config.policy.ignore.teams);
    for (const [slug, team] of Object.entries(config.teams)) {
      const current = live.teams.get(slug);
      if (!current) {
        this.created.add(slug);
        out.changes.push({ kind: "team", action: "create", subject: slug, team: slug, name: team.name ?? slug });
      } else if (team.name !== undefined && team.name !== current.name) {
        if (current.idp)
          out.idpOwned.push({ kind: "team", subject: slug, reason: `SCIM manages this team: its name stays "${current.name}" (file: "${team.name}")` });
        else out.changes.push({ kind: "team", action: "update", subject: slug, team: slug, name: team.name, from: current.name, to: team.name });
      }
      if (team.projects === undefined) continue;
      const linked = new Set(current?.projects ?? []);
      for (const project of team.projects) {
        if (!linked.has(project)) out.changes.push({ kind: "project-team", action: "add", subject: `${slug}/${project}`, team: slug, project });
      }
      for (const project of linked) {
        if (!team.projects.includes(project)) out.changes.push({ kind: "project-team", action: "remove", subject: `${slug}/${project}`, team: slug, project });
      }
    }
    for (const team of live.teams.values()) {
      if (team.slug in config.teams || ignored(team.slug)) continue;
      if (team.idp) out.idpOwned.push({ kind: "team", subject: team.slug, reason: "SCIM manages this team; it is not in the file" });
      else if (config.policy.teams === "authoritative") {
        out.changes.push({ kind: "team", action: "delete", subject: team.slug, team: team.slug, reason: "not in the file (teams: authoritative)" });
      } else out.unmanaged.push({ kind: "team", subject: team.slug, detail: `${team.memberCount} member(s), projects: ${team.projects.join(", ") || "none"}` });
    }
  }

  members(): void {
    const { config, live, out } = this;
    const ignored = globMatcher(config.policy.ignore.members);
    const declared = new Set<string>();
    for (const [email, member] of Object.entries(config.members)) {
      declared.add(email.toLowerCase());
      this.member(email, member, live.byEmail.get(email.toLowerCase()));
    }
    for (const m of live.members) {
      if (declared.has(m.email.toLowerCase()) || ignored(m.email)) continue;
      if (m.idpProvisioned) out.idpOwned.push({ kind: "member", subject: m.email, reason: "provisioned by the identity provider (SCIM); not in the file" });
      else if (m.pending && m.expired && config.policy.members === "additive")
        continue; // dead invite; Sentry removes it
      else if (config.policy.members === "authoritative") {
        out.changes.push({
          kind: "member",
          action: "remove",
          subject: m.email,
          email: m.email,
          memberId: m.id,
          from: m.role,
          reason: m.pending ? "invite not in the file (members: authoritative)" : "not in the file (members: authoritative)",
        });
      } else out.unmanaged.push({ kind: "member", subject: m.email, detail: `${m.role}${m.pending ? ", pending invite" : ""}` });
    }
    this.creatorMemberships(declared);
  }

  private member(email: string, declared: DeclaredMember, current: LiveMember | undefined): void {
    const { out, ctx } = this;
    if (hasEnded(declared.until, ctx.now)) {
      if (!current) return;
      if (current.idpProvisioned)
        out.idpOwned.push({
          kind: "member",
          subject: email,
          reason: `until ${declared.until} passed, but the identity provider owns this member: deprovision them there`,
        });
      else {
        out.changes.push({
          kind: "member",
          action: "remove",
          subject: email,
          email,
          memberId: current.id,
          from: current.role,
          reason: `until ${declared.until} passed${declared.reason ? ` (${declared.reason})` : ""}`,
          expired: { until: declared.until ?? "", ...(declared.reason ? { reason: declared.reason } : {}) },
        });
      }
      return;
    }
    if (endsSoon(declared.until, ctx.now))
      out.expiring.push({ kind: "member", subject: email, until: declared.until ?? "", ...(declared.reason ? { reason: declared.reason } : {}) });
    const elevated = declared.elevated;
    const elevatedEnded = elevated !== undefined && hasEnded(elevated.until, ctx.now);
    if (elevated && !elevatedEnded && endsSoon(elevated.until, ctx.now)) {
      out.expiring.push({
        kind: "member",
        subject: email,
        until: elevated.until,
        reason: `org role ${elevated.role}${elevated.reason ? `: ${elevated.reason}` : ""}`,
      });
    }
    // While an elevated role lasts it is the declared one; once ended, the member's own role is.
    const member: DeclaredMember = elevated && !elevatedEnded ? { ...declared, role: elevated.role } : declared;
    const teams = this.liveTeamsFor(email, member);
    this.overriddenRoles(email, member, teams);
    if (!current) {
      const teamRoles = this.inviteTeams(email, teams);
      const hasRoles = teams.some((t) => t.role !== undefined && t.role !== minimumTeamRole(member.role));
      out.changes.push({ kind: "member", action: "invite", subject: email, email, to: member.role, teamRoles, ...(hasRoles ? { note: INVITE_NOTE } : {}) });
      return;
    }
    if (current.pending) return this.pendingMember(email, member, current);
    let implied = new Set<string>();
    if (member.role !== current.role) {
      if (current.idpRoleRestricted)
        out.idpOwned.push({ kind: "member", subject: email, reason: `the identity provider sets this member's role (${current.role}; file: ${member.role})` });
      else {
        implied = this.impliedAdmin(member, current, teams);
        const change: AccessChange = { kind: "member", action: "update", subject: email, email, memberId: current.id, from: current.role, to: member.role };
        if (elevated && elevatedEnded && current.role === elevated.role) {
          change.reason = `org role ${elevated.role} until ${elevated.until} passed${elevated.reason ? ` (${elevated.reason})` : ""}`;
          change.expired = { until: elevated.until, ...(elevated.reason ? { reason: elevated.reason } : {}) };
        }
        const note =
          implied.size === 0
            ? undefined
            : minimumTeamRole(member.role) === "admin"
              ? `team role admin on ${[...implied].join(", ")} comes with the ${member.role} org role (Sentry's minimum team role for it), not a step of its own`
              : `team role on ${[...implied].join(", ")} returns to contributor with the ${member.role} org role (the role update sends the team set), not a step of its own`;
        out.changes.push({ ...change, teamRoles: this.teamSet(member, current, teams, isReduction(change)), ...(note ? { note } : {}) });
      }
    }
    if (member.teams !== undefined) this.memberships(email, member, current, teams, implied);
  }

  /**
   * The teams on which an org-role change makes the member admin by itself: Sentry's minimum team role of manager
   * and owner is admin (`get_minimum_team_role`, src/sentry/roles/manager.py; `is_minimum_role_for` in
   * SENTRY_TEAM_ROLES), so a contributor the member stays on becomes admin with the role — no step of its own.
   */
  private impliedAdmin(member: DeclaredMember, current: LiveMember, teams: Array<{ team: string; role?: TeamRole | undefined }>): Set<string> {
    const implied = new Set<string>();
    if (minimumTeamRole(member.role) !== "admin") {
      // A demotion from manager or owner: the role update sends the team set with the declared (stored) roles, so an
      // admin held only through the old org role becomes the declared contributor with it — no step of its own.
      if (minimumTeamRole(current.role) !== "admin") return implied;
      for (const { team, role } of teams) {
        if (current.teams.get(team) === "admin" && (role ?? minimumTeamRole(member.role)) === "contributor") implied.add(team);
      }
      return implied;
    }
    const declared = new Set(teams.map((t) => t.team));
    for (const [team, held] of current.teams) {
      const stays = member.teams === undefined || declared.has(team) || !this.managesMembersOf(team);
      if (held === "contributor" && stays) implied.add(team);
    }
    return implied;
  }

  /** A declared `contributor` that the org role overrides: the file says what Sentry will not do. */
  private overriddenRoles(email: string, member: DeclaredMember, teams: Array<{ team: string; role: TeamRole | undefined }>): void {
    if (minimumTeamRole(member.role) !== "admin") return;
    for (const { team, role } of teams) {
      if (role !== "contributor") continue;
      this.out.notes.push(
        `members.${email}.teams.${team} says contributor, but the ${member.role} org role makes them admin of each of their teams in Sentry: write admin (or leave the role out) so that the file says what Sentry does`,
      );
    }
  }

  /** Declared memberships still in force, expiring ones listed. */
  private liveTeamsFor(email: string, member: DeclaredMember): Array<{ team: string; role: TeamRole | undefined }> {
    const out: Array<{ team: string; role: TeamRole | undefined }> = [];
    for (const [team, membership] of Object.entries(member.teams ?? {})) {
      if (hasEnded(membership.until, this.ctx.now)) continue;
      if (endsSoon(membership.until, this.ctx.now)) {
        this.out.expiring.push({
          kind: "team-member",
          subject: `${team}/${email}`,
          until: membership.until ?? "",
          ...(membership.reason ? { reason: membership.reason } : {}),
        });
      }
      out.push({ team, role: membership.role });
    }
    return out;
  }

  /** The teams an invite carries: those not managed by SCIM (the others are reported). */
  private inviteTeams(email: string, teams: Array<{ team: string }>): Array<{ team: string; role: null }> {
    const out: Array<{ team: string; role: null }> = [];
    for (const { team } of teams) {
      const subject = `${team}/${email}`;
      if (this.live.teams.get(team)?.idp)
        this.out.idpOwned.push({ kind: "team-member", subject, reason: "SCIM manages this team's members: add them in the identity provider" });
      else out.push({ team, role: null });
    }
    return out;
  }

  /**
   * Whether the file manages who is on `team`: only a declared team that no ignore pattern matches. The members of
   * an unmanaged or ignored team are unmanaged too until the team is declared: a member's `teams` map that does not
   * list it takes no one off it.
   */
  private managesMembersOf(team: string): boolean {
    return team in this.config.teams && !this.ignoredTeam(team);
  }

  /**
   * The team set a role change sends (Sentry's PUT replaces it): the live set plus the declared one for a promotion
   * (nothing is taken away before the removals), the declared set for a demotion (applied last); SCIM teams and teams
   * whose members the file does not manage as they are.
   */
  private teamSet(member: DeclaredMember, current: LiveMember, teams: Array<{ team: string; role: TeamRole | undefined }>, reduction: boolean) {
    const set = new Map<string, TeamRole | null>();
    const minimum = minimumTeamRole(member.role);
    const keep = (team: string, role: TeamRole | null) => set.set(team, role === null || role === minimum || minimum === "admin" ? null : role);
    for (const [team, role] of current.teams) {
      if (this.live.teams.get(team)?.idp) set.set(team, null);
      else if (!this.managesMembersOf(team)) set.set(team, role === minimum || minimum === "admin" ? null : role);
      else if (!reduction || member.teams === undefined) keep(team, member.teams === undefined && reduction ? null : role);
    }
    for (const { team, role } of member.teams === undefined ? [] : teams) {
      if (this.live.teams.has(team) && !this.live.teams.get(team)?.idp) keep(team, role ?? null);
    }
    return [...set.entries()].map(([team, role]) => ({ team, role }));
  }

  private pendingMember(email: string, member: DeclaredMember, current: LiveMember): void {
    const { out } = this;
    if (current.expired) {
      out.changes.push({
        kind: "member",
        action: "reinvite",
        subject: email,
        email,
        memberId: current.id,
        to: current.role,
        reason: "the invite expired; re-sent with a new link",
      });
    } else {
      const invitedAt = current.dateCreated;
      const expiresAt = invitedAt ? new Date(Date.parse(invitedAt) + INVITE_DAYS * 86_400_000).toISOString() : "";
      out.pending.push({ email, role: current.role, invitedAt, expiresAt, note: INVITE_NOTE });
    }
    if (member.role !== current.role && current.idpRoleRestricted) {
      out.idpOwned.push({ kind: "member", subject: email, reason: `the identity provider sets this member's role (${current.role}; file: ${member.role})` });
    } else if (member.role !== current.role) {
      const teamRoles =
        member.teams === undefined
          ? undefined
          : Object.keys(member.teams)
              .filter((t) => this.live.teams.has(t))
              .map((team) => ({ team, role: null }));
      out.changes.push({
        kind: "member",
        action: "update",
        subject: email,
        email,
        memberId: current.id,
        from: current.role,
        to: member.role,
        ...(teamRoles ? { teamRoles } : {}),
      });
    }
  }

  /** The membership steps of a member on Sentry; `implied`: teams whose new role comes with the org role. */
  private memberships(
    email: string,
    member: DeclaredMember,
    current: LiveMember,
    teams: Array<{ team: string; role: TeamRole | undefined }>,
    implied: ReadonlySet<string>,
  ): void {
    const { out, live } = this;
    const wanted = new Map(teams.map((t) => [t.team, declaredTeamRole(member.role, t.role)]));
    const base = { email, memberId: current.id };
    for (const [team, role] of wanted) {
      const liveTeam = live.teams.get(team);
      const subject = `${team}/${email}`;
      const held = current.teams.get(team);
      if (implied.has(team)) continue;
      if (liveTeam?.idp) {
        if (held === undefined)
          out.idpOwned.push({ kind: "team-member", subject, reason: "SCIM manages this team's members: add them in the identity provider" });
        else if (held !== role) out.idpOwned.push({ kind: "team-member", subject, reason: `SCIM manages this team's members (role ${held}; file: ${role})` });
        continue;
      }
      if (held === undefined) {
        // Joining gives the minimum role; a higher one is its own step.
        out.changes.push({ kind: "team-member", action: "add", subject, team, ...base, to: minimumTeamRole(member.role) });
        if (role !== declaredTeamRole(member.role, undefined))
          out.changes.push({ kind: "team-member", action: "update", subject, team, ...base, from: minimumTeamRole(member.role), to: role });
      } else if (held !== role) out.changes.push({ kind: "team-member", action: "update", subject, team, ...base, from: held, to: role });
    }
    for (const [team, held] of current.teams) {
      if (wanted.has(team) || !this.managesMembersOf(team)) continue;
      const subject = `${team}/${email}`;
      const grant = member.teams?.[team];
      const ended = grant !== undefined && hasEnded(grant.until, this.ctx.now);
      if (live.teams.get(team)?.idp)
        out.idpOwned.push({ kind: "team-member", subject, reason: "SCIM manages this team's members: remove them in the identity provider" });
      else if (ended) {
        out.changes.push({
          kind: "team-member",
          action: "remove",
          subject,
          team,
          ...base,
          from: held,
          reason: `until ${grant.until} passed${grant.reason ? ` (${grant.reason})` : ""}`,
          expired: { until: grant.until ?? "", ...(grant.reason ? { reason: grant.reason } : {}) },
        });
      } else out.changes.push({ kind: "team-member", action: "remove", subject, team, ...base, from: held, reason: "not in the member's teams" });
    }
  }

  /** Sentry adds a team's creator to it: take the caller off each new team the file does not put them on. */
  private creatorMemberships(declared: Set<string>): void {
    const caller = this.ctx.caller;
    if (!caller) return;
    const mine = declared.has(caller.email.toLowerCase())
      ? this.config.members[Object.keys(this.config.members).find((e) => e.toLowerCase() === caller.email.toLowerCase()) ?? ""]
      : undefined;
    for (const team of this.created) {
      const wanted = mine?.teams?.[team];
      if (wanted && !hasEnded(wanted.until, this.ctx.now)) continue;
      this.out.changes.push({
        kind: "team-member",
        action: "remove",
        subject: `${team}/${caller.email}`,
        team,
        email: caller.email,
        memberId: caller.id,
        reason: "Sentry adds a team's creator to it; the file does not put the caller on this team",
      });
    }
  }
}

/**
 * Compares the file with the live organization.
 * @example const { changes, unmanaged } = diffAccess(config, live, { now: new Date(), projects, caller: undefined });
 */
export function diffAccess(config: AccessConfig, live: LiveState, ctx: DiffContext): AccessDiff {
  const diff = new Diff(config, live, ctx);
  diff.teams();
  diff.members();
  return diff.out;
}
