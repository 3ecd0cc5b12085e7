// Helpers of the review tests: decisions.csv edited the way a spreadsheet saves it.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseCsv } from "../../../src/recipes/review/csv.js";

type Column = "decision" | "new_org_role" | "remove_teams" | "note" | "reviewer";

/** Every field quoted, a byte-order mark, CRLF line ends: what spreadsheets write. */
export function spreadsheet(rows: string[][]): string {
  return `\uFEFF${rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(",")).join("\r\n")}\r\n`;
}

/** Sets decision columns by email (`keep` for every other row) in DIR/decisions.csv and saves it as a spreadsheet. */
export async function decide(dir: string, decisions: Record<string, Partial<Record<Column, string>>>): Promise<void> {
  const records = parseCsv(await readFile(join(dir, "decisions.csv"), "utf8"));
  const header = records[0]?.fields ?? [];
  const rows = [header];
  for (const { fields } of records.slice(1)) {
    const row = [...fields];
    const wanted = decisions[row[1] ?? ""] ?? {};
    row[header.indexOf("decision")] = wanted.decision ?? "keep";
    for (const key of ["new_org_role", "remove_teams", "note", "reviewer"] as const) {
      if (wanted[key] !== undefined) row[header.indexOf(key)] = wanted[key];
    }
    rows.push(row);
  }
  await writeFile(join(dir, "decisions.csv"), spreadsheet(rows));
}
