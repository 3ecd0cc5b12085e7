// Each shipped rule fires on its fixture and stays silent on a benign twin. Member rows come from the emulator's
// own audit writes (members.ts: member.edit/invite/remove carry `role`, as OrganizationMember.get_audit_log_data
// does); the others follow the data shapes Sentry logs: Team.get_audit_log_data (org_role), the SSO settings view
// src/sentry/web/frontend/organization_auth_settings.py (`"to <value>"`, `enable_scim`, `x509cert`),
// AuthProvider.get_audit_log_data (provider), src/sentry/audit_log/register.py for the event names.
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { isValidationError } from "../../../../src/http/errors/errors.js";
import { DEFAULT_AUDIT_RULES, detectAuditAlerts, parseAuditRules, resolveAuditRules } from "../../../../src/recipes/audit/stream/index.js";
import type { AuditLogEntry } from "../../../../src/resources/audit-logs.js";
import { harness, START } from "./helpers.js";

let nextId = 1;
function row(event: string, data: Record<string, unknown>, options: { actor?: number; at?: number } = {}): AuditLogEntry {
  return {
    id: String(nextId++),
    event,
    data,
    note: "",
    ipAddress: "10.1.2.3",
    targetObject: 7,
    targetUser: null,
    actor: { id: String(options.actor ?? 1), name: `user ${options.actor ?? 1}`, email: `u${options.actor ?? 1}@acme.test` },
    dateCreated: new Date(options.at ?? START).toISOString(),
  };
}

/** Rows from the emulator's member routes: an org-role change, an invite, removals. */
async function emulatorRows(): Promise<Record<string, AuditLogEntry[]>> {
  const h = harness({ auditRows: 0 });
  const members = await h.sentry.org.members.list().toArray();
  const plain = members.filter((m) => m.orgRole === "member" && m.user !== null && !m.flags["idp:provisioned"]);
  const [a, b, c] = plain as [(typeof plain)[0], (typeof plain)[0], (typeof plain)[0]];
  const rows = async (event: string) => (await h.sentry.auditLogs.list({ event }).toArray()).reverse();
  await h.sentry.org.members.update(a.id, { orgRole: "owner" });
  const ownerGrant = await rows("member.edit");
  await h.sentry.org.members.update(b.id, { orgRole: "manager" });
  const adminRaise = (await rows("member.edit")).slice(-1);
  await h.sentry.org.members.update(c.id, { orgRole: "member", teamRoles: [] });
  const benignEdit = (await rows("member.edit")).slice(-1);
  await h.sentry.org.members.invite({ email: "new.manager@acme.test", orgRole: "manager" });
  const managerInvite = await rows("member.invite");
  await h.sentry.org.members.invite({ email: "new.member@acme.test", orgRole: "member" });
  const memberInvite = (await rows("member.invite")).slice(-1);
  for (const m of plain.slice(3, 8)) await h.sentry.org.members.remove(m.id);
  const removals = await rows("member.remove");
  await h.close();
  return { ownerGrant, adminRaise, benignEdit, managerInvite, memberInvite, removals };
}

