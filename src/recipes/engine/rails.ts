/**
 * Safety rails (peribolos-grade): a plan that breaks one is refused as a whole. `minOwners`, `requiredOwners`,
 * `maxRemovals` (a count or a share of the live members or teams), and never removing or demoting the caller.
 * Every workflow's plan passes through them: the state and policy are structural, so access as code hands over its
 * live read and `policy:` block, and a review or an expiry hands over what it read and the same policy.
 */
import { isOrgRole, orgRoleDefinition, type OrgRole } from "../../vocabulary/roles.js";
import type { Change, RailViolation } from "./changes.js";

/** What the rails read of the organization: its members (with pending invites) and how many teams it has. */
export interface RailState {
  members: ReadonlyArray<{ email: string; role: string; pending: boolean }>;
  teams: { readonly size: number };
}

/** The limits the rails enforce (access as code's `policy:` block is one). */
export interface RailPolicy {
  /** Refuse a plan that removes or demotes an owner and leaves fewer owners than this. */
  minOwners: number;
  /** Emails that must be owners after the plan. */
  requiredOwners: readonly string[];
  /** Refuse a plan removing more than this many members or teams: a count, or a share of the live ones. */
  maxRemovals: { count: number } | { percent: number };
}

/** The calling member, whose removal or demotion is always refused. */
export interface RailCaller {
  email: string;
  role: OrgRole;
}

function isOwnerLoss(change: Change): boolean {
  return (
    change.kind === "member" &&
    change.from === "owner" &&
    (change.action === "remove" || change.action === "deactivate" || (change.action === "update" && change.to !== "owner"))
  );
}

function isMemberRemoval(change: Change): boolean {
  return change.kind === "member" && (change.action === "remove" || change.action === "deactivate");
}

function limitOf(policy: RailPolicy, live: number): number {
  return "count" in policy.maxRemovals ? policy.maxRemovals.count : Math.floor((policy.maxRemovals.percent / 100) * live);
}

function describeLimit(policy: RailPolicy): string {
  return "count" in policy.maxRemovals ? `${policy.maxRemovals.count}` : `${policy.maxRemovals.percent}%`;
}

/** How to get under maxRemovals: in several applies of at most `limit`, or with the limit raised. */
function splitHint(what: "members" | "teams", verb: "remove" | "delete", limit: number): string {
  const raise = 'raise policy.maxRemovals for this change (a count, 10, or a share, "25%") and set it back after';
  if (limit === 0) return `policy.maxRemovals allows no ${what} to be ${verb}d: ${raise}.`;
  return `Split the change into applies that ${verb} at most ${limit} ${what} each (keep the others in the file for now, apply, then take out the next ones); or ${raise}.`;
}

/**
 * The rails `changes` break, given the state, the policy and the calling member (whose removal or demotion is
 * refused even when it is among the `blocked` changes).
 * @example const violations = checkRails(changes, live, config.policy, caller.member);
 */
export function checkRails(
  changes: readonly Change[],
  live: RailState,
  policy: RailPolicy,
  caller: RailCaller | undefined,
  blocked: readonly Change[] = [],
): RailViolation[] {
  const violations: RailViolation[] = [];
  const finalRole = new Map<string, string | undefined>();
  for (const m of live.members) if (!m.pending) finalRole.set(m.email.toLowerCase(), m.role);
  for (const change of changes) {
    if (change.kind !== "member" || change.email === undefined) continue;
    const key = change.email.toLowerCase();
    if (!finalRole.has(key)) continue; // invites and pending members do not count as owners yet
    if (isMemberRemoval(change)) finalRole.set(key, undefined);
    else if (change.action === "update") finalRole.set(key, change.to);
  }
  const owners = [...finalRole.values()].filter((role) => role === "owner").length;
  const before = live.members.filter((m) => !m.pending && m.role === "owner").length;
  if (changes.some(isOwnerLoss) && owners < policy.minOwners) {
    violations.push({
      rail: "minOwners",
      message: `the plan leaves ${owners} owner(s) (${before} now); policy.minOwners is ${policy.minOwners}`,
      hint: `Keep ${policy.minOwners} owners: make another member an owner in the same file (applied first), or lower policy.minOwners.`,
    });
  }
  for (const email of policy.requiredOwners) {
    const role = finalRole.get(email.toLowerCase());
    if (role !== "owner") {
      violations.push({
        rail: "requiredOwners",
        message: `${email} must be an owner after the plan, but would be ${role === undefined ? "no (accepted) member" : `a ${role}`}`,
        hint:
          role === undefined
            ? `Owners count once they have accepted their invite: apply the invite first without ${email} in policy.requiredOwners, or take them out of it.`
            : `Declare ${email} with role: owner, or take them out of policy.requiredOwners.`,
      });
    }
  }
  const memberRemovals = changes.filter(isMemberRemoval).length;
  const memberLimit = limitOf(policy, live.members.length);
  if (memberRemovals > memberLimit) {
    violations.push({
      rail: "maxRemovals",
      message: `the plan removes ${memberRemovals} of ${live.members.length} members; policy.maxRemovals allows ${describeLimit(policy)} (${memberLimit})`,
      hint: splitHint("members", "remove", memberLimit),
    });
  }
  const teamDeletions = changes.filter((c) => c.kind === "team" && c.action === "delete").length;
  const teamLimit = limitOf(policy, live.teams.size);
  if (teamDeletions > teamLimit) {
    violations.push({
      rail: "maxRemovals",
      message: `the plan deletes ${teamDeletions} of ${live.teams.size} teams; policy.maxRemovals allows ${describeLimit(policy)} (${teamLimit})`,
      hint: splitHint("teams", "delete", teamLimit),
    });
  }
  if (caller) {
    const mine = caller.email.toLowerCase();
    // Blocked changes count too: the file asks for them, and the plan must not look applicable without them.
    for (const change of [...changes, ...blocked]) {
      if (change.kind !== "member" || change.email?.toLowerCase() !== mine) continue;
      if (isMemberRemoval(change)) {
        violations.push({
          rail: "self",
          message: `the plan removes the calling user ${caller.email}`,
          hint: `Keep ${caller.email} in the file, or plan and apply with another owner's token.`,
        });
      } else if (
        change.action === "update" &&
        change.to !== undefined &&
        isOrgRole(change.to) &&
        orgRoleDefinition(change.to).priority < orgRoleDefinition(caller.role).priority
      ) {
        violations.push({
          rail: "self",
          message: `the plan demotes the calling user ${caller.email} (${caller.role} → ${change.to})`,
          hint: `Sentry does not let a member change their own role: keep role: ${caller.role} for ${caller.email} in the file, or plan and apply with another owner's token.`,
        });
      }
    }
  }
  return violations;
}
