/**
 * The capability preflight: what the token is (kind from its prefix, its own scopes from Sentry's API root, the
 * calling member's org role), and which planned changes Sentry would refuse it — those go under `blocked` with
 * Sentry's reason instead of failing halfway through an apply (facts §5, §11).
 */
import type { SentryClient } from "../../client.js";
import { operationTable, type OperationId } from "../../generated/operations.js";
import { expandScopes, orgRoleDefinition, type OrgRole } from "../../vocabulary/roles.js";
import { sentryTokenFormat } from "../../vocabulary/tokens.js";
import type { LiveMember, LiveState } from "./live.js";
import type { AccessCapabilities, AccessChange } from "./types.js";

/** The caller as the plan sees it. */
export interface Caller {
  capabilities: AccessCapabilities;
  /** Effective scopes: a user token's scopes bounded by its member's role; an integration's app scopes. */
  scopes: Set<string>;
  member: LiveMember | undefined;
  /**
   * Open membership (Sentry's `allow_joinleave`), known only when the read itself proves it: a user whose role is
   * not global read the member list of a team it is not on. That list passes TeamPermission, which needs access
   * to the team (src/sentry/api/bases/team.py), and such a user has access to other teams only through open
   * membership (`has_global_access`, src/sentry/auth/access.py). Otherwise false: the plan stays conservative.
   */
  openMembership: boolean;
}

/** Token kind from Sentry's prefixes (facts §0); legacy tokens without a prefix are user tokens. */
export function tokenKindOf(token: string): AccessCapabilities["tokenKind"] {
  const format = sentryTokenFormat(token);
  if (format === "user" || format === "legacy") return "user";
  return format === "org" || format === "integration" ? format : "unknown";
}

/** Reads the token's kind (its prefix only is kept) and its own scopes and user from the API root. */
export async function readToken(sentry: SentryClient): Promise<{ kind: AccessCapabilities["tokenKind"]; scopes: string[]; userId: string | null }> {
  const kind = tokenKindOf(await sentry.transport.config.readToken("api"));
  const index = await sentry.whoami();
  const user = index.user as { id?: unknown } | null | undefined;
  return { kind, scopes: [...(index.auth?.scopes ?? [])], userId: user && user.id !== undefined ? String(user.id) : null };
}

/** Combines the token facts with the live member list into the caller. */
export function callerOf(token: { kind: AccessCapabilities["tokenKind"]; scopes: string[]; userId: string | null }, live: LiveState): Caller {
  const member = token.userId === null ? undefined : live.members.find((m) => m.userId === token.userId && !m.pending);
  const held = expandScopes(token.scopes);
  let scopes: Set<string>;
  if (token.kind === "integration") scopes = held;
  else if (token.kind === "org") scopes = new Set(["org:ci"]);
  else {
    const roleScopes = member ? expandScopes(orgRoleDefinition(member.role).scopes) : new Set<string>();
    scopes = new Set([...held].filter((scope) => roleScopes.has(scope)));
  }
  const openMembership =
    token.kind === "user" &&
    member !== undefined &&
    !orgRoleDefinition(member.role).isGlobal &&
    [...live.teams.values()].some((team) => team.memberCount > 0 && !member.teams.has(team.slug));
  return {
    capabilities: { tokenKind: token.kind, tokenScopes: token.scopes, callerEmail: member?.email, callerRole: member?.role },
    scopes,
    member,
    openMembership,
  };
}

function priority(role: OrgRole): number {
  return orgRoleDefinition(role).priority;
}

function lacks(caller: Caller, op: OperationId, extra = ""): string | undefined {
  const accepted = operationTable[op].scopes;
  if (accepted.length === 0 || accepted.some((scope) => caller.scopes.has(scope))) return undefined;
  return `the token lacks ${accepted.join(" or ")}${extra}`;
}

function canManageMemberships(caller: Caller, team: string, target: string | undefined, action: AccessChange["action"]): boolean {
  if (caller.capabilities.tokenKind === "org") return false;
  if (caller.scopes.has("org:write") || caller.scopes.has("team:write")) return true;
  // A team-role change passes `can_admin_team`, which member:write satisfies too — for an integration token, whose
  // access is a member of every team (organization_member_utils.py; test_organization_member_team_details.py
  // test_member_write_scope_can_manage_team_roles).
  if (action === "update" && caller.scopes.has("member:write")) return true;
  const me = caller.member;
  if (!me) return false;
  if (target !== undefined && me.email.toLowerCase() === target.toLowerCase()) return true;
  // A join (POST) is `has_global_access or can_admin_team` (organization_member_team_details.py
  // `_can_create_team_member`); open membership gives every member global access. Team roles and removals
  // are not widened by it.
  if (action === "add" && caller.openMembership) return true;
  return orgRoleDefinition(me.role).isGlobal || me.teams.get(team) === "admin";
}

