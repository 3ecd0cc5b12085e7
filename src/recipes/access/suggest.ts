// "Did you mean": the allowed word closest to a typo (Levenshtein distance), for the access file's errors.
import { editDistance } from "../../vocabulary/suggest.js";

/** ` (did you mean "x"?)` when one allowed word is close, else the list of allowed words. */
export function suggest(value: string, allowed: readonly string[]): string {
  const close = allowed.map((word) => ({ word, d: editDistance(value.toLowerCase(), word) })).sort((a, b) => a.d - b.d)[0];
  if (close && close.d <= Math.max(2, Math.floor(close.word.length / 3))) return ` (did you mean "${close.word}"?)`;
  return ` (allowed: ${allowed.join(", ")})`;
}
