/** A manual clock for tests: `sleep` resolves only when `advance` moves time past it. */
export interface FakeClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  /** Moves time forward, resolving due sleeps in order, and lets promise chains settle. */
  advance(ms: number): Promise<void>;
  /** Durations of every sleep requested so far. */
  readonly sleeps: number[];
  /** Sleeps not yet resolved. */
  pending(): number;
}

export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function fakeClock(start = 1_700_000_000_000, random = () => 0.5): FakeClock {
  let time = start;
  const timers: { at: number; resolve: () => void }[] = [];
  const sleeps: number[] = [];
  return {
    now: () => time,
    random,
    sleeps,
    pending: () => timers.length,
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = { at: time + ms, resolve };
        timers.push(timer);
        signal?.addEventListener(
          "abort",
          () => {
            const i = timers.indexOf(timer);
            if (i >= 0) timers.splice(i, 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    async advance(ms) {
      const target = time + ms;
      await settle();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        time = Math.max(time, next.at);
        next.resolve();
        await settle();
      }
      time = target;
      await settle();
    },
  };
}
