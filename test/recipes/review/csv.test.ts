import { describe, expect, it } from "vitest";
import { CsvSyntaxError, parseCsv } from "../../../src/recipes/review/csv.js";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, and gives each record its starting line", () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\r\nlines",z\r\n3,,\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "x, y", 'say "hi"'] },
      { line: 3, fields: ["2", "two\r\nlines", "z"] },
      { line: 5, fields: ["3", "", ""] },
    ]);
  });

  it("drops a UTF-8 byte-order mark and reads LF, CRLF and lone CR line ends alike", () => {
    expect(fields("\uFEFFa,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fields("a,b\r1,2\r")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv('\uFEFF"a"\r\n\r\n"b"\r\n').map((r) => r.line)).toEqual([1, 3]);
  });

  it("keeps an empty quoted field and a last record without a line end", () => {
    expect(fields('"",x\n""')).toEqual([["", "x"], [""]]);
  });

  it("refuses a quote never closed, and text after a closing quote, naming the line", () => {
    expect(() => parseCsv('a\n"open,\nstill')).toThrow(new CsvSyntaxError(2, "a quoted field is never closed"));
    const error = (() => {
      try {
        parseCsv('ok\n"x"y,z');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(2);
  });

  it("reads a hostile 200k-character field in one pass (quotes doubled throughout)", () => {
    const value = '""'.repeat(100_000);
    const [record] = parseCsv(`"${value}",b\n`);
    expect(record?.fields[0]).toHaveLength(100_000);
    expect(record?.fields[1]).toBe("b");
  });
});
