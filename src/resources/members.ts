/**
 * `sentry.org.members`: list, invite, change roles, remove, and manage team memberships. Encodes what Sentry's code
 * does where the spec is silent (facts §5): PUT replaces the whole team set, so `update` always sends `teamRoles`;
 * invite conflicts are 400s (surfaced as ConflictError); joining a team answers 201, 202 or 204.
 */
import { ValidationError } from "../http/errors/index.js";
import { typedApi } from "../http/send/index.js";
import type { Paginator } from "../http/pages/index.js";
import type { TeamRole } from "../vocabulary/roles.js";
import { removeIfPresent, type ClientContext, linkPaginator, type ListOptions, orgPath } from "./context.js";
import type {
  AddToTeamOptions,
  AddToTeamResult,
  InvitedMember,
  Member,
  MemberDetails,
  MemberInvite,
  MemberListOptions,
  MemberTeam,
  MemberUpdate,
  RemoveOptions,
  RemoveResult,
  TeamMembership,
  TeamRoleAssignment,
  TeamRoleChange,
} from "./types.js";
import { assertEmail, assertMemberId, assertOrgRole, assertSlug, assertTeamRole, assertText } from "./validate.js";

/** The `sentry.org.members` namespace. Member ids are numeric (as number or string) or `"me"`. */
export interface MembersResource {
  /**
   * Members and pending invites, id order, optionally filtered with Sentry's query syntax.
   * @example for await (const m of sentry.org.members.list({ query: "role:owner ssoLinked:false" })) console.log(m.email);
   * @throws {ValidationError} for a bad `perPage` or `query` (before any request).
   */
  list(options?: MemberListOptions & ListOptions): Paginator<Member>;
  /**
   * One member with team roles.
   * @example const me = await sentry.org.members.get("me");
   * @throws {NotFoundError} when there is no such member.
   */
  get(id: string | number): Promise<MemberDetails>;
  /**
   * Invites someone by email. Sentry saves team memberships but ignores team roles on invite.
   * @example await sentry.org.members.invite({ email: "ana@acme.com", orgRole: "member", teamRoles: [{ team: "payments" }] });
   * @throws {ConflictError} when the email is already a member, already invited or has an invite request.
   * @throws {ValidationError} for a bad email, role or team (before any request).
   */
  invite(input: MemberInvite): Promise<InvitedMember>;
  /**
   * Changes a member's org role and/or team set. Without `teamRoles` the member's current team roles are read
   * first and resent, because Sentry's PUT replaces the whole team set.
   * @example await sentry.org.members.update(42, { orgRole: "manager" });
   * @throws {PermissionError | ValidationError} for role changes: they need a user token whose role is at least as
   *   high as both the old and the new role (see the error's hint).
   */
  update(id: string | number, input: MemberUpdate): Promise<MemberDetails>;
  /**
   * Removes a member (or revokes a pending invite).
   * @example await sentry.org.members.remove(42);
   * @throws {ValidationError} (400) when the caller's role is too low; PermissionError for the last owner or an
   *   IdP-provisioned member.
   */
  remove(id: string | number): Promise<void>;
  /**
   * Adds a member to a team; being on the team already is success. With `teamRole`, sets that role afterwards.
   * @example const { status } = await sentry.org.members.addToTeam(42, "payments", { teamRole: "admin" });
   * @throws {NotFoundError} when the member or team does not exist.
   */
  addToTeam(id: string | number, team: string, options?: AddToTeamOptions): Promise<AddToTeamResult>;
  /**
   * Removes a member from a team. With `{ ifPresent: true }` a 404 (member or team gone) is success.
   * @example await sentry.org.members.removeFromTeam(42, "payments", { ifPresent: true });
   * @throws {NotFoundError} when the member or team does not exist and `ifPresent` is not set.
   */
  removeFromTeam(id: string | number, team: string, options?: RemoveOptions): Promise<RemoveResult<MemberTeam>>;
  /**
   * Sets a member's role on a team they are on. Sentry answers `teamRole: null` when the role is at or below the
   * minimum the org role implies.
   * @example await sentry.org.members.setTeamRole(42, "payments", "admin");
   * @throws {NotFoundError} when the member is not on the team.
   */
  setTeamRole(id: string | number, team: string, role: TeamRole): Promise<TeamRoleChange>;
  /**
   * Reads a member's membership of one team: whether it is active and the stored team role (`null` when the
   * member's org role already implies it, so `null` on an admin, manager or owner means team admin).
   * @example const { teamRole } = await sentry.org.members.getTeamRole("me", "payments");
   * @throws {NotFoundError} when the member or team does not exist, or the member is not on the team.
   * @throws {ValidationError} for a bad member id or team slug (before any request).
   */
  getTeamRole(id: string | number, team: string): Promise<TeamMembership>;
  /**
   * The member (or pending invite) with this email, or undefined.
   * @example const member = await sentry.org.members.findByEmail("ana@acme.com");
   * @throws {ValidationError} for a malformed email (before any request).
   */
  findByEmail(email: string): Promise<Member | undefined>;
}

const MEMBERS = "/api/0/organizations/{organization_id_or_slug}/members/";
const MEMBER = "/api/0/organizations/{organization_id_or_slug}/members/{member_id}/";
const MEMBER_TEAM = "/api/0/organizations/{organization_id_or_slug}/members/{member_id}/teams/{team_id_or_slug}/";

/** Sentry's body shape for team roles. */
// A type alias (not an interface) so it fits the spec's `{ [key: string]: unknown }[]` body type.
type SentryTeamRole = { teamSlug: string; role: TeamRole | null };

