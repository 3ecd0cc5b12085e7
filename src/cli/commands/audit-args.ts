// Argument parsers shared by the `audit` commands (list, export, tail). Kept apart from audit.ts, which registers
// the group's commands, so that audit-tail.ts and audit-export.ts need not import the file that imports them.
import { InvalidArgumentError } from "commander";

/**
 * Parses `--since`/`--until`: an ISO 8601 date, or `<n>d` for n days before `now`.
 * @example parseWhen("30d", new Date("2026-03-31T00:00:00Z")) // 2026-03-01T00:00:00.000Z
 * @throws InvalidArgumentError for anything else.
 */
export function parseWhen(value: string, now: Date = new Date()): Date {
  const relative = /^(\d{1,5})d$/.exec(value);
  const date = relative ? new Date(now.getTime() - Number(relative[1]) * 86_400_000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("expected an ISO 8601 date (2026-01-31) or <days>d (30d = 30 days ago)");
  return date;
}

/**
 * Parses a duration: `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds.
 * @example parseDuration("2m") // 120000
 * @throws InvalidArgumentError for anything else.
 */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  const ms = match ? Number(match[1]) * (units[match[2] ?? "s"] ?? 1_000) : Number.NaN;
  if (!(ms > 0)) throw new InvalidArgumentError("expected a duration such as 30s, 2m or 500ms");
  return ms;
}
