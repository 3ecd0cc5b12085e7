/**
 * `report.csv` and `report.html` of a closed review. The HTML page is one self-contained file: inline styles, no
 * script, no font, image or link to fetch, so it reads the same offline, in an archive, years later. Every value
 * that came from Sentry or a reviewer is escaped.
 */
import { csvField } from "../audit/export/format.js";
import type { ReviewManifest } from "./manifest.js";
import { countOutcomes, type ReviewOutcome, type ReviewOutcomeKind } from "./outcomes.js";
import type { ReviewActor, ReviewSnapshot } from "./snapshot.js";

/** The columns of `report.csv`. */
export const REPORT_COLUMNS = Object.freeze(["member_id", "email", "before", "decision", "reviewer", "outcome", "detail", "verified_at", "note"] as const);

function decisionText(o: ReviewOutcome): string {
  if (o.decision === "set-role") return `set-role ${o.newOrgRole ?? ""}`;
  if (o.decision === "remove-teams") return `remove-teams ${o.removeTeams.join(";")}`;
  return o.decision;
}

function beforeText(o: ReviewOutcome): string {
  return `${o.before.orgRole}${o.before.pending ? " (invite)" : ""}; teams: ${o.before.teams.join(";") || "none"}`;
}

/**
 * `report.csv`: one row per subject, privileged subjects first.
 * @example await writeFile("report.csv", reportCsv(outcomes));
 */
export function reportCsv(outcomes: readonly ReviewOutcome[]): string {
  const rows = [REPORT_COLUMNS.join(",")];
  for (const o of outcomes) {
    rows.push(
      [o.memberId, o.email, beforeText(o), decisionText(o), o.reviewer, o.outcome, o.detail, o.verifiedAt ?? "", o.note].map((f) => csvField(f)).join(","),
    );
  }
  return `${rows.join("\r\n")}\r\n`;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** HTML text of any string; control characters (but tab and line breaks) become U+FFFD. */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "\uFFFD").replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const OUTCOME_COLOURS: Record<ReviewOutcomeKind, string> = {
  kept: "#e6f4ea",
  revoked: "#fde7e9",
  "role-changed": "#fff4ce",
  "teams-removed": "#fff4ce",
  "pending-idp": "#e8eefc",
  failed: "#f8c5c5",
};

function actorText(actor: ReviewActor | undefined): string {
  if (!actor) return "";
  const who = actor.email ?? actor.name ?? (actor.userId === null ? "no user (organization token)" : `user ${actor.userId}`);
  return `${who} (${actor.tokenKind} token)`;
}

/** What the HTML report shows. */
export interface ReportInput {
  manifest: ReviewManifest;
  snapshot: ReviewSnapshot;
  after: ReviewSnapshot;
  outcomes: readonly ReviewOutcome[];
  closedAt: string;
  closedBy: ReviewActor;
}

/**
 * `report.html`: campaign, organization, who took and closed it and when, counts, every subject (privileged first)
 * with decision and outcome, and the hashes of the campaign's files.
 * @example await writeFile("report.html", reportHtml({ manifest, snapshot, after, outcomes, closedAt, closedBy }));
 */
export function reportHtml(input: ReportInput): string {
  const { manifest, snapshot, after, outcomes } = input;
  const e = escapeHtml;
  const counts = countOutcomes(outcomes);
  const facts: Array<[string, string]> = [
    ["Campaign", manifest.campaign],
    ["Organization", manifest.organization],
    ["Snapshot taken", `${snapshot.takenAt} by ${actorText(snapshot.takenBy)}`],
    ["Closed", `${input.closedAt} by ${actorText(input.closedBy)}`],
    ["Re-read (after.json)", after.takenAt],
    ["Tool", `${snapshot.tool.name} ${snapshot.tool.version}`],
    [
      "Subjects",
      `${outcomes.length} (${outcomes.filter((o) => o.before.privileged).length} privileged, ${outcomes.filter((o) => o.before.pending).length} invites)`,
    ],
    ["API tokens", snapshot.tokens.source === "inventory" ? `${snapshot.tokens.tokens.length} from an inventory file` : snapshot.tokens.note],
  ];
  const rows = outcomes
    .map(
      (o) =>
        `<tr${o.before.privileged ? ' class="priv"' : ""}>` +
        `<td>${e(o.email)}${o.before.privileged ? " <b>privileged</b>" : ""}</td><td>${e(beforeText(o))}</td><td>${e(decisionText(o))}</td>` +
        `<td>${e(o.reviewer)}</td><td style="background:${OUTCOME_COLOURS[o.outcome]}">${e(o.outcome)}</td><td>${e(o.detail)}</td>` +
        `<td>${e(o.verifiedAt ?? "")}</td><td>${e(o.note)}</td></tr>`,
    )
    .join("\n");
  const hashes = Object.entries(manifest.files)
    .map(([name, seal]) => `<tr><td>${e(name)}</td><td><code>${e(seal.sha256)}</code></td><td>${seal.bytes}</td></tr>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(`Access review: ${manifest.campaign}`)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1b1b; background: #ffffff; }
h1 { font-size: 1.5em; border-bottom: 3px solid #362d59; padding-bottom: .3em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #c9c9c9; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #362d59; color: #ffffff; }
tr.priv td:first-child { border-left: 4px solid #c0392b; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { font-weight: bold; }
code { font-size: 12px; }
</style>
</head>
<body>
<h1>${e(`Access review: ${manifest.campaign}`)}</h1>
<dl>
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join("\n")}
</dl>
<h2>Outcomes</h2>
<table id="counts"><tr>${Object.keys(counts)
    .map((k) => `<th>${e(k)}</th>`)
    .join("")}</tr>
<tr>${Object.entries(counts)
    .map(([k, n]) => `<td style="background:${OUTCOME_COLOURS[k as ReviewOutcomeKind]}">${n}</td>`)
    .join("")}</tr></table>
<h2>Subjects (privileged first)</h2>
<table id="subjects">
<tr><th>Subject</th><th>Before</th><th>Decision</th><th>Reviewer</th><th>Outcome</th><th>Detail</th><th>Verified at</th><th>Note</th></tr>
${rows}
</table>
<h2>Evidence files (SHA-256)</h2>
<p>Recompute with <code>sentry-rbac review verify DIR</code> or <code>sha256sum</code>; manifest.json lists the same hashes.</p>
<table id="hashes"><tr><th>File</th><th>SHA-256</th><th>Bytes</th></tr>
${hashes}
</table>
</body>
</html>
`;
}
