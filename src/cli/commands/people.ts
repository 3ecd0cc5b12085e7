// People, not ids: a member argument may be an id or an email, a SCIM group a numeric id or its team's slug, and a
// confirmation names the person ("Remove Ada Smith <ada@acme.test> (owner) from acme?").
import type { Member, MemberDetails } from "../../resources/types.js";
import type { CommandContext } from "../context.js";
import { CliError } from "../errors.js";

/**
 * Whether a member argument is an email rather than an id.
 * @example isEmail("ada@acme.test") // true
 */
export function isEmail(value: string): boolean {
  return value.includes("@");
}

/**
 * The member an id or email names, read from Sentry (one GET, or a member search for an email).
 * @example const member = await resolveMember(ctx, "ada@acme.test");
 * @throws CliError (exit 4) when no member has that email or id.
 */
export async function resolveMember(ctx: CommandContext, idOrEmail: string): Promise<Member | MemberDetails> {
  const members = ctx.client().org.members;
  if (isEmail(idOrEmail)) {
    const found = await members.findByEmail(idOrEmail);
    if (found === undefined) {
      throw new CliError(`no member with email ${idOrEmail} in ${ctx.requireOrg()}`, {
        exitCode: 4,
        hint: "Check the address, or list members with `sentry-rbac members list --query email:…`.",
      });
    }
    return found;
  }
  return members.get(idOrEmail);
}

/**
 * A member's id for an id or email argument; an id is used as given (no request), an email is looked up.
 * @example const id = await memberId(ctx, "ada@acme.test"); // "42"
 */
export async function memberId(ctx: CommandContext, idOrEmail: string): Promise<string> {
  return isEmail(idOrEmail) ? (await resolveMember(ctx, idOrEmail)).id : idOrEmail;
}

/**
 * "Ada Smith <ada@acme.test> (owner)", or the email alone when the name is the email (pending invites).
 * @example describeMember(member) // "Ada Smith <ada@acme.test> (owner)"
 */
export function describeMember(member: Pick<Member, "email" | "name" | "orgRole" | "pending">): string {
  const who = member.name && member.name !== member.email ? `${member.name} <${member.email}>` : `<${member.email}>`;
  return `${who} (${member.pending ? `invited, ${member.orgRole}` : member.orgRole})`;
}

/**
 * A SCIM group id for a numeric id or a team slug (a SCIM group is a team; its id is the team's id).
 * @example const id = await scimGroupId(ctx, "payments"); // "7"
 */
export async function scimGroupId(ctx: CommandContext, idOrSlug: string): Promise<string> {
  if (/^\d+$/.test(idOrSlug)) return idOrSlug;
  return (await ctx.client().org.teams.get(idOrSlug)).id;
}

/**
 * A SCIM user id for a numeric id or an email (a SCIM user is a member; found by its userName, which is the email).
 * @example const id = await scimUserId(ctx, "ada@acme.test");
 * @throws CliError (exit 4) when no SCIM user has that userName.
 */
export async function scimUserId(ctx: CommandContext, idOrEmail: string): Promise<string> {
  if (!isEmail(idOrEmail)) return idOrEmail;
  const [user] = await ctx
    .client()
    .scim.users.list({ filter: { userName: idOrEmail } })
    .toArray({ limit: 1 });
  if (user === undefined) throw new CliError(`no SCIM user with userName ${idOrEmail} in ${ctx.requireOrg()}`, { exitCode: 4 });
  return user.id;
}
