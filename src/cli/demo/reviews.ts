// The demo's two read-only checks: token lint over the emulator's tokens, and an access review of the org.
import type { SentryClient } from "../../client.js";
import { accessReview, type AccessFinding } from "../../recipes/review/access-review.js";
import { lintTokens } from "../../recipes/tokens/lint.js";
import type { TokenRecord } from "../../recipes/tokens/types.js";
import type { EmulatorState } from "../../testing/index.js";
import type { DemoPrinter } from "./printer.js";

const SHOWN_FINDINGS = 8;

/**
 * The emulator's live personal and org auth tokens as the records `lintTokens` takes (as the settings pages list
 * them; Sentry gives bearer tokens no list). The demo's own admin token is left out: it is the demo's credential.
 */
export function tokenRecordsOf(state: EmulatorState, skipId?: string): TokenRecord[] {
  return state.tokens
    .filter((t) => t.active && t.id !== skipId && (t.kind === "user" || t.kind === "org"))
    .map((t) => ({ id: t.id, name: t.name, scopes: [...t.scopes], dateCreated: t.dateCreated, expiresAt: t.expiresAt, kind: t.kind as "user" | "org" }));
}

/** Token lint: findings per rule, and the most severe ones with their fix. */
export async function demoTokenLint(sentry: SentryClient, out: DemoPrinter, tokens: readonly TokenRecord[], now: Date): Promise<void> {
  out.section("Token lint", "The org's tokens checked for naming, scope breadth, admin spread, age and expiry.");
  const { findings, summary } = await lintTokens(sentry, { tokens, now });
  out.line(`${summary.tokens} token(s): ${summary.clean} clean, ${summary.findings} finding(s)`);
  out.line(
    Object.entries(summary.byCode)
      .filter(([, n]) => n > 0)
      .map(([code, n]) => `${code} ${n}`)
      .join(", "),
  );
  const order = { high: 0, medium: 1, low: 2 } as const;
  const shown = [...findings].sort((a, b) => order[a.severity] - order[b.severity]).slice(0, SHOWN_FINDINGS);
  out.table(shown, [
    { key: "severity", header: "SEVERITY", value: (f) => f.severity },
    { key: "token", header: "TOKEN", value: (f) => f.tokenName },
    { key: "message", header: "PROBLEM", value: (f) => f.message },
  ]);
  if (findings.length > shown.length) out.line(`... and ${findings.length - shown.length} more (sentry-rbac tokens lint --file tokens.json)`);
}

/** Access review: the summary and the findings, most severe first. */
export async function demoAccessReview(sentry: SentryClient, out: DemoPrinter, now: Date): Promise<void> {
  out.section("Access review", "Who holds what: privileged roles, SSO links, stale invites, orphan teams and projects.");
  const { findings, summary } = await accessReview(sentry, { now, pendingInviteDays: 14 });
  out.line(
    `${summary.members} members (${summary.owners} owners, ${summary.managers} managers), ${summary.pendingInvites} pending invites, ` +
      `${summary.teams} teams, ${summary.projects} projects; SSO ${summary.ssoProvider ?? "off"}${summary.ssoRequired ? " (required)" : ""}`,
  );
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  out.line(`${findings.length} finding(s): ${[...counts].map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
  const shown: AccessFinding[] = findings.slice(0, SHOWN_FINDINGS);
  out.table(shown, [
    { key: "severity", header: "SEVERITY", value: (f) => f.severity },
    { key: "kind", header: "FINDING", value: (f) => f.kind },
    { key: "subject", header: "SUBJECT", value: (f) => f.subject },
  ]);
  if (findings.length > shown.length) out.line(`... and ${findings.length - shown.length} more (sentry-rbac access review)`);
}
