/**
 * `decisions.csv`: one row per subject for the reviewers to fill in, and its reading back at `close`, where every
 * row is checked before any request (an unknown decision, a missing reviewer, a reviewer reviewing themselves, a
 * role that does not exist, a member the snapshot does not hold) and a refusal names the line to fix.
 */
import { isOrgRole, orgRoleDefinition, type OrgRole } from "../../vocabulary/roles.js";
import { csvField } from "../audit/export/format.js";
import { parseYaml } from "../shared/yaml.js";
import { CsvSyntaxError, parseCsv } from "./csv.js";
import { AccessReviewError } from "./errors.js";
import type { ReviewSnapshot, ReviewSubject } from "./snapshot.js";

/** The header of `decisions.csv`, exactly. */
export const DECISION_COLUMNS = Object.freeze([
  "member_id",
  "email",
  "org_role",
  "teams",
  "projects",
  "reviewer",
  "decision",
  "new_org_role",
  "remove_teams",
  "note",
] as const);

/** What a reviewer may decide. */
export type ReviewDecisionKind = "keep" | "revoke" | "set-role" | "remove-teams";

const DECISIONS: readonly ReviewDecisionKind[] = ["keep", "revoke", "set-role", "remove-teams"];

/** One checked row of `decisions.csv`. */
export interface ReviewDecision {
  line: number;
  memberId: string;
  email: string;
  reviewer: string;
  decision: ReviewDecisionKind;
  newOrgRole?: OrgRole;
  removeTeams: string[];
  note: string;
}

/** Team slug (or `*` for everyone) → reviewer email. */
export type ReviewerMap = Readonly<Record<string, string>>;

const HINT = "Fix that line of decisions.csv and run close again; nothing was changed.";

/**
 * Reads a reviewers file: a YAML (or JSON) map of team slug, or `*` for everyone else, to the reviewer's email.
 * @example parseReviewers("'*': security@acme.com\nbackend: lead@acme.com\n")
 * @throws {AccessReviewError} (`invalid-campaign`) for anything but a map of strings to emails.
 */
export function parseReviewers(text: string): ReviewerMap {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new AccessReviewError(
      "invalid-campaign",
      `the reviewers file is not YAML: ${(error as Error).message}`,
      "Write one `team-slug: reviewer@example.com` per line, `'*':` for everyone else.",
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new AccessReviewError(
      "invalid-campaign",
      "the reviewers file must be a map of team slug (or '*') to reviewer email",
      "Write one `team-slug: reviewer@example.com` per line.",
    );
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string" || !/^[^@\s]+@[^@\s]+$/.test(value.trim())) {
      throw new AccessReviewError(
        "invalid-campaign",
        `the reviewers file maps ${key} to something that is no email`,
        "Write one `team-slug: reviewer@example.com` per line.",
      );
    }
    out[key] = value.trim();
  }
  return out;
}

/** The reviewer of a subject: the first of its teams (by slug) with a reviewer who is not the subject, else `*`. */
export function reviewerFor(subject: ReviewSubject, reviewers: ReviewerMap): string {
  const self = subject.email.toLowerCase();
  const candidates = [...subject.teams.map((t) => reviewers[t.team]), reviewers["*"]];
  return candidates.find((email) => email !== undefined && email.toLowerCase() !== self) ?? "";
}

function row(fields: ReadonlyArray<string>): string {
  return `${fields.map((f) => csvField(f)).join(",")}\r\n`;
}

/** What the `projects` column shows. */
function projectsColumn(subject: ReviewSubject): string {
  const listed = subject.projects.map((p) => p.project);
  return subject.globalAccess ? ["*", ...listed].join(";") : listed.join(";");
}

/**
 * `decisions.csv` for a snapshot: CRLF line ends (RFC 4180, what spreadsheets write), privileged subjects first.
 * @example const text = decisionsCsv(snapshot, { "*": "security@acme.com" });
 */
export function decisionsCsv(snapshot: ReviewSnapshot, reviewers: ReviewerMap): string {
  const lines = [row(DECISION_COLUMNS)];
  for (const subject of snapshot.subjects) {
    lines.push(
      row([
        subject.memberId,
        subject.email,
        subject.orgRole,
        subject.teams.map((t) => t.team).join(";"),
        projectsColumn(subject),
        reviewerFor(subject, reviewers),
        "",
        "",
        "",
        subject.pending ? `pending invite (${subject.dateJoined.slice(0, 10)})` : "",
      ]),
    );
  }
  return lines.join("");
}

