import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/errors.js";
import { csvCell, csvLine, formatTable, outputFormat, writeList, type Column } from "../../src/cli/output.js";

interface Team {
  slug: string;
  members: number;
  roles: string[];
}

const COLUMNS: readonly Column<Team>[] = [
  { key: "slug", header: "SLUG", value: (t) => t.slug },
  { key: "members", header: "MEMBERS", value: (t) => t.members },
  { key: "roles", header: "ROLES", value: (t) => t.roles },
];

const TEAMS: Team[] = [
  { slug: "backend", members: 12, roles: ["admin", "contributor"] },
  { slug: "sre", members: 3, roles: [] },
];

async function* paged<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

function collect(): { write: (chunk: string) => void; text: () => string } {
  let text = "";
  return {
    write: (chunk) => {
      text += chunk;
    },
    text: () => text,
  };
}

describe("formatTable", () => {
  it("aligns columns two spaces apart with a header and no trailing spaces", () => {
    expect(formatTable(TEAMS, COLUMNS)).toBe("SLUG     MEMBERS  ROLES\n" + "backend  12       admin, contributor\n" + "sre      3\n");
  });

  it("neutralises terminal escape sequences and line breaks inside cells", () => {
    const table = formatTable([{ slug: "evil\u001b[2J\nteam", members: 1, roles: [] }], COLUMNS);
    expect(table).not.toContain("\u001b");
    expect(table.split("\n")[1]).toBe("evil\uFFFD[2J team  1");
  });
});

describe("csvCell", () => {
  it.each([
    ["=SUM(A1:A9)", "'=SUM(A1:A9)"],
    ["+cmd", "'+cmd"],
    ["-2+3", "'-2+3"],
    ["@import", "'@import"],
    ["\tx", "'\tx"],
  ])("guards the formula-looking cell %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("quotes commas, quotes and line breaks per RFC 4180 (after guarding)", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line1\nline2")).toBe('"line1\nline2"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("\rx")).toBe('"\'\rx"');
  });

  it("leaves numbers, booleans and plain text alone and prints nothing for null", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(true)).toBe("true");
    expect(csvCell("backend")).toBe("backend");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });

  it("ends records with CRLF", () => {
    expect(csvLine(["a", 1, ["x", "y"]])).toBe('a,1,"x, y"\r\n');
  });
});

describe("writeList", () => {
  it("streams CSV with a key header from an async iterable", async () => {
    const sink = collect();
    const count = await writeList(sink.write, "csv", paged(TEAMS), { columns: COLUMNS });
    expect(count).toBe(2);
    expect(sink.text()).toBe('slug,members,roles\r\nbackend,12,"admin, contributor"\r\nsre,3,\r\n');
  });

  it("writes NDJSON records in full, one per line", async () => {
    const sink = collect();
    await writeList(sink.write, "ndjson", TEAMS, { columns: COLUMNS });
    const lines = sink.text().trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(TEAMS);
  });

  it("writes a parseable JSON array, and [] when empty", async () => {
    const sink = collect();
    await writeList(sink.write, "json", paged(TEAMS), { columns: COLUMNS, toJson: (t) => ({ slug: t.slug }) });
    expect(JSON.parse(sink.text())).toEqual([{ slug: "backend" }, { slug: "sre" }]);
    const empty = collect();
    await writeList(empty.write, "json", [], { columns: COLUMNS });
    expect(JSON.parse(empty.text())).toEqual([]);
  });

  it("writes nothing to stdout when a list fails, and no half array when it fails midway (JSON and CSV)", async () => {
    async function* failing(after: number): AsyncGenerator<Team> {
      for (const team of TEAMS.slice(0, after)) yield team;
      throw new Error("404");
    }
    for (const format of ["json", "csv"] as const) {
      const sink = collect();
      await expect(writeList(sink.write, format, failing(0), { columns: COLUMNS })).rejects.toThrow("404");
      expect(sink.text()).toBe("");
    }
    const midway = collect();
    await expect(writeList(midway.write, "json", failing(1), { columns: COLUMNS })).rejects.toThrow("404");
    expect(midway.text()).toBe("");
  });

  it("prints the document instead of rows for --json when one is given", async () => {
    const sink = collect();
    await writeList(sink.write, "json", TEAMS, { columns: COLUMNS, document: { total: 2 } });
    expect(JSON.parse(sink.text())).toEqual({ total: 2 });
  });

  it("says so when a table has no rows", async () => {
    const sink = collect();
    expect(await writeList(sink.write, "table", paged([]), { columns: COLUMNS })).toBe(0);
    expect(sink.text()).toBe("No results.\n");
  });
});

describe("outputFormat", () => {
  it("defaults to a table and honours one format flag", () => {
    expect(outputFormat({})).toBe("table");
    expect(outputFormat({ ndjson: true })).toBe("ndjson");
  });

  it("refuses two format flags at once", () => {
    expect(() => outputFormat({ json: true, csv: true })).toThrow(UsageError);
    expect(() => outputFormat({ json: true, csv: true })).toThrow("--json and --csv cannot be combined");
  });
});
