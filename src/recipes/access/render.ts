/**
 * A plan for people: text like terraform's (`+` create/add/invite, `~` update/reinvite, `-` remove/delete) and
 * markdown for a pull-request comment. Everything that came from a server is stripped of control characters.
 */
import type { AccessApplyReport } from "./apply.js";
import type { AccessChange, AccessPlan, ChangeCause } from "./types.js";

// eslint-disable-next-line no-control-regex -- the point is to remove them
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function clean(text: string | undefined): string {
  return (text ?? "").replace(CONTROL, "\uFFFD");
}

function causeText(cause: ChangeCause | null): string {
  return cause === null ? "no audit row in the window explains it" : `${clean(cause.event)} by ${clean(cause.actor)} (${cause.via}) at ${clean(cause.time)}`;
}

function sign(change: AccessChange): "+" | "~" | "-" {
  if (change.action === "remove" || change.action === "delete") return "-";
  if (change.action === "update" || change.action === "reinvite") return "~";
  return "+";
}

/**
 * One change in words, e.g. `~ member kai@acme.test role member → manager`.
 * @example describeChange({ kind: "team", action: "create", subject: "payments" }) // "+ team payments (create)"
 */
export function describeChange(change: AccessChange): string {
  const fromTo =
    change.from !== undefined && change.to !== undefined
      ? ` ${change.kind === "team" ? "name" : "role"} ${clean(change.from)} → ${clean(change.to)}`
      : change.to !== undefined && change.action !== "remove"
        ? ` as ${clean(change.to)}`
        : "";
  const why = change.reason ? ` (${clean(change.reason)})` : "";
  return `${sign(change)} ${change.kind} ${clean(change.subject)} ${change.action}${fromTo}${why}`;
}

/** `n to add, n to change, n to remove`. */
export function summarize(plan: AccessPlan): string {
  const count = (s: string) => plan.changes.filter((c) => sign(c) === s).length;
  return `${count("+")} to add, ${count("~")} to change, ${count("-")} to remove`;
}

/**
 * What a plan without changes says: that the organization matches the file only when nothing is blocked or refused
 * either (a blocked or refused change is work the file asks for).
 */
function nothingToDo(plan: AccessPlan): string | undefined {
  if (plan.changes.length > 0 || plan.violations.length > 0) return undefined;
  if (plan.blocked.length > 0) return `No change the token can make: ${plan.blocked.length} blocked (below).`;
  return "No changes: the organization matches the file.";
}

function section<T>(title: string, rows: readonly T[], line: (row: T) => string): string[] {
  return rows.length === 0 ? [] : ["", `${title}:`, ...rows.map((row) => `  ${line(row)}`)];
}

/**
 * The plan as text for a terminal.
 * @example process.stdout.write(renderPlanText(await planAccess(sentry, config)));
 */
export function renderPlanText(plan: AccessPlan): string {
  const lines = [`Plan for ${clean(plan.organization)}: ${summarize(plan)}.`];
  if (plan.violations.length > 0) {
    lines.push(
      "",
      "REFUSED by the safety rails (nothing will be applied):",
      ...plan.violations.map((v) => `  ✗ ${v.rail}: ${clean(v.message)}${v.hint ? `\n      next: ${clean(v.hint)}` : ""}`),
    );
  }
  const nothing = nothingToDo(plan);
  if (nothing !== undefined) lines.push("", nothing);
  else if (plan.changes.length > 0) {
    lines.push(
      "",
      ...plan.changes.map(
        (c) => `  ${describeChange(c)}${c.note ? `\n      note: ${clean(c.note)}` : ""}${c.cause !== undefined ? `\n      cause: ${causeText(c.cause)}` : ""}`,
      ),
    );
  }
  lines.push(
    ...section(
      "Blocked (the token cannot make these; not applied)",
      plan.blocked,
      (b) => `! ${describeChange({ ...b, reason: "" }).slice(2)}: ${clean(b.reason)}`,
    ),
    ...section("IdP-owned (left to the identity provider)", plan.idpOwned, (e) => `${e.kind} ${clean(e.subject)}: ${clean(e.reason)}`),
    ...section(
      "Unmanaged (live, not in the file; kept in additive mode)",
      plan.unmanaged,
      (e) => `${e.kind} ${clean(e.subject)}${e.detail ? ` (${clean(e.detail)})` : ""}`,
    ),
    ...section(
      "Pending invites (not drift)",
      plan.pending,
      (p) => `${clean(p.email)} as ${clean(p.role)}, invited ${p.invitedAt.slice(0, 10)}, expires ${p.expiresAt.slice(0, 10)}`,
    ),
    ...section("Expiring within 14 days", plan.expiring, (e) => `${e.kind} ${clean(e.subject)} until ${e.until}${e.reason ? ` (${clean(e.reason)})` : ""}`),
    ...section("Notes", plan.notes, (n) => clean(n)),
  );
  lines.push("", `Fingerprint: ${plan.fingerprint}`);
  return `${lines.join("\n")}\n`;
}