describe("DEFAULT_AUDIT_RULES", () => {
  it("is identical to the shipped rules/sentry-audit-rules.yaml and validates", async () => {
    const text = await readFile(new URL("../../../../rules/sentry-audit-rules.yaml", import.meta.url), "utf8");
    expect(parse(text)).toEqual(DEFAULT_AUDIT_RULES);
    expect(parseAuditRules(text).map((r) => r.id)).toEqual(DEFAULT_AUDIT_RULES.rules.filter((r) => r.enabled !== false).map((r) => r.id));
  });

  it("fires each rule on its fixture and stays silent on the benign twin", async () => {
    const e = await emulatorRows();
    const removedBy = (actor: number, count: number, spacingMs: number) =>
      Array.from({ length: count }, (_, i) => row("member.remove", { email: `gone${i}@acme.test`, role: "member" }, { actor, at: START + i * spacingMs }));
    const cases: Record<string, { fires: AuditLogEntry[]; twin: AuditLogEntry[] }> = {
      "owner-or-manager-granted": { fires: [...e.ownerGrant!, ...e.managerInvite!], twin: [...e.benignEdit!, ...e.memberInvite!] },
      "member-role-raised": { fires: e.adminRaise!, twin: e.benignEdit! },
      "team-org-role-granted": {
        fires: [row("team.edit", { id: 3, slug: "backend", name: "Backend", status: 0, org_role: "manager" })],
        twin: [row("team.edit", { id: 3, slug: "backend", name: "Backend", status: 0, org_role: null })],
      },
      "sso-disabled": { fires: [row("sso.disable", { provider: "okta", config: {} })], twin: [row("sso-identity.link", {})] },
      "sso-provider-changed": { fires: [row("sso.edit", { x509cert: "to MIIC..." })], twin: [row("sso.edit", { require_link: "to True" })] },
      "sso-provider-enabled": { fires: [row("sso.enable", { provider: "saml2" })], twin: [row("sso.edit", { default_role: "to member" })] },
      "sso-not-required": {
        fires: [row("sso.edit", { require_link: "to False", default_role: "to member" })],
        twin: [row("sso.edit", { require_link: "to True" })],
      },
      "sso-default-role-raised": { fires: [row("sso.edit", { default_role: "to owner" })], twin: [row("sso.edit", { default_role: "to member" })] },
      "scim-disabled": { fires: [row("sso.edit", { enable_scim: "to False" })], twin: [row("sso.edit", { enable_scim: "to True" })] },
      "mass-member-removal": { fires: e.removals!, twin: [...removedBy(2, 4, 60_000), ...removedBy(3, 5, 4 * 60_000)] },
      "integration-added": {
        fires: [row("integration.add", { provider: "github", name: "acme" })],
        twin: [row("integration.edit", { provider: "github", name: "acme" })],
      },
      "api-credential-created": {
        fires: [row("org-auth-token.create", { name: "ci", scopes: ["org:ci"] }), row("api-key.create", { label: "legacy" })],
        twin: [row("projectkey.create", { public_key: "abc" })],
      },
      "api-credential-changed": {
        fires: [row("org-auth-token.remove", { name: "ci" }), row("api-key.remove", { label: "legacy" })],
        twin: [row("projectkey.remove", { public_key: "abc" })],
      },
    };
    expect(Object.keys(cases).sort()).toEqual(
      DEFAULT_AUDIT_RULES.rules
        .filter((r) => r.enabled !== false)
        .map((r) => r.id)
        .sort(),
    );
    for (const [id, { fires, twin }] of Object.entries(cases)) {
      const fired = detectAuditAlerts(fires, DEFAULT_AUDIT_RULES).filter((a) => a.rule === id);
      expect(fired.length, `${id} fires`).toBeGreaterThan(0);
      expect(
        fired[0]?.rows.every((rowId) => fires.some((r) => String(r.id) === rowId)),
        `${id} names its rows`,
      ).toBe(true);
      expect(
        detectAuditAlerts(twin, DEFAULT_AUDIT_RULES).filter((a) => a.rule === id),
        `${id} twin`,
      ).toEqual([]);
    }
  });

  it("access-granted-outside-plan is shipped off; turned on with exceptActors it names grants not made by the plan's identity", () => {
    expect(
      detectAuditAlerts([row("member.join-team", { email: "kai@acme.test", team_slug: "payments" }, { actor: 5 })], DEFAULT_AUDIT_RULES).filter(
        (a) => a.rule === "access-granted-outside-plan",
      ),
    ).toEqual([]);
    const shipped = DEFAULT_AUDIT_RULES.rules.find((r) => r.id === "access-granted-outside-plan");
    const rules = { version: 1 as const, extends: "default" as const, rules: [{ ...shipped!, exceptActors: ["u1@acme.test"], enabled: true }] };
    const byPlan = row("member.join-team", { email: "kai@acme.test", team_slug: "payments" }, { actor: 1 });
    const breakGlass = row("member.join-team", { email: "kai@acme.test", team_slug: "payments" }, { actor: 5 });
    const alerts = detectAuditAlerts([byPlan, breakGlass], rules).filter((a) => a.rule === "access-granted-outside-plan");
    expect(alerts.map((a) => ({ rows: a.rows, actor: a.actor }))).toEqual([{ rows: [String(breakGlass.id)], actor: "u5@acme.test" }]);
    expect(() => parseAuditRules("version: 1\nrules:\n  - { id: x, title: x, severity: low, events: [member.edit], exceptActors: [1] }\n")).toThrow(
      /exceptActors must be a list/,
    );
  });

  it("raises one mass-removal alert naming the five rows, with a stable id", () => {
    const rows = Array.from({ length: 5 }, (_, i) => row("member.remove", { email: `x${i}@acme.test` }, { actor: 9, at: START + i * 1000 }));
    const [alert, ...rest] = detectAuditAlerts(rows, DEFAULT_AUDIT_RULES);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      type: "alert",
      rule: "mass-member-removal",
      severity: "high",
      rows: rows.map((r) => r.id),
      id: `mass-member-removal:${rows[4]!.id}`,
    });
  });
});

describe("rules files", () => {
  it("extends the shipped set (same id replaces, enabled: false silences) or replaces it", () => {
    const extended = resolveAuditRules({
      version: 1,
      extends: "default",
      rules: [
        { id: "sso-provider-enabled", title: "quiet", severity: "low", events: ["sso.enable"], enabled: false },
        { id: "project-removed", title: "Project removed", severity: "medium", events: ["project.remove"] },
      ],
    });
    expect(extended.map((r) => r.id)).toContain("sso-disabled");
    expect(extended.map((r) => r.id)).not.toContain("sso-provider-enabled");
    expect(extended.at(-1)?.id).toBe("project-removed");
    const alone = parseAuditRules("version: 1\nrules:\n  - id: only\n    title: Only\n    severity: low\n    events: [member.add]\n");
    expect(alone.map((r) => r.id)).toEqual(["only"]);
  });

  it("rejects malformed rules with the rule and the problem named", () => {
    const bad = [
      "version: 2\nrules: []\n",
      "version: 1\nrules:\n  - id: x\n    title: X\n    severity: urgent\n    events: [a]\n",
      "version: 1\nrules:\n  - id: x\n    title: X\n    severity: low\n    events: [a]\n    where: [{ field: role }]\n",
      "version: 1\nrules:\n  - id: x\n    title: X\n    severity: low\n    events: [a]\n    threshold: { count: 1, windowMinutes: 5 }\n",
      "version: 1\nrules:\n  - { id: x, title: X, severity: low, events: [a] }\n  - { id: x, title: Y, severity: low, events: [b] }\n",
      "rules: [: bad yaml",
    ];
    for (const text of bad) {
      let error: unknown;
      try {
        parseAuditRules(text);
      } catch (e) {
        error = e;
      }
      expect(isValidationError(error), text).toBe(true);
    }
  });
});