function list(value: string): string[] {
  return value
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * Reads `decisions.csv` back and checks every row against the snapshot; nothing is sent to Sentry.
 * @example const decisions = readDecisions(await readFile("review/decisions.csv", "utf8"), snapshot);
 * @throws {AccessReviewError} (`invalid-decision`, with `line`) for the first row that cannot be acted on.
 */
export function readDecisions(text: string, snapshot: ReviewSnapshot): ReviewDecision[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new AccessReviewError("invalid-decision", `decisions.csv ${error.message}`, HINT, error.line);
    throw error;
  }
  const header = records[0];
  if (!header || header.fields.join(",") !== DECISION_COLUMNS.join(",")) {
    throw new AccessReviewError(
      "invalid-decision",
      `decisions.csv line ${header?.line ?? 1}: the header must be ${DECISION_COLUMNS.join(",")}`,
      HINT,
      header?.line ?? 1,
    );
  }
  const subjects = new Map(snapshot.subjects.map((s) => [s.memberId, s]));
  const seen = new Map<string, number>();
  const out: ReviewDecision[] = [];
  for (const { line, fields } of records.slice(1)) {
    const refuse = (message: string): never => {
      throw new AccessReviewError("invalid-decision", `decisions.csv line ${line}: ${message}`, HINT, line);
    };
    if (fields.length !== DECISION_COLUMNS.length) refuse(`expected ${DECISION_COLUMNS.length} fields, found ${fields.length}`);
    const [memberId = "", email = "", , , , reviewer = "", decision = "", newRole = "", removeTeams = "", note = ""] = fields.map((f) => f.trim());
    const subject = subjects.get(memberId);
    if (!subject) return refuse(`member_id ${JSON.stringify(memberId)} is not in the snapshot`);
    const earlier = seen.get(memberId);
    if (earlier !== undefined) refuse(`member ${memberId} already has a decision on line ${earlier}`);
    seen.set(memberId, line);
    if (email.toLowerCase() !== subject.email.toLowerCase()) refuse(`member ${memberId} is ${subject.email} in the snapshot, not ${JSON.stringify(email)}`);
    if (decision === "") refuse(`no decision for ${subject.email} (write ${DECISIONS.join(", ")})`);
    if (!(DECISIONS as readonly string[]).includes(decision)) refuse(`unknown decision ${JSON.stringify(decision)} (write ${DECISIONS.join(", ")})`);
    if (reviewer === "") refuse(`no reviewer for ${subject.email}`);
    if (reviewer.toLowerCase() === subject.email.toLowerCase()) refuse(`${subject.email} may not review their own access`);
    const kind = decision as ReviewDecisionKind;
    const entry: ReviewDecision = { line, memberId, email: subject.email, reviewer, decision: kind, removeTeams: [], note };
    if (kind === "set-role") {
      if (!isOrgRole(newRole) || orgRoleDefinition(newRole).isRetired)
        refuse(`set-role needs a valid new_org_role (member, manager, owner, billing), not ${JSON.stringify(newRole)}`);
      entry.newOrgRole = newRole as OrgRole;
    } else if (newRole !== "") refuse(`new_org_role is only for set-role (the decision is ${kind})`);
    if (kind === "remove-teams") {
      entry.removeTeams = [...new Set(list(removeTeams))];
      if (entry.removeTeams.length === 0) refuse("remove-teams needs the teams to remove in remove_teams (;-separated)");
      const held = new Set(subject.teams.map((t) => t.team));
      const unknown = entry.removeTeams.filter((t) => !held.has(t));
      if (unknown.length > 0) refuse(`${subject.email} is not on ${unknown.join(", ")} in the snapshot`);
    } else if (removeTeams !== "") refuse(`remove_teams is only for remove-teams (the decision is ${kind})`);
    out.push(entry);
  }
  const missing = snapshot.subjects.find((s) => !seen.has(s.memberId));
  if (missing) {
    const last = records.at(-1)?.line ?? 1;
    throw new AccessReviewError(
      "invalid-decision",
      `decisions.csv line ${last + 1}: no row for ${missing.email} (member ${missing.memberId}); every subject needs a decision`,
      HINT,
      last + 1,
    );
  }
  return out;
}