function toSentryTeamRoles(field: string, value: unknown): SentryTeamRole[] {
  if (!Array.isArray(value)) throw ValidationError.forInput(field, "must be an array of { team, role }");
  return (value as unknown[]).map((entry, i) => {
    if (typeof entry !== "object" || entry === null) throw ValidationError.forInput(`${field}[${i}]`, "must be { team, role }");
    const { team, role } = entry as Partial<TeamRoleAssignment>;
    const teamSlug = assertSlug(`${field}[${i}].team`, team);
    return { teamSlug, role: role === undefined || role === null ? null : assertTeamRole(`${field}[${i}].role`, role) };
  });
}

function currentTeamRoles(member: MemberDetails): SentryTeamRole[] {
  // Roles read back are null at the minimum; unknown strings from a newer server are resent as null (the minimum).
  return member.teamRoles.map(({ teamSlug, role }) => ({ teamSlug, role: role === "admin" || role === "contributor" ? role : null }));
}

/**
 * Builds `sentry.org.members` for a client context.
 * @example const members = createMembersResource(ctx); await members.findByEmail("ana@acme.com");
 */
export function createMembersResource(ctx: ClientContext): MembersResource {
  const api = typedApi(ctx.transport);
  const memberPath = (id: string | number) => ({ ...orgPath(ctx), member_id: assertMemberId("id", id) });
  const memberTeamPath = (id: string | number, team: string) => ({ ...memberPath(id), team_id_or_slug: assertSlug("team", team) });

  const list = (options: MemberListOptions & ListOptions = {}): Paginator<Member> => {
    const query = options.query === undefined ? undefined : assertText("query", options.query);
    const path = orgPath(ctx);
    return linkPaginator(ctx, options, (page, signal) => {
      const params = query === undefined ? page : { ...page, query };
      return api.GET(MEMBERS, { params: { path, query: params }, signal });
    });
  };
  const get = async (id: string | number): Promise<MemberDetails> => {
    const { data } = await api.GET(MEMBER, { params: { path: memberPath(id) } });
    return data as MemberDetails;
  };
  const setTeamRole = async (id: string | number, team: string, role: TeamRole): Promise<TeamRoleChange> => {
    const path = memberTeamPath(id, team);
    const teamRole = assertTeamRole("role", role);
    const { data } = await api.PUT(MEMBER_TEAM, { params: { path }, body: { teamRole } });
    return data as TeamRoleChange;
  };

  const getTeamRole = async (id: string | number, team: string): Promise<TeamMembership> => {
    // Private in Sentry, described in spec/supplement.yaml (organization_member_team_details.py `get`).
    const { data } = await api.GET(MEMBER_TEAM, { params: { path: memberTeamPath(id, team) } });
    return data as TeamMembership;
  };

  return {
    list,
    get,
    getTeamRole,
    async invite(input) {
      const email = assertEmail("email", input.email);
      const orgRole = input.orgRole === undefined ? undefined : assertOrgRole("orgRole", input.orgRole);
      const teamRoles = input.teamRoles === undefined ? undefined : toSentryTeamRoles("teamRoles", input.teamRoles);
      if (input.sendInvite !== undefined && typeof input.sendInvite !== "boolean") {
        throw ValidationError.forInput("sendInvite", "must be a boolean");
      }
      const body = {
        email,
        ...(orgRole === undefined ? {} : { orgRole }),
        ...(teamRoles === undefined ? {} : { teamRoles }),
        ...(input.sendInvite === undefined ? {} : { sendInvite: input.sendInvite }),
      };
      const { data } = await api.POST(MEMBERS, { params: { path: orgPath(ctx) }, body });
      return data as InvitedMember;
    },
    async update(id, input) {
      const path = memberPath(id);
      const orgRole = input.orgRole === undefined ? undefined : assertOrgRole("orgRole", input.orgRole);
      let teamRoles = input.teamRoles === undefined ? undefined : toSentryTeamRoles("teamRoles", input.teamRoles);
      if (orgRole === undefined && teamRoles === undefined) throw ValidationError.forInput("input", "give orgRole and/or teamRoles");
      // PUT replaces the team set even when teamRoles is omitted (facts §5): resend what the member has now.
      teamRoles ??= currentTeamRoles(await get(path.member_id));
      const body = { ...(orgRole === undefined ? {} : { orgRole }), teamRoles };
      const { data } = await api.PUT(MEMBER, { params: { path }, body });
      return data as MemberDetails;
    },
    async remove(id) {
      await api.DELETE(MEMBER, { params: { path: memberPath(id) } });
    },
    async addToTeam(id, team, options = {}) {
      const path = memberTeamPath(id, team);
      const wanted = options.teamRole === undefined ? undefined : assertTeamRole("teamRole", options.teamRole);
      const { data, response } = await api.POST(MEMBER_TEAM, { params: { path } });
      const status = response.status === 202 ? "requested" : response.status === 204 ? "already-member" : "added";
      const teamRole = wanted !== undefined && status !== "requested" ? await setTeamRole(path.member_id, path.team_id_or_slug, wanted) : undefined;
      return { status, team: status === "added" ? data : undefined, teamRole };
    },
    async removeFromTeam(id, team, options = {}) {
      const path = memberTeamPath(id, team);
      return removeIfPresent<MemberTeam>(options, () => api.DELETE(MEMBER_TEAM, { params: { path } }));
    },
    setTeamRole,
    async findByEmail(email) {
      const address = assertEmail("email", email);
      // A comma or quote would split or end the query token (`email:a,b` means two emails).
      if (/[",]/.test(address)) throw ValidationError.forInput("email", "must not contain a comma or a double quote");
      const wanted = address.toLowerCase();
      const matches = await list({ query: `email:${address}`, perPage: 10 }).toArray({ limit: 10 });
      return matches.find((member) => member.email.toLowerCase() === wanted);
    },
  };
}
