/**
 * Keeps the "Sentry's endpoint tests, file by file" table of docs/spec-supplement.md complete: lists the test
 * functions (`Class.test_name`) of Sentry test files given on the command line — read from a local checkout of
 * getsentry/sentry, which this repository does not contain — and reports every function the table does not
 * list, and every row whose emulator test is missing.
 * Usage: tsx scripts/sentry-test-table.ts path/to/sentry/tests/sentry/core/endpoints/test_team_details.py ...
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { repoRoot } from "./spec-source.js";

/** `Class.test_name` of every `def test_…` in a Python test file, by the enclosing top-level class. */
export function sentryTestFunctions(source: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of source.split("\n")) {
    const cls = /^class (\w+)/.exec(line);
    if (cls?.[1]) current = cls[1];
    const fn = /^ {4}def (test_\w+)\(/.exec(line);
    if (fn?.[1]) out.push(current ? `${current}.${fn[1]}` : fn[1]);
  }
  return out;
}

/** The table rows: file → function → the emulator test file that mirrors it (absent when out of scope). */
export function tableRows(markdown: string): Array<{ file: string; fn: string; test: string | undefined }> {
  const rows: Array<{ file: string; fn: string; test: string | undefined }> = [];
  for (const line of markdown.split("\n")) {
    const m = /^\| `(test_\w+\.py)` \| `([\w.]+)` \| (?:`([^`]+)`)? *\|/.exec(line);
    if (m?.[1] && m[2]) rows.push({ file: m[1], fn: m[2], test: m[3] });
  }
  return rows;
}

function main(paths: string[]): number {
  const root = repoRoot;
  const rows = tableRows(readFileSync(resolve(root, "docs/spec-supplement.md"), "utf8"));
  const listed = new Set(rows.map((r) => `${r.file} ${r.fn}`));
  let problems = 0;
  for (const path of paths) {
    const file = basename(path);
    const functions = sentryTestFunctions(readFileSync(path, "utf8"));
    for (const fn of functions) {
      if (!listed.has(`${file} ${fn}`)) {
        console.log(`not in the table: ${file} ${fn}`);
        problems++;
      }
    }
    console.log(`${file}: ${functions.length} functions`);
  }
  for (const row of rows) {
    if (!row.test) continue;
    const name = row.fn.split(".")[1] ?? row.fn;
    if (!readFileSync(resolve(root, row.test), "utf8").includes(name)) {
      console.log(`no emulator test for ${row.file} ${row.fn} in ${row.test}`);
      problems++;
    }
  }
  return problems === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(repoRoot, "scripts/sentry-test-table.ts")) process.exitCode = main(process.argv.slice(2));
