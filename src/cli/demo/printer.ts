// How the demo prints: numbered sections, indented lines and tables, every byte masked for token-shaped text.
import { maskSecrets } from "../errors.js";
import { formatTable, type Column } from "../output.js";

/** The demo's output surface. */
export interface DemoPrinter {
  /** Starts a section: a blank line, `== n. title ==`, then a one-line summary of what the seed asks for. */
  section(title: string, about: string): void;
  line(text: string): void;
  table<T>(rows: readonly T[], columns: readonly Column<T>[]): void;
}

/**
 * A printer over `write` that masks `secrets` (and anything shaped like a Sentry token) in all it writes.
 * @example const out = createDemoPrinter((s) => process.stdout.write(s), [emu.adminToken]);
 */
export function createDemoPrinter(write: (chunk: string) => void, secrets: readonly string[]): DemoPrinter {
  let count = 0;
  const emit = (text: string) => write(maskSecrets(text, secrets));
  return {
    section(title, about) {
      count += 1;
      emit(`\n== ${count}. ${title} ==\n${about}\n`);
    },
    line(text) {
      emit(`  ${text}\n`);
    },
    table(rows, columns) {
      emit(formatTable(rows, columns).replace(/^/gm, "  ").replace(/ +$/, ""));
    },
  };
}
