import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { DeadlinePool } from "../../src/http/deadline.js";

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
    first.clear();
    // The caller aborts after its attempt ended: the signal now serving another attempt must not fire.
    const second = pool.start(60_000, undefined);
    expect(second.signal).toBe(first.signal);
    caller.abort(new Error("too late"));
    expect(second.signal.aborted).toBe(false);
    second.clear();
    const aborted = new AbortController();
    const third = pool.start(60_000, aborted.signal);
    aborted.abort(new Error("stop"));
    third.clear();
    const fourth = pool.start(60_000, undefined);
    expect(fourth.signal).not.toBe(third.signal);
    expect(fourth.signal.aborted).toBe(false);
    fourth.clear();
  });

  it("keeps at most `max` idle controllers", () => {
    const pool = new DeadlinePool(1);
    const a = pool.start(60_000, undefined);
    const b = pool.start(60_000, undefined);
    a.clear();
    b.clear();
    const c = pool.start(60_000, undefined);
    const d = pool.start(60_000, undefined);
    expect([a.signal, b.signal]).toContain(c.signal);
    expect([a.signal, b.signal, c.signal]).not.toContain(d.signal);
    c.clear();
    d.clear();
  });
});
