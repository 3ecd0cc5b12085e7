/**
 * How Django REST Framework fields read query-string values, for routes whose serializers Sentry validates
 * `request.GET` with: Python's `int()` text rules, DRF's `IntegerField` and `DateTimeField` (ISO 8601, naive = UTC
 * since Sentry runs with `USE_TZ` and a UTC default zone).
 */

/** Python `int(text)`: optional sign, digits with single underscores between them, surrounding whitespace. */
export function pythonInt(text: string): number | null {
  return /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(text) ? Number(text.replace(/_/g, "").trim()) : null;
}

/** DRF `IntegerField.to_internal_value`: a trailing `.0…` is dropped before `int()` (so `"5.0"` is 5). */
export function drfInteger(raw: string): number | null {
  return pythonInt(raw.replace(/\.0*\s*$/, ""));
}

/** DRF's message for a value `drfInteger` refuses. */
export const INVALID_INTEGER = "A valid integer is required.";

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * DRF `DateTimeField` with its default ISO 8601 input (Django's `parse_datetime`: Python's `fromisoformat`, then
 * its own pattern): a date, or a date and time with optional seconds, fraction and offset. Naive values are UTC.
 * Epoch milliseconds, or null when DRF would answer "Datetime has wrong format".
 */
export function drfDateTime(raw: string): number | null {
  const m = ISO_DATETIME.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone] = m;
  const offset =
    zone === undefined || zone === "Z" ? "Z" : zone.length === 3 ? `${zone}:00` : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + "000").slice(0, 3)}${offset}`);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 2026-02-30 over to March; Python refuses it.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return check.getUTCMonth() === Number(mo) - 1 && check.getUTCDate() === Number(d) ? ms : null;
}

/** DRF's message for a value `drfDateTime` refuses. */
export const INVALID_DATETIME = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

/** `QueryDict.get`: the last value of a repeated key. */
export function lastParam(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  return all.length === 0 ? null : (all[all.length - 1] as string);
}
