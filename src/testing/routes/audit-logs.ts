/**
 * `GET /organizations/{org}/audit-logs/` (organization_auditlogs.py): newest first, filters
 * `event` (unknown → no rows), `actor` (user id), `start`/`end`/`statsPeriod`; body `{ rows, options }`;
 * keyset cursors on (epoch ms, id) so a walk stays consistent while new entries arrive.
 */
import { AUDIT_EVENT_NAMES, auditNote, materialiseHistory } from "../audit.js";
import { detail, type EmuAnswer, json } from "../http.js";
import { type AuditEntry, iso } from "../model.js";
import { keysetPage, type Position } from "../pagination.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeUser } from "../serialize.js";

const PERIOD_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function parseDate(raw: string, field: string): number | EmuAnswer {
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? json(400, { [field]: ["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."] }) : ms;
}

/** Resolves the optional date range; `statsPeriod` wins over start/end as in Sentry's helper. */
function dateRange(ctx: RouteContext): { from: number; to: number } | EmuAnswer | null {
  const q = ctx.req.url.searchParams;
  const period = q.get("statsPeriod");
  if (period) {
    const m = /^(\d+)([smhdw])?$/.exec(period);
    if (!m?.[1]) return detail(400, "Invalid statsPeriod");
    return { from: ctx.now - Number(m[1]) * (PERIOD_UNITS[m[2] ?? "s"] ?? 1000), to: ctx.now };
  }
  const start = q.get("start");
  const end = q.get("end");
  if (!start && !end) return null;
  if (!start || !end) return detail(400, "start and end are both required");
  const from = parseDate(start, "start");
  if (typeof from !== "number") return from;
  const to = parseDate(end, "end");
  if (typeof to !== "number") return to;
  return { from, to };
}

function serializeEntry(ctx: RouteContext, entry: AuditEntry): Record<string, unknown> {
  const actorUser = entry.actorUserId === null ? undefined : ctx.world.users.get(entry.actorUserId);
  const targetUser = entry.targetUserId === null ? undefined : ctx.world.users.get(entry.targetUserId);
  return {
    id: String(entry.id),
    actor: actorUser ? serializeUser(actorUser) : { name: entry.actorLabel },
    event: entry.event,
    ipAddress: entry.ipAddress,
    note: auditNote(entry),
    targetObject: entry.targetObject,
    targetUser: targetUser ? serializeUser(targetUser) : entry.targetUserId,
    data: entry.data,
    dateCreated: iso(entry.ms),
  };
}

function listAuditLogs(ctx: RouteContext): EmuAnswer {
  const q = ctx.req.url.searchParams;
  const actor = q.get("actor");
  if (actor !== null && actor !== "" && !/^\d{1,18}$/.test(actor)) return json(400, { actor: ["A valid integer is required."] });
  const range = dateRange(ctx);
  if (range && "status" in range) return range;
  const event = q.get("event");
  materialiseHistory(ctx.world, ctx.org);
  const rows: AuditEntry[] = [];
  // Newest first: walk the ascending log backwards.
  for (let i = ctx.org.audit.length - 1; i >= 0; i--) {
    const e = ctx.org.audit[i] as AuditEntry;
    if (event && e.event !== event) continue;
    if (actor && String(e.actorUserId) !== actor) continue;
    if (range && (e.ms < range.from || e.ms > range.to)) continue;
    rows.push(e);
  }
  const page = keysetPage(ctx.req, {
    rows,
    positionOf: (e) => ({ value: e.ms, tie: e.id }),
    // List order is descending on (ms, id).
    compare: (a: Position, b: Position) => Number(b.value) - Number(a.value) || b.tie - a.tie,
    numeric: true,
    origin: { value: Number.MAX_SAFE_INTEGER, tie: 0 },
  });
  return json(200, { rows: page.items.map((e) => serializeEntry(ctx, e)), options: [...AUDIT_EVENT_NAMES] }, { Link: page.link(ctx.req) });
}

export const auditRoutes: RouteSpec[] = [{ operationId: "listOrganizationAuditLogs", handler: listAuditLogs }];
