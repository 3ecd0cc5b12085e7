/**
 * The "Sentry's endpoint tests, file by file" table of docs/spec-supplement.md: every ported row names a test of
 * test/testing/sentry/ that exists, and every out-of-scope row gives a reason.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tableRows } from "../../../scripts/sentry-test-table.js";

const root = resolve(import.meta.dirname, "../../..");
const doc = readFileSync(resolve(root, "docs/spec-supplement.md"), "utf8");

describe("docs/spec-supplement.md: Sentry's endpoint tests, file by file", () => {
  it("lists the fifteen files, each function once", () => {
    const rows = tableRows(doc);
    expect(new Set(rows.map((r) => r.file)).size).toBe(15);
    const keys = rows.map((r) => `${r.file} ${r.fn}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("points every ported function at an emulator test of that name, and gives every other one a reason", () => {
    const missing: string[] = [];
    for (const row of tableRows(doc)) {
      const line = doc.split("\n").find((l) => l.startsWith(`| \`${row.file}\` | \`${row.fn}\` |`)) ?? "";
      if (row.test) {
        const [cls, name] = row.fn.split(".");
        const text = readFileSync(resolve(root, row.test), "utf8");
        const named = text.includes(`${cls}.${name}`) || (text.includes(`${cls}.\${`) && text.includes(`"${name}"`));
        if (!named) missing.push(`${row.file} ${row.fn}`);
      } else if (!/\| [^|]*\S[^|]* \|$/.test(line)) missing.push(`${row.file} ${row.fn} (no reason)`);
    }
    expect(missing).toEqual([]);
  });
});
