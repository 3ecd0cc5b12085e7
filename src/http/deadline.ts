/**
 * The signal of one attempt: aborted by the caller's signal or after `timeoutMs`, whichever comes first.
 *
 * Creating an AbortSignal costs several microseconds on Node 20 (each is made transferable): once openapi-fetch's
 * Request and the body stream were gone, it was the largest per-request cost left in the pipeline (profiled with
 * --cpu-prof). A controller whose signal never fired is therefore kept, a few per transport, and handed to the next
 * attempt. Before it is kept, the listeners that fetch attached for the finished attempt are dropped: they only
 * served that attempt, whose body has been read (or cancelled) by the time the deadline is cleared.
 */
import { getEventListeners } from "node:events";

/** One attempt's deadline: its signal, whether the timer fired, and `clear()` once the attempt is over. */
export interface AttemptDeadline {
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  /** Stops the timer and stops following the caller's signal; call once the response body has been read. */
  clear(): void;
}

/** A running deadline; methods on the prototype, so starting one creates no closures but the timer's. */
class Deadline implements AttemptDeadline {
  readonly signal: AbortSignal;
  timedOut = false;
  #cleared = false;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(
    readonly pool: DeadlinePool,
    readonly controller: AbortController,
    timeoutMs: number,
    readonly caller: AbortSignal | undefined,
  ) {
    this.signal = controller.signal;
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      controller.abort(new DOMException("The operation timed out.", "TimeoutError"));
    }, timeoutMs);
    this.#timer.unref?.();
    if (caller?.aborted) controller.abort(caller.reason);
    else caller?.addEventListener("abort", this, { once: true });
  }

  /** The caller's signal fired (this object is its listener). */
  handleEvent(): void {
    this.controller.abort(this.caller?.reason);
  }

  clear(): void {
    if (this.#cleared) return;
    this.#cleared = true;
    clearTimeout(this.#timer);
    this.caller?.removeEventListener("abort", this);
    this.pool.keep(this.controller);
  }
}

/** Controllers kept for reuse by one transport. */
export class DeadlinePool {
  readonly #free: AbortController[] = [];
  readonly #max: number;

  /**
   * @param max how many idle controllers to keep (about the transport's concurrency).
   * @example const deadlines = new DeadlinePool(); const d = deadlines.start(30_000, signal); try { await fetch(url, { signal: d.signal }); } finally { d.clear(); }
   */
  constructor(max = 16) {
    this.#max = max;
  }

  /**
   * Starts a deadline of `timeoutMs` that also follows `caller`.
   * @example const deadline = pool.start(config.timeoutMs, request.signal);
   */
  start(timeoutMs: number, caller: AbortSignal | undefined): AttemptDeadline {
    return new Deadline(this, this.#free.pop() ?? new AbortController(), timeoutMs, caller);
  }

  /**
   * Takes back a controller whose attempt is over: kept for the next attempt unless its signal fired.
   * @example pool.keep(controller);
   */
  keep(controller: AbortController): void {
    const { signal } = controller;
    if (signal.aborted || this.#free.length >= this.#max) return;
    for (const listener of getEventListeners(signal, "abort")) signal.removeEventListener("abort", listener as (event: Event) => void);
    this.#free.push(controller);
  }
}
