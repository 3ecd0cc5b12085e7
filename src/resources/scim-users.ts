/**
 * `sentry.scim.users`: SCIM v2 Users, i.e. organization members as an identity provider sees them. Requests use the
 * client's `scimToken` when one is set. Paths have no trailing slash and ids are numeric member ids (facts §6, §10);
 * deactivating (PATCH `active: false`) and deleting both remove the member for good.
 */
import type { ScimUser, ScimUserInput } from "../generated/models.js";
import { ValidationError } from "../http/errors/index.js";
import { typedApi } from "../http/send/index.js";
import { Paginator, scimPageFetcher } from "../http/pages/index.js";
import { type ClientContext, withDefaultPerPage, type ListOptions, orgPath } from "./context.js";
import { assertEmail, assertNumericId, assertPerPage, scimFilterValue } from "./validate.js";
import { assertPatchOperations, type ScimPatchOperation } from "./validate-scim.js";

export type { ScimPatchOperation } from "./validate-scim.js";

export type { ScimUser, ScimUserInput } from "../generated/models.js";
/** Org roles an identity provider may assign (never `owner`). */
export type ScimOrgRole = NonNullable<ScimUserInput["sentryOrgRole"]>;
type ProvisionBody = ScimUserInput;

/** `scim.users.list` options: an exact `userName` (email) filter plus paging (`cursor` is a 1-based start index). */
export interface ScimUserListOptions extends ListOptions {
  filter?: { userName?: string };
}

/** The `sentry.scim.users` namespace. */
export interface ScimUsersResource {
  /**
   * Every SCIM user (members and pending invites), or the one matching `filter.userName`.
   * @example const [ana] = await sentry.scim.users.list({ filter: { userName: "ana@acme.com" } }).toArray();
   * @throws {ValidationError} for a bad filter value or `perPage` (before any request).
   */
  list(options?: ScimUserListOptions): Paginator<ScimUser>;
  /**
   * One SCIM user by member id.
   * @example const user = await sentry.scim.users.get(42);
   * @throws {NotFoundError} when there is no such member.
   */
  get(id: string | number): Promise<ScimUser>;
  /**
   * Invites a member the way an identity provider does (the member is marked `idp:provisioned`).
   * @example const user = await sentry.scim.users.provision({ userName: "ana@acme.com", sentryOrgRole: "member" });
   * @throws {ConflictError} when the email is already a member (409) or already invited (400).
   * @throws {ValidationError} for a bad email or role (before any request).
   */
  provision(user: ScimUserInput): Promise<ScimUser>;
  /**
   * Deactivates a user: Sentry then deletes the member (there is no soft deactivation).
   * @example await sentry.scim.users.deactivate(42);
   * @throws {NotFoundError} when there is no such member.
   */
  deactivate(id: string | number): Promise<void>;
  /**
   * Sends raw PatchOp operations (Sentry accepts only `replace` of `active`).
   * @example await sentry.scim.users.patch(42, [{ op: "replace", path: "active", value: false }]);
   * @throws {ValidationError} for malformed operations (before any request) or ones Sentry refuses (400).
   */
  patch(id: string | number, ops: readonly ScimPatchOperation[]): Promise<void>;
  /**
   * Sets the org role the identity provider manages for a user (Sentry's experimental SCIM PUT, `sentryOrgRole`):
   * the member gets `role` and the `idp:role-restricted` lock, so only the IdP changes it. `null` hands the role back
   * to Sentry: a locked member (or one on the default role) gets the org's default role and loses the lock, anyone
   * else is left as is. Owners are never changed. Sentry writes no audit entry for it.
   * @example const user = await sentry.scim.users.setRole(42, "manager"); // user.sentryOrgRole === "manager"
   * @throws {ValidationError} for a role an IdP may not set, such as owner (before any request).
   * @throws {NotFoundError} when there is no such member.
   * @throws {PermissionError} for a member managed by a partnership, or a token without member:write.
   */
  setRole(id: string | number, role: ScimOrgRole | null): Promise<ScimUser>;
  /**
   * Deletes the member.
   * @example await sentry.scim.users.delete(42);
   * @throws {NotFoundError} when there is no such member; PermissionError for the last owner.
   */
  delete(id: string | number): Promise<void>;
}

