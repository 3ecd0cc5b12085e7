// The SDK's method → Sentry operation table: the single source of truth for which API operations each
// public method may call. The scope planner and 403 hints read it; resources must keep it in step.
import type { OperationId } from "../generated/operations.js";

const methodOperations = {
  whoami: ["getApiIndex"],

  "org.teams.list": ["listOrganizationTeams"],
  "org.teams.get": ["getTeam"],
  "org.teams.create": ["createOrganizationTeam"],
  "org.teams.update": ["updateTeam"],
  "org.teams.delete": ["deleteTeam"],
  // Creates first; a 409 (slug taken) is resolved by reading the existing team.
  "org.teams.ensure": ["createOrganizationTeam", "getTeam"],
  "org.teams.members": ["listTeamMembers"],
  "org.teams.projects": ["listTeamProjects"],

  "org.members.list": ["listOrganizationMembers"],
  "org.members.get": ["getOrganizationMember"],
  "org.members.invite": ["addOrganizationMember"],
  // PUT replaces the whole team set, so update reads the member first when teamRoles are omitted.
  "org.members.update": ["getOrganizationMember", "updateOrganizationMember"],
  "org.members.remove": ["deleteOrganizationMember"],
  // Adding joins the team; a `teamRole` option then sets the role with a second call.
  "org.members.addToTeam": ["addOrganizationMemberTeam", "updateOrganizationMemberTeam"],
  "org.members.removeFromTeam": ["deleteOrganizationMemberTeam"],
  "org.members.setTeamRole": ["updateOrganizationMemberTeam"],
  "org.members.getTeamRole": ["getOrganizationMemberTeam"],
  "org.members.findByEmail": ["listOrganizationMembers"],

  "org.projects.list": ["listOrganizationProjects"],
  "org.projects.teams": ["listProjectTeams"],
  "org.projects.addTeam": ["addProjectTeam"],
  "org.projects.removeTeam": ["deleteProjectTeam"],

  "org.authTokens.list": ["listOrganizationAuthTokens"],
  "org.authTokens.create": ["createOrganizationAuthToken"],
  "org.authTokens.get": ["getOrganizationAuthToken"],
  "org.authTokens.rename": ["updateOrganizationAuthToken"],
  "org.authTokens.delete": ["deleteOrganizationAuthToken"],

  "scim.users.list": ["listOrganizationScimV2Users"],
  "scim.users.get": ["getOrganizationScimV2User"],
  "scim.users.provision": ["provisionOrganizationScimV2User"],
  "scim.users.deactivate": ["updateOrganizationScimV2User"],
  "scim.users.patch": ["updateOrganizationScimV2User"],
  "scim.users.setRole": ["replaceOrganizationScimV2UserRole"],
  "scim.users.delete": ["deleteOrganizationScimV2User"],

  "scim.groups.list": ["listOrganizationScimV2Groups"],
  "scim.groups.get": ["getOrganizationScimV2Group"],
  // Creates the (always empty) group, then adds `members` and reads the result when members are given.
  "scim.groups.create": ["provisionOrganizationScimV2Group", "updateOrganizationScimV2Group", "getOrganizationScimV2Group"],
  "scim.groups.rename": ["updateOrganizationScimV2Group"],
  "scim.groups.addMembers": ["updateOrganizationScimV2Group"],
  "scim.groups.removeMembers": ["updateOrganizationScimV2Group"],
  "scim.groups.delete": ["deleteOrganizationScimV2Group"],

  "apiTokens.list": ["listApiTokens"],
  "apiTokens.create": ["createApiToken"],
  "apiTokens.get": ["getApiToken"],
  "apiTokens.rename": ["updateApiToken"],
  "apiTokens.delete": ["deleteApiToken"],

  "auditLogs.list": ["listOrganizationAuditLogs"],
} as const satisfies Record<string, readonly OperationId[]>;

/** A public SDK method path such as `"org.teams.create"`. */
export type SdkMethod = keyof typeof methodOperations;

/**
 * SDK method path → the Sentry operationIds that method may call.
 * @example METHOD_OPERATIONS["org.members.invite"] // ["addOrganizationMember"]
 */
export const METHOD_OPERATIONS: Readonly<Record<string, readonly OperationId[]>> = Object.freeze(methodOperations);

/** Every SDK method path in the table, in declaration order. */
export const SDK_METHODS: readonly SdkMethod[] = Object.freeze(Object.keys(methodOperations) as SdkMethod[]);

/**
 * True when `name` is an SDK method path in the table.
 * @example isSdkMethod("org.teams.create") // true
 */
export function isSdkMethod(name: string): name is SdkMethod {
  return Object.hasOwn(methodOperations, name);
}
