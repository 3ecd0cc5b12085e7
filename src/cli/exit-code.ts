// The exit code names on their own, so errors.ts can type its codes without importing the mapping (exit-codes.ts,
// which imports errors.ts): no import circle, not even a type-only one.

/** Names for the exit codes; exit-codes.ts has the table of what each means. */
export const ExitCode = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  changes: 5,
  refused: 6,
} as const);

/** One of the documented exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
