// Time-bound access: when an `until` ends, and which access ends within the warning window.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAY_MS = 86_400_000;

/** Days before `until` that a plan lists access under `expiring`. */
export const EXPIRY_WARNING_DAYS = 14;

/**
 * The instant access declared with `until` ends: a date lasts through that UTC day, a date-time ends at that
 * instant (UTC when it has no offset); undefined for anything else.
 */
export function parseUntil(value: string): Date | undefined {
  const date = DATE.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const start = Date.UTC(year, month - 1, day);
    const check = new Date(start);
    // Reject 2026-02-30 and friends, which Date.UTC would roll over.
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
    return new Date(start + DAY_MS);
  }
  if (!DATE_TIME.test(value)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const parsed = new Date(hasZone ? value.replace(" ", "T") : `${value.replace(" ", "T")}Z`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Whether access with this `until` has ended at `now` (no `until`: never). */
export function hasEnded(until: string | undefined, now: Date): boolean {
  const end = until === undefined ? undefined : parseUntil(until);
  return end !== undefined && end.getTime() <= now.getTime();
}

/** Whether access with this `until` ends within the warning window (and has not ended yet). */
export function endsSoon(until: string | undefined, now: Date): boolean {
  const end = until === undefined ? undefined : parseUntil(until);
  if (end === undefined) return false;
  const left = end.getTime() - now.getTime();
  return left > 0 && left <= EXPIRY_WARNING_DAYS * DAY_MS;
}
