// `sentry-rbac scim users|groups ...`: what an IdP does over SCIM v2, by hand (SENTRY_SCIM_TOKEN, else the auth
// token). `scim check` comes from ./scim-check.ts.
import { Option, type Command } from "commander";
import type { ScimGroup as Group } from "../../resources/scim-groups.js";
import type { ScimOrgRole, ScimUser } from "../../resources/scim-users.js";
import { assertEmail, assertName, assertNumericId } from "../../resources/validate.js";
import { assertNumericIds } from "../../resources/validate-scim.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import type { CommandContext } from "../context.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { memberId, scimGroupId, scimUserId } from "./people.js";
import { apiPath, limited, printDryRun, printOne, withContext, withLimit } from "./resource-support.js";
import { registerScimCheckCommand } from "./scim-check.js";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const USER_COLUMNS: readonly Column<ScimUser>[] = [
  { key: "id", header: "ID", value: (u) => u.id },
  { key: "userName", header: "USERNAME", value: (u) => u.userName },
  { key: "active", header: "ACTIVE", value: (u) => u.active },
  { key: "sentryOrgRole", header: "ORG ROLE", value: (u) => u.sentryOrgRole ?? "" },
];

const GROUP_COLUMNS: readonly Column<Group>[] = [
  { key: "id", header: "ID", value: (g) => g.id },
  { key: "displayName", header: "NAME", value: (g) => g.displayName },
  { key: "members", header: "MEMBERS", value: (g) => (g.members ?? []).map((m) => m.display).join(" ") },
];

// `admin` is left out: SCIM needs a Business plan, and those organizations have team roles, which retired it.
const SCIM_ROLES: readonly ScimOrgRole[] = ["billing", "member", "manager"];

function usersPath(org: string, id?: string): string {
  return id === undefined
    ? apiPath`/api/0/organizations/${org}/scim/v2/Users`
    : apiPath`/api/0/organizations/${org}/scim/v2/Users/${assertNumericId("id", id)}`;
}

function groupsPath(org: string, id?: string): string {
  return id === undefined
    ? apiPath`/api/0/organizations/${org}/scim/v2/Groups`
    : apiPath`/api/0/organizations/${org}/scim/v2/Groups/${assertNumericId("id", id)}`;
}

function registerUsers(users: Command, io: CliIo): void {
  withLimit(users.command("list").description("list SCIM users (organization members)"))
    .option("--user-name <email>", "only the user with this exact userName (email)")
    .action((flags: { userName?: string; limit?: number }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const list = ctx.client().scim.users.list(flags.userName === undefined ? {} : { filter: { userName: flags.userName } });
        await ctx.print(limited(list, flags.limit), { columns: USER_COLUMNS });
      }),
    );
  users
    .command("get <id|email>")
    .description("show one SCIM user")
    .action((ref: string, _flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimUserId(ctx, ref);
        await printOne(ctx, await ctx.client().scim.users.get(id), USER_COLUMNS);
      }),
    );
  users
    .command("provision <email>")
    .description("provision (invite) a user as the IdP would")
    .addOption(new Option("--org-role <role>", "organization role (default: the SSO provider's default role)").choices(SCIM_ROLES))
    .option("--dry-run", "show what would be sent, send nothing")
    .action((email: string, flags: { orgRole?: ScimOrgRole; dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const input = { userName: email, ...(flags.orgRole === undefined ? {} : { sentryOrgRole: flags.orgRole }) };
        if (flags.dryRun === true) {
          const body = { ...input, userName: assertEmail("email", email) };
          return printDryRun(ctx, [{ method: "POST", path: usersPath(ctx.requireOrg()), body }]);
        }
        await printOne(ctx, await ctx.client().scim.users.provision(input), USER_COLUMNS);
      }),
    );
  addDestructiveOptions(users.command("deactivate <id|email>").description("deactivate a user (Sentry removes the member)")).action(
    (ref: string, flags: DestructiveFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimUserId(ctx, ref);
        if (flags.dryRun === true) {
          const body = { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] };
          return printDryRun(ctx, [{ method: "PATCH", path: usersPath(ctx.requireOrg(), id), body }]);
        }
        await confirmDestructive(io, { message: `Deactivate SCIM user ${id} (removes the member from ${ctx.requireOrg()})?`, ...flags });
        await ctx.client().scim.users.deactivate(id);
        ctx.note(`Deactivated SCIM user ${id}.`);
      }),
  );
  addDestructiveOptions(users.command("delete <id|email>").description("delete a user (removes the member)")).action(
    (ref: string, flags: DestructiveFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimUserId(ctx, ref);
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "DELETE", path: usersPath(ctx.requireOrg(), id) }]);
        await confirmDestructive(io, { message: `Delete SCIM user ${id} from ${ctx.requireOrg()}?`, ...flags });
        await ctx.client().scim.users.delete(id);
        ctx.note(`Deleted SCIM user ${id}.`);
      }),
  );
}

async function memberIds(ctx: CommandContext, refs: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  // One lookup at a time: the limiter paces them anyway, and an unknown email stops before any change.
  for (const ref of refs) ids.push(await memberId(ctx, ref));
  return ids;
}