function cell(text: string | undefined): string {
  return clean(text).replace(/\|/g, "\\|").replace(/`/g, "'");
}

/**
 * The plan as markdown, for a pull-request comment (a diff block and tables).
 * @example await postComment(renderPlanMarkdown(plan));
 */
export function renderPlanMarkdown(plan: AccessPlan): string {
  const out = [`### Sentry access plan for \`${cell(plan.organization)}\``, "", `**${summarize(plan)}.**`];
  if (plan.violations.length > 0) {
    out.push(
      "",
      "> [!CAUTION]",
      "> Refused by the safety rails; nothing will be applied.",
      ...plan.violations.map((v) => `> - **${v.rail}**: ${cell(v.message)}${v.hint ? ` Next: ${cell(v.hint)}` : ""}`),
    );
  }
  const nothing = nothingToDo(plan);
  if (nothing !== undefined) out.push("", nothing);
  else if (plan.changes.length > 0) {
    // A change's note (e.g. the team roles an org role implies) as a context line of the diff.
    const lines = plan.changes.flatMap((c) => [describeChange(c).replace(/^~/, "!"), ...(c.note ? [`    note: ${clean(c.note)}`] : [])]);
    out.push("", "```diff", ...lines.map((line) => line.replace(/`/g, "'")), "```");
  }
  const table = (title: string, head: string[], rows: string[][]) => {
    if (rows.length === 0) return;
    out.push(
      "",
      `<details><summary>${title} (${rows.length})</summary>`,
      "",
      `| ${head.join(" | ")} |`,
      `| ${head.map(() => "---").join(" | ")} |`,
      ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
      "",
      "</details>",
    );
  };
  table(
    "Causes: the audit row behind each difference",
    ["change", "event", "actor", "via", "time"],
    plan.changes
      .filter((c) => c.cause !== undefined)
      .map((c) => [
        describeChange({ ...c, reason: "" }),
        c.cause?.event ?? "none in the window",
        c.cause?.actor ?? "",
        c.cause?.via ?? "",
        c.cause?.time ?? "",
      ]),
  );
  table(
    "Blocked: the token cannot make these",
    ["change", "subject", "reason"],
    plan.blocked.map((b) => [`${b.kind} ${b.action}`, b.subject, b.reason]),
  );
  table(
    "IdP-owned",
    ["kind", "subject", "reason"],
    plan.idpOwned.map((e) => [e.kind, e.subject, e.reason]),
  );
  table(
    "Unmanaged",
    ["kind", "subject", "detail"],
    plan.unmanaged.map((e) => [e.kind, e.subject, e.detail ?? ""]),
  );
  table(
    "Pending invites",
    ["email", "role", "expires"],
    plan.pending.map((p) => [p.email, p.role, p.expiresAt.slice(0, 10)]),
  );
  table(
    "Expiring within 14 days",
    ["kind", "subject", "until", "reason"],
    plan.expiring.map((e) => [e.kind, e.subject, e.until, e.reason ?? ""]),
  );
  if (plan.notes.length > 0) out.push("", "**Notes**", "", ...plan.notes.map((n) => `- ${cell(n)}`));
  out.push("", `<sub>fingerprint \`${plan.fingerprint}\` · apply with \`sentry-rbac apply plan.json\`</sub>`);
  return `${out.join("\n")}\n`;
}

/**
 * An apply report as text.
 * @example process.stdout.write(renderApplyText(await applyAccessPlan(sentry, plan)));
 */
export function renderApplyText(report: AccessApplyReport): string {
  const lines = [
    `Apply to ${clean(report.organization)}${report.dryRun ? " (dry run: nothing sent)" : ""}: ${report.applied.length} applied, ${report.failed.length} failed, ${report.skipped.length} skipped.`,
  ];
  lines.push(...report.applied.map((c) => `  ✓ ${describeChange(c)}${c.note ? ` — ${clean(c.note)}` : ""}`));
  lines.push(...report.failed.map((f) => `  ✗ ${f.step ? describeChange(f.step) : "-"}: ${clean(f.message)}`));
  lines.push(...report.skipped.map((s) => `  · ${describeChange(s.change)}: ${clean(s.reason)}`));
  return `${lines.join("\n")}\n`;
}
