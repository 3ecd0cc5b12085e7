// OCSF and ECS records checked with ajv against schema subsets of the published specifications (schemas.ts), for
// every event api name the emulator knows (Sentry's registry, src/sentry/audit_log/register.py) and for the rows
// the emulator's own routes write.
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { tailAuditLog, toEcs, toOcsf } from "../../../../src/recipes/audit/stream/index.js";
import { recordKey } from "../../../../src/recipes/audit/stream/formats.js";
import type { AuditLogEntry } from "../../../../src/resources/audit-logs.js";
import { AUDIT_EVENT_NAMES } from "../../../../src/testing/audit.js";
import { ecsAlertSchema, ecsSchema, ocsfDetectionFindingSchema, ocsfSchemas } from "./schemas.js";
import { harness } from "./helpers.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validateEcs = ajv.compile(ecsSchema);
const validateOcsf = Object.fromEntries(Object.entries(ocsfSchemas).map(([uid, schema]) => [uid, ajv.compile(schema)]));

async function rows(): Promise<AuditLogEntry[]> {
  const h = harness({ auditRows: 600 });
  const history = await h.sentry.auditLogs.list().toArray();
  await h.close();
  const template = history[0] as AuditLogEntry;
  // One row per registered event name, shaped like the history rows, so every mapping branch is exercised.
  const synthetic = AUDIT_EVENT_NAMES.map((event, i) => ({
    ...template,
    id: String(900_000 + i),
    event,
    targetUser: i % 2 === 0 ? null : template.targetUser,
  }));
  const orgRole = { ...template, id: "990001", event: "team.edit", data: { id: 3, slug: "backend", name: "Backend", status: 0, org_role: "manager" } };
  const byName = { ...template, id: "990002", actor: { name: "SCIM Internal Integration (a1b2c3)" } as AuditLogEntry["actor"], ipAddress: null };
  return [...history, ...synthetic, orgRole, byName];
}

describe("toOcsf / toEcs", () => {
  it("produce records with the required attributes of their OCSF class and of ECS", async () => {
    const all = await rows();
    const classes = new Set<number>();
    for (const row of all) {
      const ocsf = toOcsf(row, { org: "acme" });
      classes.add(ocsf.class_uid);
      const validate = validateOcsf[ocsf.class_uid];
      expect(validate, `class ${ocsf.class_uid} for ${row.event}`).toBeDefined();
      expect(validate?.(ocsf) ? [] : validate?.errors, `${row.event} as OCSF`).toEqual([]);
      expect(ocsf.metadata.uid).toBe(String(row.id));
      const ecs = toEcs(row, { org: "acme" });
      expect(validateEcs(ecs) ? [] : validateEcs.errors, `${row.event} as ECS`).toEqual([]);
      expect(ecs.event.id).toBe(String(row.id));
    }
    expect([...classes].sort()).toEqual([3001, 3002, 3004, 3005, 3006]);
  });

  it("maps privilege changes to the classes in the docs' table", async () => {
    const [template] = await rows();
    const row = (event: string, data: Record<string, unknown>) => ({ ...template!, event, data });
    expect(toOcsf(row("member.edit", { email: "a@acme.test", role: "owner" }))).toMatchObject({
      class_uid: 3005,
      activity_id: 1,
      type_uid: 300501,
      privileges: ["role:owner"],
    });
    expect(toOcsf(row("team.edit", { slug: "backend", org_role: "manager" }))).toMatchObject({
      class_uid: 3006,
      type_uid: 300601,
      privileges: ["org_role:manager"],
    });
    expect(toOcsf(row("member.remove", { email: "a@acme.test" }))).toMatchObject({ class_uid: 3001, activity_id: 6 });
    expect(toOcsf(row("member.join-team", { email: "a@acme.test", team_slug: "web" }))).toMatchObject({
      class_uid: 3006,
      activity_id: 3,
      group: { name: "web" },
    });
    expect(toOcsf(row("sso.disable", { provider: "okta" }))).toMatchObject({ class_uid: 3004, activity_id: 4, entity: { name: "okta", type: "sso" } });
    expect(toEcs(row("member.edit", { email: "a@acme.test", role: "owner" })).event).toMatchObject({
      category: ["iam"],
      type: ["user", "change", "admin"],
      action: "member.edit",
    });
    expect(toEcs(row("project.edit", { slug: "web" })).event.category).toEqual(["iam", "configuration"]);
  });

  it("writes an alert as an OCSF Detection Finding (2004) or an ECS alert, referencing the rows that raised it", async () => {
    const validateFinding = ajv.compile(ocsfDetectionFindingSchema);
    const validateAlert = ajv.compile(ecsAlertSchema);
    for (const format of ["ocsf", "ecs"] as const) {
      const h = harness({ auditRows: 600 });
      const records: Array<Record<string, unknown>> = [];
      await tailAuditLog(h.sentry, {
        since: new Date(0),
        format,
        alertsOnly: true,
        sink: {
          write: async (r: readonly unknown[]) => {
            records.push(...(r as Array<Record<string, unknown>>));
          },
          close: async () => {},
        },
      });
      await h.close();
      expect(records.length, `${format}: the demo history raises alerts`).toBeGreaterThan(0);
      for (const record of records) {
        expect(record.type, "no bare alert object in a typed stream").toBeUndefined();
        if (format === "ocsf") {
          expect(validateFinding(record) ? [] : validateFinding.errors).toEqual([]);
          const info = record.finding_info as { uid: string; related_events: Array<{ uid: string }> };
          expect(info.related_events.length).toBeGreaterThan(0);
          expect(recordKey(record)).toBe(`alert:${info.uid}`);
        } else {
          expect(validateAlert(record) ? [] : validateAlert.errors).toEqual([]);
          const event = record.event as { id: string };
          expect((record.sentry as { alert: { rows: string[] } }).alert.rows.length).toBeGreaterThan(0);
          expect(recordKey(record)).toBe(`alert:${event.id}`);
        }
      }
    }
  });
});
