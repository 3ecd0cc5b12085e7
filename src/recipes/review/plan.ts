/**
 * Review decisions as changes of the reconcile engine: `revoke` removes the member (or invite), `set-role` updates
 * the org role (sending the member's team set, which Sentry's PUT replaces), `remove-teams` deletes memberships.
 * What the identity provider owns goes under `idpOwned` with what to change there; what the token cannot do under
 * `blocked`; the rails (last owner, removal limit, the caller) are checked as for `apply`.
 */
import { minimumTeamRole, type OrgRole, type TeamRole } from "../../vocabulary/roles.js";
import { fingerprintOf, type LiveState } from "../access/live.js";
import { phaseOf } from "../access/plan.js";
import { blockReason, type Caller } from "../access/preflight.js";
import { checkRails } from "../access/rails.js";
import type { AccessChange, AccessPlan, AccessPolicy, BlockedChange, IdpOwnedEntry } from "../access/types.js";
import type { ReviewDecision } from "./decisions.js";
import type { ReviewSnapshot } from "./snapshot.js";

/** The rails a review close applies. */
export interface ReviewRails {
  /** Refuse a close that leaves fewer owners than this after removing or demoting one (default 1: never the last). */
  minOwners?: number;
  /** Refuse a close removing more members than this: a count, or a share of the live ones (default 25%, as `apply`). */
  maxRemovals?: { count: number } | { percent: number };
}

/** The plan of a close and, per decision line, what was decided about Sentry's part. */
export interface ReviewPlan {
  plan: AccessPlan;
  /** Decision line → the changes it asked for (by subject), the IdP's part, or why nothing is sent. */
  rows: Map<number, { changes: AccessChange[]; idp: string[]; blocked: string[]; gone: boolean }>;
}

/** The team set a role change sends: every team the member is on, roles at the new org role's minimum as null. */
function teamSetFor(
  teams: ReadonlyMap<string, TeamRole> | ReadonlyArray<string>,
  role: OrgRole,
  live: LiveState,
): Array<{ team: string; role: TeamRole | null }> {
  const minimum = minimumTeamRole(role);
  const entries: Array<[string, TeamRole | null]> = Array.isArray(teams) ? teams.map((t) => [t, null]) : [...(teams as ReadonlyMap<string, TeamRole>)];
  return entries.map(([team, held]) => ({
    team,
    role: held === null || held === minimum || minimum === "admin" || live.teams.get(team)?.idp ? null : held,
  }));
}

/**
 * Plans the decisions against the organization as read now (`live`), for the caller.
 * @example const { plan } = planReviewDecisions(decisions, snapshot, live, caller, {});
 */
export function planReviewDecisions(
  decisions: readonly ReviewDecision[],
  snapshot: ReviewSnapshot,
  live: LiveState,
  caller: Caller,
  rails: ReviewRails,
  now: Date,
): ReviewPlan {
  const byId = new Map(live.members.map((m) => [m.id, m]));
  const before = new Map(snapshot.subjects.map((s) => [s.memberId, s]));
  const changes: AccessChange[] = [];
  const blocked: BlockedChange[] = [];
  const idpOwned: IdpOwnedEntry[] = [];
  const rows: ReviewPlan["rows"] = new Map();
  for (const decision of decisions) {
    const row = { changes: [] as AccessChange[], idp: [] as string[], blocked: [] as string[], gone: false };
    rows.set(decision.line, row);
    const member = byId.get(decision.memberId);
    if (decision.decision === "keep") continue;
    if (!member) {
      row.gone = true;
      continue;
    }
    const email = member.email;
    const reason = `review decision (line ${decision.line}, ${decision.reviewer})`;
    const wanted: AccessChange[] = [];
    if (decision.decision === "revoke") {
      if (member.idpProvisioned)
        row.idp.push(`deprovision ${email} in the identity provider (SCIM owns this member; Sentry refuses to remove them through the API)`);
      else wanted.push({ kind: "member", action: "remove", subject: email, email, memberId: member.id, from: member.role, reason });
    } else if (decision.decision === "set-role") {
      const to = decision.newOrgRole ?? member.role;
      if (member.idpRoleRestricted) row.idp.push(`set ${email}'s Sentry role to ${to} in the identity provider (it sets this member's role)`);
      else if (to !== member.role) {
        // An invite's teams are not in the team member lists: send the ones the snapshot read from its details.
        const teams = member.pending ? (before.get(member.id)?.teams.map((t) => t.team) ?? []) : member.teams;
        wanted.push({
          kind: "member",
          action: "update",
          subject: email,
          email,
          memberId: member.id,
          from: member.role,
          to,
          reason,
          teamRoles: teamSetFor(teams, to, live),
        });
      }
    } else {
      for (const team of decision.removeTeams) {
        if (live.teams.get(team)?.idp) row.idp.push(`remove ${email} from the identity provider group of team ${team} (SCIM manages its members)`);
        else if (member.teams.has(team) || member.pending) {
          wanted.push({
            kind: "team-member",
            action: "remove",
            subject: `${team}/${email}`,
            team,
            email,
            memberId: member.id,
            from: member.teams.get(team),
            reason,
          });
        }
      }
    }
    for (const idp of row.idp) idpOwned.push({ kind: decision.decision === "remove-teams" ? "team-member" : "member", subject: email, reason: idp });
    for (const change of wanted) {
      const refusal = blockReason(caller, change, live);
      if (refusal === undefined) {
        changes.push(change);
        row.changes.push(change);
      } else {
        blocked.push({ ...change, reason: refusal });
        row.blocked.push(refusal);
      }
    }
  }
  const ordered = changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => phaseOf(a.change) - phaseOf(b.change) || a.index - b.index)
    .map((x) => x.change);
  const policy: AccessPolicy = {
    members: "additive",
    teams: "additive",
    minOwners: rails.minOwners ?? 1,
    requiredOwners: [],
    maxRemovals: rails.maxRemovals ?? { percent: 25 },
    ignore: { members: [], teams: [] },
  };
  const plan: AccessPlan = {
    kind: "sentry-rbac.access-plan",
    version: 1,
    organization: live.organization,
    createdAt: now.toISOString(),
    fingerprint: fingerprintOf(live),
    changes: ordered,
    blocked,
    idpOwned,
    unmanaged: [],
    pending: [],
    expiring: [],
    violations: checkRails(ordered, live, policy, caller.member, blocked),
    capabilities: caller.capabilities,
    notes: [`access review ${snapshot.campaign}: ${decisions.length} decision(s) from decisions.csv`],
    stats: live.stats,
  };
  return { plan, rows };
}
