// `sentry-rbac members ...`: list, find, invite, change roles of, and remove organization members; team membership.
import { InvalidArgumentError, type Command } from "commander";
import type { OrgRole, TeamRole } from "../../vocabulary/roles.js";
import type { Member, MemberDetails, TeamRoleAssignment } from "../../resources/types.js";
import { assertEmail, assertMemberId, assertOrgRole, assertSlug, assertTeamRole } from "../../resources/validate.js";
import { addDestructiveOptions, confirmDestructive, type DestructiveFlags } from "../confirm.js";
import { CliError, UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import type { Column } from "../output.js";
import { describeMember, memberId, resolveMember } from "./people.js";
import { apiPath, limited, printDryRun, printOne, withContext, withLimit } from "./resource-support.js";

/** Columns of a member row. Sentry's member list carries no teams, so only one member's details show TEAMS. */
export const MEMBER_COLUMNS: readonly Column<Member | MemberDetails>[] = [
  { key: "id", header: "ID", value: (m) => m.id },
  { key: "email", header: "EMAIL", value: (m) => m.email },
  { key: "name", header: "NAME", value: (m) => m.name },
  { key: "orgRole", header: "ORG ROLE", value: (m) => m.orgRole },
  { key: "pending", header: "PENDING", value: (m) => m.pending },
];

const MEMBER_DETAIL_COLUMNS: readonly Column<MemberDetails>[] = [
  ...MEMBER_COLUMNS,
  {
    key: "teams",
    header: "TEAMS",
    value: (m) => (Array.isArray(m.teamRoles) ? m.teamRoles.map((t) => (t.role ? `${t.teamSlug}:${t.role}` : t.teamSlug)).join(" ") : ""),
  },
];

/**
 * Parses one `--team team[:role]` value (role admin or contributor; none = the minimum the org role implies).
 * @example parseTeamRole("payments:admin") // { team: "payments", role: "admin" }
 * @throws InvalidArgumentError for a bad slug or role.
 */
export function parseTeamRole(value: string, previous: TeamRoleAssignment[] = []): TeamRoleAssignment[] {
  const [team = "", role, extra] = value.split(":");
  try {
    if (extra !== undefined) throw new Error("too many ':'");
    const assignment: TeamRoleAssignment = { team: assertSlug("team", team) };
    if (role !== undefined && role !== "") assignment.role = assertTeamRole("role", role);
    return [...previous, assignment];
  } catch {
    throw new InvalidArgumentError("expected <team> or <team>:<role> with role admin or contributor");
  }
}

function parseOrgRole(value: string): OrgRole {
  try {
    return assertOrgRole("org-role", value);
  } catch {
    throw new InvalidArgumentError("expected member, manager or owner (or billing); the admin org role is retired: use manager, or member plus team admin");
  }
}

function parseTeamRoleArg(value: string): TeamRole {
  try {
    return assertTeamRole("team-role", value);
  } catch {
    throw new InvalidArgumentError("expected admin or contributor");
  }
}

// Sentry's body field is `teamSlug`, the SDK's input is `team`; the dry run shows what goes on the wire.
function wireTeamRoles(teams: readonly TeamRoleAssignment[]): Array<{ teamSlug: string; role: TeamRole | null }> {
  return teams.map((t) => ({ teamSlug: t.team, role: t.role ?? null }));
}

interface RoleFlags {
  orgRole?: OrgRole;
  team?: TeamRoleAssignment[];
  dryRun?: boolean;
}

function registerReads(members: Command, io: CliIo): void {
  withLimit(members.command("list").description("list members and pending invites"))
    .option("--query <query>", "Sentry's member search, e.g. role:owner, isInvited:true, email:a@b.c")
    .action((flags: { query?: string; limit?: number }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const list = ctx.client().org.members.list(flags.query === undefined ? {} : { query: flags.query });
        await ctx.print(limited(list, flags.limit), { columns: MEMBER_COLUMNS });
      }),
    );
  members
    .command("get <id|email>")
    .description("show one member with team roles")
    .action((who: string, _flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        await printOne(ctx, await ctx.client().org.members.get(await memberId(ctx, who)), MEMBER_DETAIL_COLUMNS);
      }),
    );
  members
    .command("find <email>")
    .description("find a member by email (exit 4 when there is none)")
    .action((email: string, _flags: unknown, command: Command) =>
      withContext(io, command, async (ctx) => {
        const member = await ctx.client().org.members.findByEmail(email);
        if (member === undefined)
          throw new CliError(`no member with email ${email}`, {
            exitCode: 4,
            hint: "Check the address, or list invites with `members list --query isInvited:true`.",
          });
        await printOne(ctx, member, MEMBER_COLUMNS);
      }),
    );
}

