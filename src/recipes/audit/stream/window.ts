/**
 * The look-back window that makes following exact. Sentry pages the audit log newest first by `dateCreated`
 * (DateTimePaginator), and a row can become visible after newer ones were read: region-silo events reach the
 * control silo through an outbox (OutboxBackedLogService, src/sentry/audit_log/services/log/impl.py) and keep the
 * date they were created with. So each read goes back `lookbackMs` below what the server clock had reached when the
 * previous read began, and the ids delivered in that window are remembered: a row is new exactly when its id is
 * not among them. Only a row committed more than `lookbackMs` late could be missed.
 *
 * The server clock is never read directly: a row dated D existed when the page holding it was read, so the server
 * clock was at least D then and at least D + (time elapsed here) later. Only local elapsed time is used, never the
 * local wall clock, so skew between this machine and Sentry cannot lose rows.
 */
import type { AuditCheckpoint } from "./checkpoint.js";

/** The follower's position: the lower bound, the delivered ids at or above it, and the server-clock floor. */
export class AuditWindow {
  lowerBound: number;
  readonly seen: Map<string, number>;
  #floor: { date: number; local: number } | undefined;

  constructor(
    lowerBound: number,
    seen: Iterable<[string, number]>,
    private readonly lookbackMs: number,
    private readonly now: () => number,
  ) {
    this.lowerBound = lowerBound;
    this.seen = new Map(seen);
  }

  /** Resumes from a checkpoint: it was saved when the server clock was at least lowerBound + lookback. */
  static fromCheckpoint(checkpoint: AuditCheckpoint, lookbackMs: number, now: () => number): AuditWindow {
    const window = new this(checkpoint.lowerBound, Object.entries(checkpoint.seen), lookbackMs, now);
    window.observe(checkpoint.lowerBound + lookbackMs);
    return window;
  }

  /** The least the server clock can read now, or undefined before any row was seen. */
  serverFloor(): number | undefined {
    return this.#floor === undefined ? undefined : this.#floor.date + (this.now() - this.#floor.local);
  }

  /** Records that the server clock has reached at least `date` (a row with that date was just read). */
  observe(date: number): void {
    const floor = this.serverFloor();
    if (floor === undefined || date > floor) this.#floor = { date, local: this.now() };
  }

  isNew(id: string): boolean {
    return !this.seen.has(id);
  }

  /**
   * After a complete read of [lowerBound, upper] that began when the server clock was at least `floorAtStart`: rows
   * not read then were committed later, so are dated at least floorAtStart − lookback (and rows above `upper` are
   * still to be read). Ids below the new bound are forgotten.
   */
  advance(upper: number | undefined, floorAtStart: number | undefined): void {
    if (floorAtStart === undefined) return;
    const bound = Math.min(upper ?? Number.POSITIVE_INFINITY, floorAtStart - this.lookbackMs);
    if (bound <= this.lowerBound) return;
    this.lowerBound = bound;
    for (const [id, ms] of this.seen) if (ms < bound) this.seen.delete(id);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.seen);
  }
}
