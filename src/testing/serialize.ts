/**
 * Sentry's JSON shapes for users, members and teams (serializers in
 * `src/sentry/api/serializers/models/`), filled so they satisfy the official spec's schemas.
 */
import type { Member, Org, Team, User, World } from "./model.js";
import { isInviteExpired, isPending, iso, teamMembers } from "./model.js";
import { effectiveTeamRole, ORG_ROLE_IDS, ORG_ROLES, TEAM_ROLES } from "./roles.js";
import type { RouteContext } from "./router.js";

const LETTER_AVATAR = { avatarType: "letter_avatar", avatarUuid: null, avatarUrl: null };

export function serializeUser(user: User): Record<string, unknown> {
  return {
    id: String(user.id),
    name: user.name,
    username: user.email,
    email: user.email,
    avatarUrl: `https://gravatar.com/avatar/${user.id}?s=32&d=mm`,
    isActive: true,
    isSuspended: false,
    hasPasswordAuth: false,
    isManaged: false,
    dateJoined: iso(user.dateJoined),
    lastLogin: user.lastLogin === null ? null : iso(user.lastLogin),
    has2fa: user.has2fa,
    lastActive: user.lastLogin === null ? null : iso(user.lastLogin),
    isSuperuser: false,
    isStaff: false,
    experiments: {},
    avatar: { avatarType: "letter_avatar", avatarUuid: null },
  };
}

/** `OrganizationMemberSerializer` (list and create). */
export function serializeMember(world: World, member: Member, now: number): Record<string, unknown> {
  const user = member.userId === null ? undefined : world.users.get(member.userId);
  return {
    id: String(member.id),
    email: member.email,
    name: user?.name ?? member.email,
    user: user ? serializeUser(user) : null,
    orgRole: member.orgRole,
    role: member.orgRole,
    roleName: ORG_ROLES[member.orgRole].name,
    pending: isPending(member),
    expired: isInviteExpired(member, now),
    flags: { ...member.flags },
    dateCreated: iso(member.dateCreated),
    inviteStatus: "approved",
    inviterName: member.inviterName,
  };
}

/** `OrganizationMemberWithRolesSerializer` (detail GET/PUT). */
export function serializeMemberDetail(ctx: RouteContext, member: Member): Record<string, unknown> {
  const { org, world, now } = ctx;
  const owners = [...org.members.values()].filter((m) => m.orgRole === "owner" && !isPending(m));
  const callerRole = ctx.member?.orgRole;
  const teams = [...member.teams.entries()]
    .map(([teamId, role]) => ({ team: org.teams.get(teamId), role }))
    .filter((x): x is { team: Team; role: typeof x.role } => x.team !== undefined);
  // No `invite_link` key (test_organization_member_details.py test_invite_link_does_not_exist,
  // test_member_cannot_get_invite_link); `roles` is the deprecated copy of `orgRoleList`
  // (test_lists_organization_roles), which lists member, admin, manager, owner.
  const orgRoleList = ORG_ROLE_IDS.filter((id) => id !== "billing").map((id) => {
    const role = ORG_ROLES[id];
    const allowed = callerRole === undefined ? id === "member" : role.priority <= ORG_ROLES[callerRole].priority;
    return {
      id,
      name: role.name,
      desc: role.desc,
      scopes: [...role.scopes],
      allowed,
      isAllowed: allowed,
      isRetired: role.isRetired,
      isTeamRolesAllowed: role.isTeamRolesAllowed,
      is_global: role.isGlobal,
      isGlobal: role.isGlobal,
      minimumTeamRole: role.minimumTeamRole,
    };
  });
  return {
    ...serializeMember(world, member, now),
    teams: teams.map((t) => t.team.slug),
    teamRoles: teams.map((t) => ({ teamSlug: t.team.slug, role: t.role })),
    isOnlyOwner: member.orgRole === "owner" && owners.length === 1,
    roles: orgRoleList,
    orgRoleList,
    teamRoleList: Object.values(TEAM_ROLES).map((role) => ({
      id: role.id,
      name: role.name,
      desc: role.desc,
      scopes: [...role.scopes],
      allowed: true,
      isAllowed: true,
      isRetired: false,
      isTeamRolesAllowed: true,
      isMinimumRoleFor: role.isMinimumRoleFor,
    })),
  };
}

/** `TeamSerializer`, seen by the caller (isMember/teamRole/access are caller-relative). */
export function serializeTeam(ctx: Pick<RouteContext, "org" | "member">, team: Team): Record<string, unknown> {
  const { org, member } = ctx;
  const stored = member?.teams.get(team.id);
  const isMember = member !== undefined && member.teams.has(team.id);
  const role = member && isMember ? effectiveTeamRole(member.orgRole, stored ?? null) : null;
  const globalAccess = member ? ORG_ROLES[member.orgRole].isGlobal : true;
  const accessRole = role ?? (globalAccess ? "admin" : "contributor");
  return {
    id: String(team.id),
    slug: team.slug,
    name: team.name,
    dateCreated: iso(team.dateCreated),
    isMember,
    teamRole: role,
    flags: { "idp:provisioned": team.idpProvisioned },
    access: [...TEAM_ROLES[accessRole].scopes],
    hasAccess: true,
    isPending: false,
    memberCount: teamMembers(org, team.id).filter((m) => !isPending(m)).length,
    avatar: { ...LETTER_AVATAR },
  };
}

/** One row of `GET /teams/{org}/{team}/members/`: the stored team role, null when the minimum applies (team_members.py). */
export function serializeTeamMember(world: World, team: Team, member: Member, now: number): Record<string, unknown> {
  return { ...serializeMember(world, member, now), teamRole: member.teams.get(team.id) ?? null, teamSlug: team.slug };
}

export function teamSlugsOf(org: Org, member: Member): string[] {
  return [...member.teams.keys()].map((id) => org.teams.get(id)?.slug).filter((s): s is string => s !== undefined);
}