function registerWrites(members: Command, io: CliIo): void {
  members
    .command("invite <email>")
    .description("invite someone (team roles are set after they join; Sentry ignores them on invite)")
    .option("--org-role <role>", "organization role (default: the org's default, member)", parseOrgRole)
    .option("--team <team[:role]>", "a team to join (repeat)", parseTeamRole)
    .option("--dry-run", "show what would be sent, send nothing")
    .action((email: string, flags: RoleFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.dryRun === true) {
          const body = {
            email: assertEmail("email", email),
            ...(flags.orgRole ? { orgRole: flags.orgRole } : {}),
            ...(flags.team ? { teamRoles: wireTeamRoles(flags.team) } : {}),
          };
          return printDryRun(ctx, [{ method: "POST", path: apiPath`/api/0/organizations/${ctx.requireOrg()}/members/`, body }]);
        }
        const invited = await ctx
          .client()
          .org.members.invite({ email, ...(flags.orgRole ? { orgRole: flags.orgRole } : {}), ...(flags.team ? { teamRoles: flags.team } : {}) });
        await printOne(ctx, invited, MEMBER_COLUMNS);
      }),
    );
  members
    .command("update <id|email>")
    .description("change a member's org role and/or complete team set (--team replaces all teams)")
    .option("--org-role <role>", "new organization role", parseOrgRole)
    .option("--team <team[:role]>", "the member's teams after the change (repeat; teams left out are removed)", parseTeamRole)
    .option("--dry-run", "show what would be sent, send nothing")
    .action((who: string, flags: RoleFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (flags.orgRole === undefined && flags.team === undefined) throw new UsageError("nothing to update", "Pass --org-role and/or --team.");
        const id = await memberId(ctx, who);
        if (flags.dryRun === true) {
          const body = { ...(flags.orgRole ? { orgRole: flags.orgRole } : {}), ...(flags.team ? { teamRoles: wireTeamRoles(flags.team) } : {}) };
          const note = flags.team === undefined ? "teamRoles: the member's current teams, read and resent so they are kept" : undefined;
          return printDryRun(ctx, [
            { method: "PUT", path: apiPath`/api/0/organizations/${ctx.requireOrg()}/members/${assertMemberId("id", id)}/`, body, ...(note ? { note } : {}) },
          ]);
        }
        const updated = await ctx
          .client()
          .org.members.update(id, { ...(flags.orgRole ? { orgRole: flags.orgRole } : {}), ...(flags.team ? { teamRoles: flags.team } : {}) });
        await printOne(ctx, updated, MEMBER_DETAIL_COLUMNS);
      }),
    );
  addDestructiveOptions(members.command("remove <id|email>").description("remove a member (or cancel an invite) from the organization")).action(
    (who: string, flags: DestructiveFlags, command: Command) =>
      withContext(io, command, async (ctx) => {
        const org = ctx.requireOrg();
        if (!who.includes("@")) assertMemberId("id", who);
        // Read first, so the question names the person (and a wrong id or email fails before anything changes).
        const member = await resolveMember(ctx, who);
        const path = apiPath`/api/0/organizations/${org}/members/${member.id}/`;
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "DELETE", path, note: `removes ${describeMember(member)}` }]);
        await confirmDestructive(io, { message: `Remove ${describeMember(member)} from ${org}?`, ...flags });
        await ctx.client().org.members.remove(member.id);
        ctx.note(`Removed ${describeMember(member)} from ${org}.`);
      }),
  );
}

function teamPath(org: string, id: string, team: string): string {
  return apiPath`/api/0/organizations/${org}/members/${assertMemberId("id", id)}/teams/${assertSlug("team", team)}/`;
}

