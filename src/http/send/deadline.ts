/**
 * The signal of one attempt: aborted by the caller's signal or after `timeoutMs`, whichever comes first.
 *
 * Creating an AbortSignal is not free on Node 20 (each is made transferable), and every attempt needs one. A
 * controller whose signal never fired is therefore kept, a few per transport, and handed to the next attempt.
 * Before it is kept, the listeners that fetch attached for the finished attempt are dropped: they only served that
 * attempt, whose body has been read (or cancelled) by the time the deadline is cleared. The signal is made on first
 * read, so a deadline that only guards a body read (`cancelOnAbort`) costs no controller.
 */
import { getEventListeners } from "node:events";

const expire = (deadline: Deadline): void => deadline.expire();

/** One attempt's deadline: its signal, whether the timer fired, and `clear()` once the attempt is over. */
export interface AttemptDeadline {
  /** Aborted when the time is up or the caller aborts; made on first read. */
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  /**
   * Cancels `reader` if the deadline fires (or the caller aborts) before `clear()`. The deadline is the only thing
   * that aborts its signal, so it cancels the body read itself rather than adding and removing a listener per read.
   */
  cancelOnAbort(reader: Cancellable): void;
  /** Stops the timer and stops following the caller's signal; call once the response body has been read. */
  clear(): void;
}

/** What a deadline can stop: a body reader. */
export interface Cancellable {
  cancel(reason?: unknown): Promise<void>;
}

/** A running deadline; methods on the prototype, so starting one creates no closure. */
class Deadline implements AttemptDeadline {
  timedOut = false;
  #cleared = false;
  readonly #timer: ReturnType<typeof setTimeout>;
  #reader: Cancellable | undefined;
  #controller: AbortController | undefined;
  #aborted: { reason: unknown } | undefined;

  constructor(
    readonly pool: DeadlinePool,
    timeoutMs: number,
    readonly caller: AbortSignal | undefined,
  ) {
    this.#timer = setTimeout(expire, timeoutMs, this);
    this.#timer.unref?.();
    if (caller?.aborted) this.#aborted = { reason: caller.reason };
    else caller?.addEventListener("abort", this, { once: true });
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = this.pool.take();
      if (this.#aborted) this.#controller.abort(this.#aborted.reason);
    }
    return this.#controller.signal;
  }

  /** The caller's signal fired (this object is its listener). */
  handleEvent(): void {
    this.#abort(this.caller?.reason);
  }

  /** The timer fired. */
  expire(): void {
    this.timedOut = true;
    this.#abort(new DOMException("The operation timed out.", "TimeoutError"));
  }

  cancelOnAbort(reader: Cancellable): void {
    if (this.#aborted) void reader.cancel(this.#aborted.reason).catch(() => undefined);
    else this.#reader = reader;
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = { reason };
    this.#controller?.abort(reason);
    const reader = this.#reader;
    this.#reader = undefined;
    // The read in progress rejects with the cancellation; nobody waits on cancel() itself.
    if (reader) void reader.cancel(reason).catch(() => undefined);
  }

  clear(): void {
    if (this.#cleared) return;
    this.#cleared = true;
    this.#reader = undefined;
    clearTimeout(this.#timer);
    this.caller?.removeEventListener("abort", this);
    if (this.#controller) this.pool.keep(this.#controller);
  }
}

/**
 * AbortControllers kept for reuse: making an AbortSignal is not free on Node 20 (each is made transferable), and a
 * transport makes one per attempt, a page walk one per page. A controller is kept only if its signal never fired, and
 * only once the listeners its last user left on it are removed (undici's fetch drops its own only when the request
 * is garbage-collected, so they would pile up).
 */
export class ControllerPool {
  readonly #free: AbortController[] = [];
  readonly #max: number;

  /**
   * @param max how many idle controllers to keep (about the concurrency of whoever uses them).
   * @example const signals = new ControllerPool(2); const controller = signals.take(); signals.keep(controller);
   */
  constructor(max = 16) {
    this.#max = max;
  }

  /**
   * A clean controller: a kept one, or a new one.
   * @example const controller = pool.take();
   */
  take(): AbortController {
    return this.#free.pop() ?? new AbortController();
  }

  /**
   * Takes back a controller whose user is done with it: kept for the next one unless its signal fired.
   * @example pool.keep(controller);
   */
  keep(controller: AbortController): void {
    const { signal } = controller;
    if (signal.aborted || this.#free.length >= this.#max) return;
    for (const listener of getEventListeners(signal, "abort")) signal.removeEventListener("abort", listener as (event: Event) => void);
    this.#free.push(controller);
  }
}

/** Controllers kept for reuse by one transport, and the deadlines of its attempts. */
export class DeadlinePool extends ControllerPool {
  /**
   * Starts a deadline of `timeoutMs` that also follows `caller`.
   * @example const deadline = pool.start(config.timeoutMs, request.signal);
   */
  start(timeoutMs: number, caller: AbortSignal | undefined): AttemptDeadline {
    return new Deadline(this, timeoutMs, caller);
  }
}