function roleChangeReason(caller: Caller, change: AccessChange): string | undefined {
  const kind = caller.capabilities.tokenKind;
  if (kind === "integration" || kind === "org") return `org-role changes need a user token: Sentry refuses them for ${kind} tokens`;
  if (!caller.scopes.has("member:admin")) return "org-role changes need member:admin (Sentry allows only the roles the caller may assign)";
  if (caller.member && change.email?.toLowerCase() === caller.member.email.toLowerCase()) return "Sentry does not let a member change their own role";
  const mine = caller.capabilities.callerRole;
  if (change.to === "admin") return "the admin org role is retired: Sentry refuses to assign it";
  for (const role of [change.from, change.to]) {
    if (mine === undefined || (role !== undefined && priority(role as OrgRole) > priority(mine))) {
      return `the token's user (${mine ?? "no member"}) cannot manage the ${role} role`;
    }
  }
  return undefined;
}

function inviteReason(caller: Caller, change: AccessChange): string | undefined {
  const missing = lacks(caller, "addOrganizationMember");
  if (missing) return missing;
  const role = (change.to ?? "member") as OrgRole;
  if (role === "admin") return "the admin org role is retired: Sentry refuses to assign it";
  if (caller.capabilities.tokenKind === "integration" && role !== "member") return "integration tokens may invite only with the member role";
  const mine = caller.capabilities.callerRole;
  if (caller.capabilities.tokenKind !== "integration" && (mine === undefined || priority(role) > priority(mine))) {
    return `the token's user (${mine ?? "no member"}) cannot invite with the higher ${role} role`;
  }
  // Invite-only callers are held to their own teams only without open membership (organization_member_index.py
  // `members_can_only_invite_to_members_teams`; test_organization_member_index.py test_member_invites).
  if (!caller.scopes.has("member:write") && caller.capabilities.tokenKind !== "integration" && caller.member && !caller.openMembership) {
    const own = caller.member.teams;
    const foreign = (change.teamRoles ?? []).map((t) => t.team).filter((team) => !own.has(team));
    if (foreign.length > 0) return `with only member:invite Sentry lets the caller add invitees to its own teams, not ${foreign.join(", ")}`;
  }
  return undefined;
}

function removeReason(caller: Caller, change: AccessChange, live: LiveState): string | undefined {
  if (!caller.scopes.has("member:admin")) return "removing members needs member:admin";
  const target = change.email === undefined ? undefined : live.byEmail.get(change.email.toLowerCase());
  const mine = caller.capabilities.callerRole;
  if (target && caller.capabilities.tokenKind !== "integration" && (mine === undefined || priority(target.role) > priority(mine))) {
    return "Sentry refuses to remove a member who has more access than the caller";
  }
  if (target?.role === "owner" && caller.capabilities.tokenKind === "integration") return "integration tokens cannot remove owners";
  return undefined;
}

/**
 * Why Sentry would refuse this change to this caller, or undefined when it would accept it.
 * @example const reason = blockReason(caller, change, live); if (reason) blocked.push({ ...change, reason });
 */
export function blockReason(caller: Caller, change: AccessChange, live: LiveState): string | undefined {
  if (caller.capabilities.tokenKind === "org") return "org auth tokens carry only org:ci: they cannot change access";
  switch (change.kind) {
    case "team":
      return lacks(caller, change.action === "create" ? "createOrganizationTeam" : change.action === "delete" ? "deleteTeam" : "updateTeam");
    case "project-team":
      return lacks(caller, change.action === "add" ? "addProjectTeam" : "deleteProjectTeam");
    case "member":
      if (change.action === "invite") return inviteReason(caller, change);
      if (change.action === "reinvite") {
        return (
          lacks(caller, "updateOrganizationMember") ??
          (caller.scopes.has("member:admin") ? undefined : "re-sending an expired invite regenerates it, which needs member:admin")
        );
      }
      if (change.action === "update") return lacks(caller, "updateOrganizationMember") ?? roleChangeReason(caller, change);
      return removeReason(caller, change, live);
    case "team-member": {
      const op: OperationId =
        change.action === "add" ? "addOrganizationMemberTeam" : change.action === "update" ? "updateOrganizationMemberTeam" : "deleteOrganizationMemberTeam";
      const missing = lacks(caller, op);
      if (missing) return missing;
      if (!canManageMemberships(caller, change.team ?? "", change.email, change.action)) {
        return (
          `changing others' membership of ${change.team} needs org:write, team:write or team admin of ${change.team}` +
          (change.action === "add" ? " (Sentry files an access request instead)" : "")
        );
      }
      return undefined;
    }
  }
}
