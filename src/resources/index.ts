/**
 * The resource namespaces a client exposes (`sentry.org.teams`, `sentry.org.members`, ...), built from one
 * client context so every namespace shares the transport (and so the limiter) of its client.
 */
import type { ApiIndex } from "../generated/models.js";
import { typedApi } from "../http/send/index.js";
import { type ApiTokensResource, createApiTokensResource } from "./api-tokens.js";
import { type AuditLogsResource, createAuditLogsResource } from "./audit-logs.js";
import type { ClientContext } from "./context.js";
import { createMembersResource, type MembersResource } from "./members.js";
import { createOrgAuthTokensResource, type OrgAuthTokensResource } from "./org-auth-tokens.js";
import { createProjectsResource, type ProjectsResource } from "./projects.js";
import { createScimGroupsResource, type ScimGroupsResource } from "./scim-groups.js";
import { createScimUsersResource, type ScimUsersResource } from "./scim-users.js";
import { createTeamsResource, type TeamsResource } from "./teams.js";

export type { TeamsResource } from "./teams.js";
export type { MembersResource } from "./members.js";
export type { ProjectsResource } from "./projects.js";
export type * from "./types.js";
// Every named model (and the shapes inside them: Avatar, User, Organization...), generated from the spec.
export type * from "../generated/models.js";
export type { ScimUser, ScimUserInput, ScimOrgRole, ScimUserListOptions, ScimUsersResource } from "./scim-users.js";
export type { ScimGroup, ScimGroupMember, ScimGroupInput, ScimGroupListOptions, ScimGroupsResource } from "./scim-groups.js";
export type { ScimPatchOperation } from "./validate-scim.js";
export type { ApiToken, ApiTokenWithValue, ApiTokenInput, ApiTokensResource } from "./api-tokens.js";
export type { OrgAuthToken, OrgAuthTokenWithValue, OrgAuthTokenInput, OrgAuthTokensResource } from "./org-auth-tokens.js";
export type { AuditLogEntry, AuditLogListOptions, AuditLogsResource } from "./audit-logs.js";
export type { AuditLogEvent, KnownAuditLogEvent } from "./audit-events.js";
export { AUDIT_LOG_EVENTS } from "./audit-events.js";
export type { ListOptions } from "./context.js";
export { METHOD_OPERATIONS, SDK_METHODS, isSdkMethod, type SdkMethod } from "./method-operations.js";

/** `sentry.org`: the organization's slug and its org-scoped namespaces. */
export interface OrgResources {
  /** The organization slug this client is bound to (undefined until `org`, SENTRY_ORG or `withOrg`). */
  readonly slug: string | undefined;
  readonly teams: TeamsResource;
  readonly members: MembersResource;
  readonly projects: ProjectsResource;
  /** Org auth tokens (`org:ci` only): list/create need a browser session; get, rename and delete work with a token. */
  readonly authTokens: OrgAuthTokensResource;
}

/** `sentry.scim`: SCIM v2 users and groups (sent with `scimToken` when one is configured). */
export interface ScimResources {
  readonly users: ScimUsersResource;
  readonly groups: ScimGroupsResource;
}

/** What Sentry's API root says about the caller: the token's own scopes (null without a token) and its user. */
export type { ApiIndex } from "../generated/models.js";

/** Every resource namespace of a client. */
export interface ResourceNamespaces {
  /**
   * The calling token's scopes and user, from `GET /api/0/` (one cheap authenticated call; works with any token).
   * @example const { auth } = await sentry.whoami(); console.log(auth?.scopes);
   * @throws {AuthenticationError} when the token is unknown, revoked or expired.
   */
  whoami(): Promise<ApiIndex>;
  readonly org: OrgResources;
  readonly scim: ScimResources;
  /** The caller's personal API tokens: list/create need a browser session; get, rename and delete work with a token. */
  readonly apiTokens: ApiTokensResource;
  readonly auditLogs: AuditLogsResource;
}

/**
 * Builds every namespace for a client context.
 * @example const { org } = createResources(ctx); await org.teams.get("payments");
 */
export function createResources(ctx: ClientContext): ResourceNamespaces {
  return {
    whoami: async () => (await typedApi(ctx.transport).GET("/api/0/")).data as ApiIndex,
    org: Object.freeze({
      slug: ctx.org,
      teams: createTeamsResource(ctx),
      members: createMembersResource(ctx),
      projects: createProjectsResource(ctx),
      authTokens: createOrgAuthTokensResource(ctx),
    }),
    scim: Object.freeze({ users: createScimUsersResource(ctx), groups: createScimGroupsResource(ctx) }),
    apiTokens: createApiTokensResource(ctx),
    auditLogs: createAuditLogsResource(ctx),
  };
}