function registerTeamMembership(members: Command, io: CliIo): void {
  members
    .command("add-to-team <id|email> <team>")
    .description("add a member to a team, optionally with a team role")
    .option("--team-role <role>", "admin or contributor (a second request after joining)", parseTeamRoleArg)
    .option("--dry-run", "show what would be sent, send nothing")
    .action((who: string, team: string, flags: { teamRole?: TeamRole; dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const id = await memberId(ctx, who);
        const path = teamPath(ctx.requireOrg(), id, team);
        if (flags.dryRun === true) {
          return printDryRun(ctx, [
            { method: "POST", path },
            ...(flags.teamRole ? [{ method: "PUT" as const, path, body: { teamRole: flags.teamRole } }] : []),
          ]);
        }
        const result = await ctx.client().org.members.addToTeam(id, team, flags.teamRole ? { teamRole: flags.teamRole } : {});
        const row = { member: id, team, status: result.status, teamRole: result.teamRole?.teamRole ?? null };
        await printOne(ctx, row, [
          { key: "member", header: "MEMBER", value: (r) => r.member },
          { key: "team", header: "TEAM", value: (r) => r.team },
          { key: "status", header: "STATUS", value: (r) => r.status },
          { key: "teamRole", header: "TEAM ROLE", value: (r) => r.teamRole ?? "" },
        ]);
        if (result.status === "requested") ctx.note("Sentry filed an access request: a team admin must approve it before the member joins.");
      }),
    );
  addDestructiveOptions(members.command("remove-from-team <id|email> <team>").description("take a member off a team"))
    .option("--if-present", "succeed when the member is not on the team")
    .action((who: string, team: string, flags: DestructiveFlags & { ifPresent?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        if (!who.includes("@")) assertMemberId("id", who);
        const member = await resolveMember(ctx, who);
        const id = member.id;
        const path = teamPath(ctx.requireOrg(), id, team);
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "DELETE", path }]);
        await confirmDestructive(io, { message: `Remove ${describeMember(member)} from team ${team}?`, ...flags });
        const result = await ctx.client().org.members.removeFromTeam(id, team, { ifPresent: flags.ifPresent === true });
        ctx.note(result.removed ? `Removed member ${id} from ${team}.` : `Member ${id} was not on ${team}; nothing changed.`);
      }),
    );
  members
    .command("set-team-role <id|email> <team> <role>")
    .description("set a member's role on a team (admin or contributor)")
    .option("--dry-run", "show what would be sent, send nothing")
    .action((who: string, team: string, role: string, flags: { dryRun?: boolean }, command: Command) =>
      withContext(io, command, async (ctx) => {
        const teamRole = assertTeamRole("role", role);
        const id = await memberId(ctx, who);
        const path = teamPath(ctx.requireOrg(), id, team);
        if (flags.dryRun === true) return printDryRun(ctx, [{ method: "PUT", path, body: { teamRole } }]);
        const change = await ctx.client().org.members.setTeamRole(id, team, teamRole);
        await printOne(ctx, { member: id, team, teamRole: change.teamRole }, [
          { key: "member", header: "MEMBER", value: (r) => r.member },
          { key: "team", header: "TEAM", value: (r) => r.team },
          { key: "teamRole", header: "TEAM ROLE", value: (r) => r.teamRole ?? "" },
        ]);
        // Sentry stores (and answers) null when the role is at or below what the org role already implies.
        if (change.teamRole === null) ctx.note(`${teamRole} is implied by the member's org role; Sentry stores it as the minimum (null).`);
      }),
    );
}

/**
 * Registers `members list|get|find|invite|update|remove|add-to-team|remove-from-team|set-team-role`; in COMMANDS.
 * @example registerMembersCommand(program, io); // sentry-rbac members find ana@example.com
 */
export function registerMembersCommand(program: Command, io: CliIo): void {
  const members = program.command("members").description("organization members: list, invite, roles, team membership, removal");
  members.addHelpText(
    "after",
    "\nExamples:\n  $ sentry-rbac members invite ana@example.com --org-role member --team payments --dry-run\n  $ sentry-rbac members set-team-role 42 payments admin\n",
  );
  registerReads(members, io);
  registerWrites(members, io);
  registerTeamMembership(members, io);
}