function membersOp(op: "add" | "remove", ids: string[]): unknown[] {
  return op === "add" ? [{ op, path: "members", value: ids.map((value) => ({ value })) }] : ids.map((value) => ({ op, path: `members[value eq "${value}"]` }));
}

function registerGroups(groups: Command, io: CliIo): void {
  withLimit(groups.command("list").description("list SCIM groups (teams)"))
    .option("--display-name <name>", "only the group with this exact name")
    .action((flags: { displayName?: string; limit?: number }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const list = ctx.client().scim.groups.list(flags.displayName === undefined ? {} : { filter: { displayName: flags.displayName } });
        await ctx.print(limited(list, flags.limit), { columns: GROUP_COLUMNS });
      }),
    );
  groups
    .command("get <id|team>")
    .description("show one SCIM group with its members")
    .action((ref: string, _flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimGroupId(ctx, ref);
        await printOne(ctx, await ctx.client().scim.groups.get(id), GROUP_COLUMNS);
      }),
    );
  groups
    .command("create <name>")
    .description("create a group (an IdP-provisioned team)")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((name: string, flags: { dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.dryRun === true) {
          const body = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: assertName("name", name) };
          return printDryRun(ctx, [{ method: "POST", path: groupsPath(ctx.requireOrg()), body }]);
        }
        await printOne(ctx, await ctx.client().scim.groups.create({ displayName: name }), GROUP_COLUMNS);
      }),
    );
  groups
    .command("rename <id|team> <name>")
    .description("rename a group")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((ref: string, name: string, flags: { dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimGroupId(ctx, ref);
        if (flags.dryRun === true) {
          const body = {
            schemas: [PATCH_OP],
            Operations: [{ op: "replace", value: { id: Number(assertNumericId("id", id)), displayName: assertName("name", name) } }],
          };
          return printDryRun(ctx, [{ method: "PATCH", path: groupsPath(ctx.requireOrg(), id), body }]);
        }
        await ctx.client().scim.groups.rename(id, name);
        ctx.note(`Renamed SCIM group ${id} to ${name}.`);
      }),
    );
  groups
    .command("add-members <id|team> <members...>")
    .description("add members (member ids or emails) to a group")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((ref: string, refs: string[], flags: { dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimGroupId(ctx, ref);
        const ids = await memberIds(ctx, refs);
        if (flags.dryRun === true) {
          const body = { schemas: [PATCH_OP], Operations: membersOp("add", assertNumericIds("memberIds", ids)) };
          return printDryRun(ctx, [{ method: "PATCH", path: groupsPath(ctx.requireOrg(), id), body }]);
        }
        await ctx.client().scim.groups.addMembers(id, ids);
        ctx.note(`Added ${ids.length} member(s) to SCIM group ${id}.`);
      }),
    );
  addDestructiveOptions(groups.command("remove-members <id|team> <members...>").description("remove members (member ids or emails) from a group")).action(
    (ref: string, refs: string[], flags: DestructiveFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimGroupId(ctx, ref);
        const ids = await memberIds(ctx, refs);
        if (flags.dryRun === true) {
          const body = { schemas: [PATCH_OP], Operations: membersOp("remove", assertNumericIds("memberIds", ids)) };
          return printDryRun(ctx, [{ method: "PATCH", path: groupsPath(ctx.requireOrg(), id), body }]);
        }
        await confirmDestructive(io, { message: `Remove ${ids.length} member(s) from SCIM group ${id}?`, ...flags });
        await ctx.client().scim.groups.removeMembers(id, ids);
        ctx.note(`Removed ${ids.length} member(s) from SCIM group ${id}.`);
      }),
  );
  addDestructiveOptions(groups.command("delete <id|team>").description("delete a group (deletes the team)")).action(
    (ref: string, flags: DestructiveFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await scimGroupId(ctx, ref);
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "DELETE", path: groupsPath(ctx.requireOrg(), id) }]);
        await confirmDestructive(io, { message: `Delete SCIM group ${id} and its team in ${ctx.requireOrg()}?`, ...flags });
        await ctx.client().scim.groups.delete(id);
        ctx.note(`Deleted SCIM group ${id}.`);
      }),
  );
}

/**
 * Registers `scim users ...`, `scim groups ...` and `scim check`; listed in COMMANDS.
 * @example registerScimCommand(program, io); // sentry-rbac scim users list --user-name ana@example.com
 */
export function registerScimCommand(program: Command, io: CliIo): void {
  const scim = program.command("scim").description("SCIM v2 users and groups, as an IdP sees them (uses SENTRY_SCIM_TOKEN)");
  scim.addHelpText(
    "after",
    "\nExamples:\n  $ sentry-rbac scim users list --user-name ana@example.com\n  $ sentry-rbac scim groups add-members 12 41 42 --dry-run\n",
  );
  registerUsers(scim.command("users").description("SCIM users: list, get, provision, deactivate, delete"), io);
  registerGroups(scim.command("groups").description("SCIM groups: list, get, create, rename, add/remove members, delete"), io);
  registerScimCheckCommand(scim, io);
}