const USERS = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Users";
const USER = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Users/{member_id}";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
/** The SCIM message schema of a PatchOp body. */
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SCIM_ORG_ROLES: readonly ScimOrgRole[] = ["billing", "member", "manager", "admin"];

function checkProvision(user: ScimUserInput): ProvisionBody {
  if (typeof user !== "object" || user === null) throw ValidationError.forInput("user", "must be an object { userName, sentryOrgRole? }");
  const userName = assertEmail("userName", user.userName);
  if (user.sentryOrgRole === undefined) return { userName };
  if (!SCIM_ORG_ROLES.includes(user.sentryOrgRole)) {
    throw ValidationError.forInput("sentryOrgRole", `must be one of ${SCIM_ORG_ROLES.join(", ")} (owners cannot be provisioned)`);
  }
  return { userName, sentryOrgRole: user.sentryOrgRole };
}

/**
 * Builds `sentry.scim.users` for a client context.
 * @example const users = createScimUsersResource(ctx); await users.deactivate(42);
 */
export function createScimUsersResource(ctx: ClientContext): ScimUsersResource {
  const api = typedApi(ctx.transport);
  const userPath = (id: string | number) => ({ ...orgPath(ctx), member_id: assertNumericId("id", id) });
  const sendPatch = async (id: string | number, ops: ScimPatchOperation[]): Promise<void> => {
    const path = userPath(id);
    // Sentry's serializer wants the SCIM `schemas` member, which the spec leaves out of the body type.
    const Operations = ops.map(({ op, path: attr, value }) => ({ op, value, ...(attr === undefined ? {} : { path: attr }) }));
    const body = { schemas: [PATCH_OP_SCHEMA], Operations };
    await api.PATCH(USER, { params: { path }, body });
  };

  return {
    list(options = {}) {
      assertPerPage("perPage", options.perPage);
      const userName = options.filter?.userName;
      const filter = userName === undefined ? undefined : scimFilterValue("userName", userName);
      const path = orgPath(ctx);
      return new Paginator(
        scimPageFetcher(async ({ startIndex, count, signal }) => {
          const query = filter === undefined ? { startIndex, count } : { startIndex, count, filter };
          const { data } = await api.GET(USERS, { params: { path, query }, signal });
          return data as NonNullable<typeof data>;
        }),
        withDefaultPerPage(ctx, options),
      );
    },
    async get(id) {
      const { data } = await api.GET(USER, { params: { path: userPath(id) } });
      return data as ScimUser;
    },
    async provision(user) {
      const body = checkProvision(user);
      const path = orgPath(ctx);
      const { data } = await api.POST(USERS, { params: { path }, body: { schemas: [USER_SCHEMA], ...body } as ProvisionBody });
      return data as ScimUser;
    },
    deactivate: (id) => sendPatch(id, [{ op: "replace", value: { active: false } }]),
    async patch(id, ops) {
      await sendPatch(id, assertPatchOperations("ops", ops));
    },
    async setRole(id, role) {
      if (role !== null && !SCIM_ORG_ROLES.includes(role)) {
        throw ValidationError.forInput("role", `must be one of ${SCIM_ORG_ROLES.join(", ")} or null (owners cannot be set by an IdP)`);
      }
      const path = userPath(id);
      // Sentry reads only `sentryOrgRole`; any blank value ("" here) releases the lock.
      const { data } = await api.PUT(USER, { params: { path }, body: { sentryOrgRole: role ?? "" } });
      return data as ScimUser;
    },
    async delete(id) {
      await api.DELETE(USER, { params: { path: userPath(id) } });
    },
  };
}
