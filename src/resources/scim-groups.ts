/**
 * `sentry.scim.groups`: SCIM v2 Groups, i.e. teams as an identity provider sees them. Groups are addressed by the
 * numeric team id (Sentry's route matches digits only; facts §10); teams created here are IdP-provisioned, so the
 * ordinary team and member-team APIs can no longer change them.
 */
import type { ScimGroup, ScimGroupPatch } from "../generated/models.js";
import { Paginator, scimPageFetcher } from "../http/pages/index.js";
import { typedApi } from "../http/send/index.js";
import { type ClientContext, withDefaultPerPage, type ListOptions, orgPath } from "./context.js";
import { PATCH_OP_SCHEMA } from "./scim-users.js";
import { assertName, assertNumericId, assertPerPage, scimFilterValue } from "./validate.js";
import { assertNumericIds, MAX_PATCH_OPERATIONS } from "./validate-scim.js";

type PatchBody = ScimGroupPatch;

export type { ScimGroup } from "../generated/models.js";
/** One member of a SCIM group. */
export type ScimGroupMember = NonNullable<ScimGroup["members"]>[number];

/** `scim.groups.create` input: the team name (its slug is derived from it) and optional initial member ids. */
export interface ScimGroupInput {
  displayName: string;
  /** Member ids to add right after creating the (always empty) group. */
  members?: ReadonlyArray<string | number>;
}

/** `scim.groups.list` options: an exact `displayName` filter, leaving out member lists, and paging. */
export interface ScimGroupListOptions extends ListOptions {
  filter?: { displayName?: string };
  /** Leave each group's `members` out of the answer (smaller pages for large teams). */
  excludeMembers?: boolean;
}

/** The `sentry.scim.groups` namespace. */
export interface ScimGroupsResource {
  /**
   * Every SCIM group (team), or the one matching `filter.displayName`.
   * @example for await (const group of sentry.scim.groups.list({ excludeMembers: true })) console.log(group.id, group.displayName);
   * @throws {ValidationError} for a bad filter value or `perPage` (before any request).
   */
  list(options?: ScimGroupListOptions): Paginator<ScimGroup>;
  /**
   * One group by numeric team id, with its members.
   * @example const group = await sentry.scim.groups.get(17);
   * @throws {NotFoundError} when there is no such team.
   */
  get(id: string | number): Promise<ScimGroup>;
  /**
   * Creates an IdP-provisioned team, then adds `members` (a second request) and returns the group as it ends up.
   * @example const group = await sentry.scim.groups.create({ displayName: "Payments Oncall", members: [42, 43] });
   * @throws {ConflictError} when the derived slug is taken (409).
   * @throws {NotFoundError} when a member id is unknown; the group then exists without members.
   */
  create(input: ScimGroupInput): Promise<ScimGroup>;
  /**
   * Renames the group; Sentry re-derives the team slug from the new name.
   * @example await sentry.scim.groups.rename(17, "Payments Platform");
   * @throws {ConflictError} when the new slug is taken.
   */
  rename(id: string | number, name: string): Promise<void>;
  /**
   * Adds members (by member id) to the group; members already in it stay.
   * @example await sentry.scim.groups.addMembers(17, [42, 43]);
   * @throws {NotFoundError} when the group or a member id is unknown (nothing after it is applied).
   */
  addMembers(id: string | number, memberIds: ReadonlyArray<string | number>): Promise<void>;
  /**
   * Removes members (by member id) from the group, 100 per request (Sentry's PatchOp limit).
   * @example await sentry.scim.groups.removeMembers(17, [43]);
   * @throws {NotFoundError} when the group or a member id is unknown.
   */
  removeMembers(id: string | number, memberIds: ReadonlyArray<string | number>): Promise<void>;
  /**
   * Schedules the team for deletion.
   * @example await sentry.scim.groups.delete(17);
   * @throws {NotFoundError} when there is no such team.
   */
  delete(id: string | number): Promise<void>;
}

