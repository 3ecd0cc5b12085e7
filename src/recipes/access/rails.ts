/**
 * Safety rails (peribolos-grade): a plan that breaks one is refused as a whole. `minOwners`, `requiredOwners`,
 * `maxRemovals` (a count or a share of the live members or teams), and never removing or demoting the caller. Each
 * violation says the numbers and the next step (`hint`).
 */
import { isOrgRole, orgRoleDefinition } from "../../vocabulary/roles.js";
import type { LiveMember, LiveState } from "./live.js";
import type { AccessChange, AccessPolicy, RailViolation } from "./types.js";

function isOwnerLoss(change: AccessChange): boolean {
  return change.kind === "member" && change.from === "owner" && (change.action === "remove" || (change.action === "update" && change.to !== "owner"));
}

function limitOf(policy: AccessPolicy, live: number): number {
  return "count" in policy.maxRemovals ? policy.maxRemovals.count : Math.floor((policy.maxRemovals.percent / 100) * live);
}

function describeLimit(policy: AccessPolicy): string {
  return "count" in policy.maxRemovals ? `${policy.maxRemovals.count}` : `${policy.maxRemovals.percent}%`;
}

/** How to get under maxRemovals: in several applies of at most `limit`, or with the limit raised. */
function splitHint(what: "members" | "teams", verb: "remove" | "delete", limit: number): string {
  const raise = "raise policy.maxRemovals for this change (a count, 10, or a share, \"25%\") and set it back after";
  if (limit === 0) return `policy.maxRemovals allows no ${what} to be ${verb}d: ${raise}.`;
  return `Split the change into applies that ${verb} at most ${limit} ${what} each (keep the others in the file for now, apply, then take out the next ones); or ${raise}.`;
}

/**
 * The rails `changes` break, given the live state, the policy and the calling member (whose removal or demotion is
 * refused even when it is among the `blocked` changes).
 * @example const violations = checkRails(changes, live, config.policy, caller.member);
 */
export function checkRails(
  changes: readonly AccessChange[], live: LiveState, policy: AccessPolicy, caller: LiveMember | undefined, blocked: readonly AccessChange[] = [],
): RailViolation[] {
  const violations: RailViolation[] = [];
  const finalRole = new Map<string, string | undefined>();
  for (const m of live.members) if (!m.pending) finalRole.set(m.email.toLowerCase(), m.role);
  for (const change of changes) {
    if (change.kind !== "member" || change.email === undefined) continue;
    const key = change.email.toLowerCase();
    if (!finalRole.has(key)) continue; // invites and pending members do not count as owners yet
    if (change.action === "remove") finalRole.set(key, undefined);
    else if (change.action === "update") finalRole.set(key, change.to);
  }
  const owners = [...finalRole.values()].filter((role) => role === "owner").length;
  const before = live.members.filter((m) => !m.pending && m.role === "owner").length;
  if (changes.some(isOwnerLoss) && owners < policy.minOwners) {
    violations.push({
      rail: "minOwners", message: `the plan leaves ${owners} owner(s) (${before} now); policy.minOwners is ${policy.minOwners}`,
      hint: `Keep ${policy.minOwners} owners: make another member an owner in the same file (applied first), or lower policy.minOwners.`,
    });
  }
  for (const email of policy.requiredOwners) {
    const role = finalRole.get(email.toLowerCase());
    if (role !== "owner") {
      violations.push({
        rail: "requiredOwners", message: `${email} must be an owner after the plan, but would be ${role === undefined ? "no (accepted) member" : `a ${role}`}`,
        hint: role === undefined
          ? `Owners count once they have accepted their invite: apply the invite first without ${email} in policy.requiredOwners, or take them out of it.`
          : `Declare ${email} with role: owner, or take them out of policy.requiredOwners.`,
      });
    }
  }
  const memberRemovals = changes.filter((c) => c.kind === "member" && c.action === "remove").length;
  const memberLimit = limitOf(policy, live.members.length);
  if (memberRemovals > memberLimit) {
    violations.push({
      rail: "maxRemovals", message: `the plan removes ${memberRemovals} of ${live.members.length} members; policy.maxRemovals allows ${describeLimit(policy)} (${memberLimit})`,
      hint: splitHint("members", "remove", memberLimit),
    });
  }
  const teamDeletions = changes.filter((c) => c.kind === "team" && c.action === "delete").length;
  const teamLimit = limitOf(policy, live.teams.size);
  if (teamDeletions > teamLimit) {
    violations.push({
      rail: "maxRemovals", message: `the plan deletes ${teamDeletions} of ${live.teams.size} teams; policy.maxRemovals allows ${describeLimit(policy)} (${teamLimit})`,
      hint: splitHint("teams", "delete", teamLimit),
    });
  }
  if (caller) {
    const mine = caller.email.toLowerCase();
    // Blocked changes count too: the file asks for them, and the plan must not look applicable without them.
    for (const change of [...changes, ...blocked]) {
      if (change.kind !== "member" || change.email?.toLowerCase() !== mine) continue;
      if (change.action === "remove") {
        violations.push({
          rail: "self", message: `the plan removes the calling user ${caller.email}`,
          hint: `Keep ${caller.email} in the file, or plan and apply with another owner's token.`,
        });
      } else if (change.action === "update" && change.to !== undefined && isOrgRole(change.to) && orgRoleDefinition(change.to).priority < orgRoleDefinition(caller.role).priority) {
        violations.push({
          rail: "self", message: `the plan demotes the calling user ${caller.email} (${caller.role} → ${change.to})`,
          hint: `Sentry does not let a member change their own role: keep role: ${caller.role} for ${caller.email} in the file, or plan and apply with another owner's token.`,
        });
      }
    }
  }
  return violations;
}
