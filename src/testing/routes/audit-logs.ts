/**
 * `GET /organizations/{org}/audit-logs/` (src/sentry/core/endpoints/organization_auditlogs.py,
 * tests/sentry/core/endpoints/test_organization_auditlogs.py): the query serializer first (400, all field
 * errors at once), then Sentry's date-range helper, whose `InvalidParams` nothing catches (500); newest first;
 * body `{ rows, options }`; paged by Sentry's `DateTimePaginator` (epoch-ms `value:offset:is_prev` cursors).
 */
import { AUDIT_EVENT_NAMES, auditNote, materialiseHistory } from "../audit.js";
import { dateTimePage } from "../datetime-paginator.js";
import { drfDateTime, drfInteger, INVALID_DATETIME, INVALID_INTEGER, lastParam } from "../drf.js";
import { AnswerError, type EmuAnswer, json } from "../http.js";
import { type AuditEntry, iso } from "../model.js";
import type { RouteContext, RouteSpec } from "../router.js";
import { serializeUser } from "../serialize.js";

/** `BoundedIntegerField.MAX_VALUE`, the `actor` field's `max_value`. */
const MAX_ACTOR = 2_147_483_647;
const PERIOD_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** An uncaught `InvalidParams` (src/sentry/api/handlers.py handles only snuba rate limits): Sentry's 500 body. */
const INTERNAL_ERROR: EmuAnswer = { status: 500, body: { detail: "Internal Error", errorId: null } };

interface AuditQuery {
  event: string | null;
  actor: number | null;
}

/** `AuditLogQueryParamSerializer`: an empty value of these optional fields is skipped, as DRF does for query input. */
function readQuery(params: URLSearchParams): AuditQuery {
  const errors: Record<string, string[]> = {};
  const value = (name: string) => {
    const raw = lastParam(params, name);
    return raw === null || raw === "" ? null : raw;
  };
  const actorText = value("actor");
  let actor: number | null = null;
  if (actorText !== null) {
    actor = drfInteger(actorText);
    if (actor === null) errors.actor = [INVALID_INTEGER];
    else if (actor > MAX_ACTOR) errors.actor = [`Ensure this value is less than or equal to ${MAX_ACTOR}.`];
  }
  // CharFields trim whitespace, and a value that trims to nothing is "blank".
  let event: string | null = null;
  for (const name of ["event", "statsPeriod"]) {
    const text = value(name);
    if (text !== null && text.trim() === "") errors[name] = ["This field may not be blank."];
    else if (name === "event" && text !== null) event = text.trim();
  }
  for (const name of ["start", "end"]) {
    const text = value(name);
    if (text !== null && drfDateTime(text) === null) errors[name] = [INVALID_DATETIME];
  }
  if (Object.keys(errors).length) throw new AnswerError(json(400, errors));
  return { event, actor };
}

/** `parse_stats_period` (src/sentry/utils/dates.py): digits and an optional unit, seconds by default. */
function statsPeriodMs(text: string): number | null {
  const m = /^(\d+)([hdmsw]?)$/.exec(text);
  if (!m?.[1]) return null;
  const ms = Number(m[1]) * (PERIOD_UNITS[m[2] || "s"] ?? 1_000);
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * `get_date_range_from_stats_period(request.GET, optional=True)` (src/sentry/api/utils.py): `statsPeriod` (even
 * empty), else `statsPeriodStart` + `statsPeriodEnd`, else `start` + `end`; a bad or half-given range, or one that
 * does not start before it ends, raises `InvalidParams` — a 500. The filter is inclusive at both ends.
 */
function dateRange(params: URLSearchParams, now: number): { from: number; to: number } | null {
  const period = lastParam(params, "statsPeriod");
  const periodStart = lastParam(params, "statsPeriodStart");
  const periodEnd = lastParam(params, "statsPeriodEnd");
  const startText = lastParam(params, "start");
  const endText = lastParam(params, "end");
  const crash = (): never => {
    throw new AnswerError(INTERNAL_ERROR);
  };
  let from: number;
  let to = now;
  if (period !== null) {
    from = now - (statsPeriodMs(period) ?? crash());
  } else if (periodStart || periodEnd) {
    if (!periodStart || !periodEnd) crash();
    from = now - (statsPeriodMs(periodStart as string) ?? crash());
    to = now - (statsPeriodMs(periodEnd as string) ?? crash());
  } else if (startText || endText) {
    if (!startText || !endText) crash();
    from = drfDateTime(startText as string) ?? crash();
    to = drfDateTime(endText as string) ?? crash();
  } else return null;
  if (from >= to) crash();
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
  const params = ctx.req.url.searchParams;
  const { event, actor } = readQuery(params);
  const range = dateRange(params, ctx.now);
  materialiseHistory(ctx.world, ctx.org);
  const rows: AuditEntry[] = [];
  // Newest first: walk the ascending log backwards (ties on the millisecond: the newer id first).
  for (let i = ctx.org.audit.length - 1; i >= 0; i--) {
    const e = ctx.org.audit[i] as AuditEntry;
    if (event !== null && e.event !== event) continue;
    if (actor !== null && e.actorUserId !== actor) continue;
    if (range && (e.ms < range.from || e.ms > range.to)) continue;
    rows.push(e);
  }
  const page = dateTimePage(ctx.req, rows, (e) => e.ms);
  return json(200, { rows: page.items.map((e) => serializeEntry(ctx, e)), options: [...AUDIT_EVENT_NAMES] }, { Link: page.link });
}

export const auditRoutes: RouteSpec[] = [{ operationId: "listOrganizationAuditLogs", handler: listAuditLogs }];
