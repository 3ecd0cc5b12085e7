/**
 * Live audit mode: the emulator keeps appending audit rows on its own clock, so a follower can be tested without
 * sleeping. Rows due by `now()` appear when the next request (or `state` read) arrives; a row may share its
 * timestamp with others and may be committed late, i.e. dated before rows already visible. That models Sentry:
 * the audit list is ordered by `datetime` only (`order_by="-datetime"` with DateTimePaginator in
 * src/sentry/api/paginator.py, endpoint src/sentry/core/endpoints/organization_auditlogs.py), and region-silo events
 * travel through an outbox before the control silo writes them with their original date
 * (OutboxBackedLogService in src/sentry/audit_log/services/log/impl.py), so a row can surface after newer ones.
 * Ids grow in the order rows become visible, as a database sequence does.
 */
import { writeAudit } from "./audit.js";
import type { AuditEntry, Org, World } from "./model.js";
import { createRandom } from "./random.js";
import type { LiveAudit, LiveAuditOptions } from "./types.js";

export type { LiveAudit, LiveAuditOptions } from "./types.js";

const EVENTS = ["member.edit", "member.join-team", "member.leave-team", "project.edit", "team.edit", "member.invite"];

/** Starts live audit rows on an organization; `now` is the emulator's clock. */
export function startLiveAudit(target: () => { world: World; org: Org }, now: () => number, options: LiveAuditOptions = {}): LiveAudit {
  const rate = options.ratePerSecond ?? 50;
  const group = options.sameTimestamp ?? 1;
  const lateFraction = options.lateFraction ?? 0;
  const lateByMs = options.lateByMs ?? 30_000;
  if (!(rate > 0) || !Number.isInteger(group) || group < 1 || !(lateFraction >= 0 && lateFraction <= 1) || !(lateByMs >= 0)) {
    throw new RangeError("liveAudit: ratePerSecond > 0, sameTimestamp a positive integer, lateFraction in 0..1, lateByMs ≥ 0");
  }
  const random = createRandom(((options.seed ?? 1) ^ 0x11fe) >>> 0);
  const start = now();
  let scheduled = 0;
  let written = 0;
  let stopped = false;

  const append = (ms: number, event: string): AuditEntry => {
    const { world, org } = target();
    const members = [...org.members.values()].filter((m) => m.userId !== null);
    const actor = members.find((m) => m.orgRole === "owner") ?? members[0];
    const subject = members.length > 0 ? members[random.int(members.length)] : undefined;
    const teams = [...org.teams.values()];
    const team = teams.length > 0 ? teams[random.int(teams.length)] : undefined;
    const data: Record<string, unknown> = event.startsWith("team.")
      ? { id: team?.id ?? 0, slug: team?.slug ?? "team", name: team?.name ?? "team", status: 0, org_role: null }
      : event === "project.edit"
        ? { slug: "project", platform: "node" }
        : {
            email: subject?.email ?? "someone@example.com",
            role: subject?.orgRole === "owner" ? "member" : (subject?.orgRole ?? "member"),
            team_slug: team?.slug ?? null,
            teams: [],
            teams_slugs: [],
          };
    written += 1;
    return writeAudit(
      world,
      org,
      {
        event,
        actorUserId: actor?.userId ?? null,
        actorLabel: actor?.name ?? "Sentry",
        ipAddress: "10.0.0.1",
        targetObject: event.startsWith("team.") ? (team?.id ?? null) : (subject?.id ?? null),
        targetUserId: event.startsWith("member.") ? (subject?.userId ?? null) : null,
        data,
      },
      ms,
    );
  };

  return {
    get written() {
      return written;
    },
    catchUp() {
      if (stopped) return 0;
      const elapsed = now() - start;
      let added = 0;
      for (;;) {
        if (options.maxRows !== undefined && scheduled >= options.maxRows) break;
        const due = start + Math.floor((Math.floor(scheduled / group) * group * 1000) / rate);
        if (due - start > elapsed) break;
        const late = lateFraction > 0 && random.next() < lateFraction;
        append(late ? due - Math.floor(random.next() * lateByMs) : due, EVENTS[random.int(EVENTS.length)] as string);
        scheduled += 1;
        added += 1;
      }
      return added;
    },
    burst(count, event = "member.edit") {
      const at = now();
      return Array.from({ length: count }, () => String(append(at, event).id));
    },
    lateCommit(ageMs, event = "member.edit") {
      return String(append(now() - ageMs, event).id);
    },
    stop() {
      stopped = true;
    },
  };
}
