// Bounded concurrency for reads and writes of the workflows (the client's limiter still paces requests).

/**
 * Runs `work` over `items` with at most `limit` in flight; stops starting new items once `signal` is aborted.
 * @example await pool(teams, 8, (team) => readTeam(team));
 */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(runners);
}
