/**
 * The SDK's input and result shapes (`teamRoles: [{ team, role }]` rather than Sentry's `teamSlug`), and the named
 * resource models (`Team`, `Member`...), which `npm run generate` writes to generated/models.ts from the spec.
 */
import type { MemberTeam, MemberTeamRole, Team } from "../generated/models.js";
import type { OrgRole, TeamRole } from "../vocabulary/roles.js";

export type {
  InvitedMember,
  Member,
  MemberDetails,
  MemberTeam,
  OrganizationTeam,
  Project,
  ProjectTeam,
  ProjectWithTeams,
  Team,
  TeamMember,
  TeamProject,
} from "../generated/models.js";

/**
 * A member's team role after `setTeamRole`. Sentry stores (and answers) `null` when the role is at or below the
 * minimum implied by the org role (facts §4), although the spec says the field is always set.
 */
export interface TeamRoleChange extends Omit<MemberTeamRole, "teamRole"> {
  teamRole: TeamRole | null;
}

/**
 * A member's membership of one team, as `members.getTeamRole` reads it. `teamRole` is the role Sentry stores: `null`
 * when the member's org role already implies it (admins, managers and owners are at least team admins).
 */
export interface TeamMembership {
  isActive: boolean;
  teamRole: TeamRole | null;
}

/** `teams.create` / `teams.ensure` input: the slug is required, the name defaults to it. */
export interface TeamInput {
  slug: string;
  name?: string;
}

/** `teams.update` patch: a new slug and/or name. */
export interface TeamPatch {
  slug?: string;
  name?: string;
}

/** What `teams.ensure` did: `created` false when the slug already existed. */
export interface EnsureTeamResult {
  team: Team;
  created: boolean;
}

/** A team membership with an optional team role; `null`/omitted = the minimum the org role implies. */
export interface TeamRoleAssignment {
  /** Team slug. */
  team: string;
  role?: TeamRole | null;
}

/** `members.invite` input. Sentry ignores team roles on invite (only membership is saved): set them later. */
export interface MemberInvite {
  email: string;
  /** Defaults to the organization's default role (`member`). */
  orgRole?: OrgRole;
  teamRoles?: readonly TeamRoleAssignment[];
  /** False adds the invite without emailing it; default true. */
  sendInvite?: boolean;
}

/** `members.update` input. Omitted `teamRoles` keep the member's current teams (they are read and resent). */
export interface MemberUpdate {
  orgRole?: OrgRole;
  /** The member's complete team set: teams left out are removed. */
  teamRoles?: readonly TeamRoleAssignment[];
}

/** `members.addToTeam` options. */
export interface AddToTeamOptions {
  /** Set this team role after joining (a second call). */
  teamRole?: TeamRole;
}

/**
 * What `members.addToTeam` did: `added` (201), `already-member` (204), or `requested` (202: the caller may not add
 * others, so Sentry filed an access request and nothing changed yet).
 */
export interface AddToTeamResult {
  status: "added" | "already-member" | "requested";
  /** The team, when Sentry returned it (only on `added`). */
  team: MemberTeam | undefined;
  /** The role change, when `teamRole` was given and the member is on the team. */
  teamRole: TeamRoleChange | undefined;
}

/** Options of the removing helpers. */
export interface RemoveOptions {
  /** Treat a 404 (member, team or project gone) as success instead of throwing NotFoundError. */
  ifPresent?: boolean;
}

/** What a removal did: `removed` false only when `ifPresent` turned a 404 into success. */
export interface RemoveResult<T> {
  removed: boolean;
  /** Sentry's answer (the team or the project) when it sent one. */
  result: T | undefined;
}

/** `teams.list` options: Sentry's `query` syntax (`slug:payments`, `id:12`, free text) and paging. */
export interface TeamListOptions {
  query?: string;
  /** False leaves out each team's projects (smaller pages). Default true. */
  detailed?: boolean;
}

/** `members.list` options: Sentry's query syntax (`email:`, `role:`, `ssoLinked:`, `isInvited:`, `has2fa:`...). */
export interface MemberListOptions {
  query?: string;
}

/** `projects.list` options: Sentry's query syntax (`slug:`, `id:`, free text). */
export interface ProjectListOptions {
  query?: string;
}
