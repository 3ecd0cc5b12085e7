import { getEventListeners } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { DeadlinePool } from "../../../src/http/send/deadline.js";

describe("DeadlinePool", () => {
  it("aborts an attempt's signal with a TimeoutError when its time is up", async () => {
    const deadline = new DeadlinePool().start(5, undefined);
    await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve, { once: true }));
    expect(deadline.timedOut).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe("TimeoutError");
    deadline.clear();
  });

  it("follows the caller's signal, already aborted or aborted later", () => {
    const pool = new DeadlinePool();
    const early = new AbortController();
    early.abort(new Error("early"));
    const first = pool.start(60_000, early.signal);
    expect(first.signal.reason).toEqual(new Error("early"));
    first.clear();
    const late = new AbortController();
    const second = pool.start(60_000, late.signal);
    late.abort(new Error("late"));
    expect(second.signal.aborted).toBe(true);
    expect(second.timedOut).toBe(false);
    second.clear();
  });

  it("hands a finished attempt's clean signal to the next one, without the listeners the last fetch left", () => {
    const pool = new DeadlinePool();
    const first = pool.start(60_000, undefined);
    let stale = 0;
    first.signal.addEventListener("abort", () => stale++);
    first.clear();
    const second = pool.start(60_000, undefined);
    expect(second.signal).toBe(first.signal);
    expect(getEventListeners(second.signal, "abort")).toHaveLength(0);
    second.clear();
    expect(stale).toBe(0);
  });

  it("never reuses a signal that fired, nor follows a caller after clear()", () => {
    const pool = new DeadlinePool();
    const caller = new AbortController();
    const first = pool.start(60_000, caller.signal);
    const firstSignal = first.signal;
    first.clear();
    // The caller aborts after its attempt ended: the signal now serving another attempt must not fire.
    const second = pool.start(60_000, undefined);
    expect(second.signal).toBe(firstSignal);
    caller.abort(new Error("too late"));
    expect(second.signal.aborted).toBe(false);
    second.clear();
    const aborted = new AbortController();
    const third = pool.start(60_000, aborted.signal);
    const thirdSignal = third.signal;
    aborted.abort(new Error("stop"));
    third.clear();
    const fourth = pool.start(60_000, undefined);
    expect(fourth.signal).not.toBe(thirdSignal);
    expect(fourth.signal.aborted).toBe(false);
    fourth.clear();
  });

  it("keeps at most `max` idle controllers", () => {
    const pool = new DeadlinePool(1);
    const a = pool.start(60_000, undefined);
    const b = pool.start(60_000, undefined);
    const kept = [a.signal, b.signal];
    a.clear();
    b.clear();
    const c = pool.start(60_000, undefined);
    const d = pool.start(60_000, undefined);
    expect(kept).toContain(c.signal);
    expect([...kept, c.signal]).not.toContain(d.signal);
    c.clear();
    d.clear();
  });

  it("makes no signal for an attempt that never asks for one, and cancels its target on time-out or abort", async () => {
    let made = 0;
    vi.stubGlobal(
      "AbortController",
      class extends AbortController {
        constructor() {
          super();
          made += 1;
        }
      },
    );
    const pool = new DeadlinePool();
    try {
      pool.start(60_000, undefined).clear();
      expect(made).toBe(0);
      void pool.start(60_000, undefined).signal;
      expect(made).toBe(1);
    } finally {
      vi.unstubAllGlobals();
    }
    const reasons: unknown[] = [];
    const timed = pool.start(5, undefined);
    await new Promise<void>((resolve) =>
      timed.cancelOnAbort({
        cancel: async (reason) => {
          reasons.push(reason);
          resolve();
        },
      }),
    );
    expect(timed.timedOut).toBe(true);
    expect((reasons[0] as DOMException).name).toBe("TimeoutError");
    // A signal asked for after the time-out is already aborted, with the same reason.
    expect(timed.signal.reason).toBe(reasons[0]);
    timed.clear();
    const caller = new AbortController();
    const followed = pool.start(60_000, caller.signal);
    followed.cancelOnAbort({ cancel: async (reason) => void reasons.push(reason) });
    caller.abort(new Error("stop"));
    expect(reasons[1]).toEqual(new Error("stop"));
    expect(followed.timedOut).toBe(false);
    followed.clear();
  });
});
