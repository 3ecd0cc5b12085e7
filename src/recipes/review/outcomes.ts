/**
 * The outcome of each decision, judged from `after.json` — the organization read again after the apply — and never
 * from the apply's own success: a row is `revoked`, `role-changed` or `teams-removed` only when the re-read shows it.
 */
import type { AccessApplyReport } from "../access/apply.js";
import type { ReviewDecision } from "./decisions.js";
import type { ReviewPlan } from "./plan.js";
import type { ReviewSnapshot, ReviewSubject } from "./snapshot.js";

/** What became of one decision. */
export type ReviewOutcomeKind = "kept" | "revoked" | "role-changed" | "teams-removed" | "pending-idp" | "failed";

/** One row of the report. */
export interface ReviewOutcome {
  line: number;
  memberId: string;
  email: string;
  /** The subject as the snapshot saw it. */
  before: { orgRole: string; teams: string[]; pending: boolean; privileged: boolean };
  decision: ReviewDecision["decision"];
  newOrgRole: string | undefined;
  removeTeams: string[];
  reviewer: string;
  note: string;
  outcome: ReviewOutcomeKind;
  /** Why it failed, what to change in the identity provider, or what else is worth knowing. */
  detail: string;
  /** When `after.json` was read, for outcomes it confirms. */
  verifiedAt: string | null;
}

/** Outcomes in report order: privileged subjects (owners, managers) first, then by email. */
export function judgeOutcomes(
  decisions: readonly ReviewDecision[],
  snapshot: ReviewSnapshot,
  after: ReviewSnapshot,
  planned: ReviewPlan,
  applied: AccessApplyReport | undefined,
  privileged: (subject: ReviewSubject) => boolean,
): ReviewOutcome[] {
  const was = new Map(snapshot.subjects.map((s) => [s.memberId, s]));
  const now = new Map(after.subjects.map((s) => [s.memberId, s]));
  const failures = new Map<string, string>();
  for (const failure of applied?.failed ?? []) {
    const step = failure.step;
    if (step) failures.set(step.subject, failure.message);
  }
  const out: ReviewOutcome[] = [];
  for (const decision of decisions) {
    const subject = was.get(decision.memberId) as ReviewSubject;
    const current = now.get(decision.memberId);
    const row = planned.rows.get(decision.line) ?? { changes: [], idp: [], blocked: [], gone: false };
    const failed = row.changes.map((c) => failures.get(c.subject)).filter((m): m is string => m !== undefined);
    const why = [...row.blocked.map((b) => `blocked: ${b}`), ...failed].join("; ");
    const verified = (outcome: ReviewOutcomeKind, detail = "") => ({ outcome, detail, verifiedAt: after.takenAt });
    const failure = (detail: string) => ({ outcome: "failed" as const, detail: why === "" ? detail : `${why} (${detail})`, verifiedAt: null });
    const idp = () => ({ outcome: "pending-idp" as const, detail: row.idp.join("; "), verifiedAt: null });
    let result: Pick<ReviewOutcome, "outcome" | "detail" | "verifiedAt">;
    switch (decision.decision) {
      case "keep":
        result = verified("kept", current ? "" : "no longer in the organization at close");
        break;
      case "revoke":
        if (!current) result = verified("revoked", row.gone ? "had left before close" : "");
        else if (row.idp.length > 0) result = idp();
        else result = failure("after.json still shows the member");
        break;
      case "set-role":
        if (current && current.orgRole === decision.newOrgRole) result = verified("role-changed", row.changes.length === 0 ? "already had that role" : "");
        else if (current && row.idp.length > 0) result = idp();
        else result = failure(current ? `after.json shows the role ${current.orgRole}` : "not in the organization at close");
        break;
      case "remove-teams": {
        const left = decision.removeTeams.filter((team) => current?.teams.some((t) => t.team === team));
        const idpTeams = new Set(row.idp.length > 0 ? after.teams.filter((t) => t.idpProvisioned).map((t) => t.slug) : []);
        if (left.length === 0) result = verified("teams-removed", current ? "" : "no longer in the organization at close");
        else if (left.every((team) => idpTeams.has(team))) result = idp();
        else result = failure(`after.json still shows ${left.filter((team) => !idpTeams.has(team)).join(", ")}`);
        break;
      }
    }
    out.push({
      line: decision.line,
      memberId: decision.memberId,
      email: subject.email,
      before: { orgRole: subject.orgRole, teams: subject.teams.map((t) => t.team), pending: subject.pending, privileged: privileged(subject) },
      decision: decision.decision,
      newOrgRole: decision.newOrgRole,
      removeTeams: decision.removeTeams,
      reviewer: decision.reviewer,
      note: decision.note,
      ...result,
    });
  }
  return out.sort((a, b) => Number(b.before.privileged) - Number(a.before.privileged) || a.email.localeCompare(b.email));
}

/** How many rows ended in each outcome. */
export function countOutcomes(outcomes: readonly ReviewOutcome[]): Record<ReviewOutcomeKind, number> {
  const counts: Record<ReviewOutcomeKind, number> = { kept: 0, revoked: 0, "role-changed": 0, "teams-removed": 0, "pending-idp": 0, failed: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}
