// "Did you mean": the allowed word closest to a typo (Levenshtein distance), for the access file's errors.

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** ` (did you mean "x"?)` when one allowed word is close, else the list of allowed words. */
export function suggest(value: string, allowed: readonly string[]): string {
  const close = allowed.map((word) => ({ word, d: distance(value.toLowerCase(), word) })).sort((a, b) => a.d - b.d)[0];
  if (close && close.d <= Math.max(2, Math.floor(close.word.length / 3))) return ` (did you mean "${close.word}"?)`;
  return ` (allowed: ${allowed.join(", ")})`;
}
