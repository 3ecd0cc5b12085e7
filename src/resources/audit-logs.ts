/**
 * `sentry.auditLogs`: the organization's audit log (an endpoint Sentry marks experimental and leaves out of its
 * spec; facts §1a). Needs `org:write`. Rows arrive newest first in `{ rows, options }` pages, so a `since` bound ends
 * the walk at the first older row without fetching further pages.
 */
import type { AuditLogEntry } from "../generated/models.js";
import { ValidationError } from "../http/errors/index.js";
import { typedApi } from "../http/send/index.js";
import type { Paginator } from "../http/pages/index.js";
import type { AuditLogEvent } from "./audit-events.js";
import { type ClientContext, linkPaginator, type ListOptions, orgPath } from "./context.js";
import { assertNumericId, assertText, toIsoDate } from "./validate.js";

export type { AuditLogEvent } from "./audit-events.js";

export type { AuditLogEntry } from "../generated/models.js";

/** `auditLogs.list` filters and paging. */
export interface AuditLogListOptions extends ListOptions {
  /** Only this event (`member.invite`, `team.create`...). An event name Sentry does not know yields no rows. */
  event?: AuditLogEvent;
  /** Only entries by this user id. */
  actor?: string | number;
  /** Only entries at or after this instant. */
  since?: Date | string;
  /** Only entries at or before this instant. */
  until?: Date | string;
}

/** The `sentry.auditLogs` namespace. */
export interface AuditLogsResource {
  /**
   * Audit-log entries, newest first, optionally filtered by event, actor and time.
   * @example
   * const since = new Date(Date.now() - 7 * 86_400_000);
   * for await (const entry of sentry.auditLogs.list({ event: "member.invite", since })) console.log(entry.dateCreated, entry.note);
   * @throws {ValidationError} for a bad filter, date or `perPage` (before any request).
   * @throws {PermissionError} without `org:write` (or on a plan without audit logs).
   */
  list(options?: AuditLogListOptions): Paginator<AuditLogEntry>;
}

const AUDIT_LOGS = "/api/0/organizations/{organization_id_or_slug}/audit-logs/";
// Sentry filters by date only when both `start` and `end` are given; an open start is sent as the epoch.
const EPOCH = new Date(0).toISOString();
const MAX_ACTOR = 2_147_483_647;

interface AuditQuery {
  event?: string;
  actor?: number;
  start?: string;
  end?: string;
}

function checkFilters(options: AuditLogListOptions): { query: AuditQuery; sinceMs: number | undefined } {
  const query: AuditQuery = {};
  if (options.event !== undefined) query.event = assertText("event", options.event);
  if (options.actor !== undefined) {
    query.actor = Number(assertNumericId("actor", options.actor));
    // The endpoint's serializer bounds it (BoundedIntegerField.MAX_VALUE): a larger id is a 400, never a user.
    if (query.actor > MAX_ACTOR) throw ValidationError.forInput("actor", `must be at most ${MAX_ACTOR} (Sentry's user id bound)`);
  }
  const since = options.since === undefined ? undefined : toIsoDate("since", options.since);
  const until = options.until === undefined ? undefined : toIsoDate("until", options.until);
  // Sentry's date-range helper raises unless start < end, and the endpoint turns that into a 500 (src/sentry/api/utils.py):
  // refuse the empty or reversed window here, with the reason, rather than send a request that fails as a server error.
  if (since !== undefined && until !== undefined && since >= until) {
    throw ValidationError.forInput("since", `must be before until (${since} >= ${until}); Sentry answers 500 for an empty or reversed range`);
  }
  if (since === undefined && until !== undefined && until <= EPOCH) {
    throw ValidationError.forInput("until", `must be after ${EPOCH} (the open start the SDK sends); Sentry answers 500 otherwise`);
  }
  // With `since` alone the server is not asked to filter (it would need an `end`): the walk stops at the first older
  // row instead, which costs no extra request because rows arrive newest first.
  if (until !== undefined) {
    query.start = since ?? EPOCH;
    query.end = until;
  }
  return { query, sinceMs: since === undefined ? undefined : Date.parse(since) };
}

/**
 * Builds `sentry.auditLogs` for a client context.
 * @example const auditLogs = createAuditLogsResource(ctx); await auditLogs.list({ event: "team.create" }).toArray();
 */
export function createAuditLogsResource(ctx: ClientContext): AuditLogsResource {
  const api = typedApi(ctx.transport);
  return {
    list(options = {}) {
      const { query, sinceMs } = checkFilters(options);
      const path = orgPath(ctx);
      const entries = linkPaginator<AuditLogEntry>(ctx, options, async (page, signal) => {
        const { data, response } = await api.GET(AUDIT_LOGS, { params: { path, query: { ...query, ...page } }, signal });
        return { data: data?.rows, response };
      });
      return sinceMs === undefined ? entries : entries.takeWhile((entry) => Date.parse(entry.dateCreated) >= sinceMs);
    },
  };
}