const GROUPS = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Groups";
const GROUP = "/api/0/organizations/{organization_id_or_slug}/scim/v2/Groups/{team_id_or_slug}";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
// Sentry's team name limit.
const MAX_NAME = 64;

interface GroupOperation {
  op: "add" | "remove" | "replace";
  path?: string;
  value?: unknown;
}

/** The PatchOp body. The spec types `value` as an object, but member operations carry an array of `{ value }`. */
function patchBody(operations: GroupOperation[]): PatchBody {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations } as unknown as PatchBody;
}

/**
 * Builds `sentry.scim.groups` for a client context.
 * @example const groups = createScimGroupsResource(ctx); await groups.addMembers(17, [42]);
 */
export function createScimGroupsResource(ctx: ClientContext): ScimGroupsResource {
  const api = typedApi(ctx.transport);
  const groupPath = (id: string | number) => ({ ...orgPath(ctx), team_id_or_slug: assertNumericId("id", id) });
  const get = async (id: string | number): Promise<ScimGroup> => {
    const { data } = await api.GET(GROUP, { params: { path: groupPath(id) } });
    return data as ScimGroup;
  };
  const patch = async (path: ReturnType<typeof groupPath>, operations: GroupOperation[]): Promise<void> => {
    await api.PATCH(GROUP, { params: { path }, body: patchBody(operations) });
  };
  const addOperation = (ids: string[]): GroupOperation => ({ op: "add", path: "members", value: ids.map((value) => ({ value })) });

  return {
    list(options = {}) {
      assertPerPage("perPage", options.perPage);
      const displayName = options.filter?.displayName;
      const filter = displayName === undefined ? undefined : scimFilterValue("displayName", displayName);
      const path = orgPath(ctx);
      const extra = {
        ...(filter === undefined ? {} : { filter }),
        ...(options.excludeMembers ? { excludedAttributes: ["members"] } : {}),
      };
      return new Paginator(
        scimPageFetcher(async ({ startIndex, count, signal }) => {
          const { data } = await api.GET(GROUPS, { params: { path, query: { startIndex, count, ...extra } }, signal });
          return data as NonNullable<typeof data>;
        }),
        withDefaultPerPage(ctx, options),
      );
    },
    get,
    async create(input) {
      const displayName = assertName("displayName", input.displayName, MAX_NAME);
      const members = input.members === undefined || input.members.length === 0 ? [] : assertNumericIds("members", input.members);
      const path = orgPath(ctx);
      const body = { schemas: [GROUP_SCHEMA], displayName };
      const { data } = await api.POST(GROUPS, { params: { path }, body });
      const group = data as ScimGroup;
      if (members.length === 0) return group;
      await patch({ ...path, team_id_or_slug: group.id }, [addOperation(members)]);
      return get(group.id);
    },
    async rename(id, name) {
      const path = groupPath(id);
      const displayName = assertName("name", name, MAX_NAME);
      // Okta's form (no path); Sentry also accepts Azure's `path: "displayName"`.
      await patch(path, [{ op: "replace", value: { id: Number(path.team_id_or_slug), displayName } }]);
    },
    async addMembers(id, memberIds) {
      const path = groupPath(id);
      await patch(path, [addOperation(assertNumericIds("memberIds", memberIds))]);
    },
    async removeMembers(id, memberIds) {
      const path = groupPath(id);
      const ids = assertNumericIds("memberIds", memberIds);
      // Ids are digits only (checked above), so the filter in `path` cannot be broken out of.
      const operations = ids.map((member): GroupOperation => ({ op: "remove", path: `members[value eq "${member}"]` }));
      for (let at = 0; at < operations.length; at += MAX_PATCH_OPERATIONS) {
        await patch(path, operations.slice(at, at + MAX_PATCH_OPERATIONS));
      }
    },
    async delete(id) {
      await api.DELETE(GROUP, { params: { path: groupPath(id) } });
    },
  };
}
