// The clock every workflow takes as an option, so tests and dry runs can fix "now".

/** `now` as recipes accept it: a Date, an ISO string, or a clock function; default the system clock. */
export type NowOption = Date | string | (() => Date);

/** Resolves a {@link NowOption} to a Date. */
export function resolveNow(now: NowOption | undefined): Date {
  if (now === undefined) return new Date();
  const value = typeof now === "function" ? now() : now instanceof Date ? now : new Date(now);
  return value;
}
