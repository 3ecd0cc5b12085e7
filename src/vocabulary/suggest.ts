// "Did you mean": the known names (slugs, roles, audit events, file keys) closest to a typo.

/**
 * Levenshtein distance (insertions, deletions, substitutions); the names compared are short, so the quadratic
 * table is cheap.
 * @example editDistance("member.invte", "member.invite") // 1
 */
export function editDistance(a: string, b: string): number {
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
