/**
 * Progress bars for long work (exports, bulk changes), drawn with cli-progress on stderr and only when stderr
 * is a terminal: in a pipe, a CI log or a test, the same calls do nothing, so output stays clean.
 */
import { Presets, SingleBar } from "cli-progress";
import type { OutputStream } from "./io.js";

/** A progress display; every method is safe to call when nothing is drawn. */
export interface Progress {
  /** Advances by `by` (default 1). */
  increment(by?: number): void;
  /** Sets the total once it is known (a paginated walk learns it late, or never). */
  setTotal(total: number): void;
  /** Text shown after the count, e.g. how far through a date window the walk is. */
  setStatus(text: string): void;
  /** Removes the bar; call it in `finally`. */
  stop(): void;
  /** Whether a bar is being drawn. */
  readonly visible: boolean;
}

/** Options for `createProgress`. */
export interface ProgressOptions {
  /** What is being counted, shown before the bar ("Exporting audit log"). */
  label: string;
  /** Expected total; 0 or absent when unknown: then no bar is drawn (it would always read full), only the count. */
  total?: number;
  /** What is counted, shown after the count when the total is unknown; default "rows". */
  unit?: string;
}

const NO_PROGRESS: Progress = Object.freeze({
  increment: () => undefined,
  setTotal: () => undefined,
  setStatus: () => undefined,
  stop: () => undefined,
  visible: false,
});

/**
 * A progress bar on `stream` when it is a TTY, else a no-op.
 * @example
 * const bar = createProgress(io.stderr, { label: "Removing members", total: ids.length });
 * try { for (const id of ids) { await remove(id); bar.increment(); } } finally { bar.stop(); }
 */
export function createProgress(stream: OutputStream, options: ProgressOptions): Progress {
  if (!stream.isTTY) return NO_PROGRESS;
  const label = options.label.replace(/[{}]/g, "");
  const known = (options.total ?? 0) > 0;
  const bar = new SingleBar(
    {
      // cli-progress only calls write/isTTY/columns (and readline's cursor helpers, which call write).
      stream: stream as unknown as NodeJS.WritableStream,
      format: known ? `${label} [{bar}] {value}/{total}{status}` : `${label}: {value} ${(options.unit ?? "rows").replace(/[{}]/g, "")}{status}`,
      hideCursor: true,
      clearOnComplete: true,
      synchronousUpdate: true,
      fps: 10,
    },
    Presets.shades_classic,
  );
  let total = options.total ?? 0;
  let value = 0;
  let status = "";
  bar.start(total, 0, { status });
  let stopped = false;
  return {
    increment(by = 1) {
      value += by;
      if (value > total) {
        total = value;
        bar.setTotal(total);
      }
      bar.increment(by, { status });
    },
    setTotal(next) {
      total = next;
      bar.setTotal(next);
    },
    setStatus(text) {
      status = text === "" ? "" : ` ${text.replace(/[{}]/g, "")}`;
      bar.update(value, { status });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
    visible: true,
  };
}
