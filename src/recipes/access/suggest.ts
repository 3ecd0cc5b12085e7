// "Did you mean": the allowed word closest to a typo (Levenshtein distance), for the access file's errors.
import { editDistance } from "../../vocabulary/suggest.js";

/** The candidate closest to `value` (case-insensitive) when it is close enough to be a typo of it, else undefined. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  const typed = value.toLowerCase();
  let best: { word: string; d: number } | undefined;
  for (const word of candidates) {
    const d = editDistance(typed, word.toLowerCase());
    if (best === undefined || d < best.d) best = { word, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.word.length / 3)) ? best.word : undefined;
}

/** ` (did you mean "x"?)` when one allowed word is close, else the list of allowed words. */
export function suggest(value: string, allowed: readonly string[]): string {
  const close = closest(value, allowed);
  return close === undefined ? ` (allowed: ${allowed.join(", ")})` : ` (did you mean "${close}"?)`;
}

/** ` (did you mean "x"?)` when a candidate is close, else nothing: for lists too long to print (projects, emails). */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const close = closest(value, candidates);
  return close === undefined ? "" : ` (did you mean "${close}"?)`;
}
