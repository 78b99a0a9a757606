import { describe, expect, test } from "bun:test";
import { CsvError, parseCsv } from "./csv.ts";

function csvError(text: string, delimiter?: string): CsvError {
  try {
    parseCsv(text, delimiter);
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error("expected a CsvError");
}

describe("parseCsv", () => {
  test("header row gives the keys; values stay strings", () => {
    expect(parseCsv("name,score\nAda,9\nGrace,10\n")).toEqual([
      { name: "Ada", score: "9" },
      { name: "Grace", score: "10" },
    ]);
  });

  test("quoted delimiter, doubled quote and a line break inside a field", () => {
    const rows = parseCsv('name,note\n"Lovelace, Ada","She said ""hi"""\nGrace,"line one\nline two"\n');
    expect(rows).toEqual([
      { name: "Lovelace, Ada", note: 'She said "hi"' },
      { name: "Grace", note: "line one\nline two" },
    ]);
  });

  test("CRLF line ends, a BOM and no final line break", () => {
    expect(parseCsv("\uFEFFa,b\r\n1,2\r\n3,4")).toEqual([
      { a: "1", b: "2" },
      { a: "3", b: "4" },
    ]);
  });

  test("empty trailing line (and blank lines) are ignored; empty fields are kept", () => {
    expect(parseCsv("a,b\n1,\n\n,2\n\n")).toEqual([
      { a: "1", b: "" },
      { a: "", b: "2" },
    ]);
  });

  test("custom delimiters: semicolon and tab", () => {
    expect(parseCsv("a;b\n1;x,y\n", ";")).toEqual([{ a: "1", b: "x,y" }]);
    expect(parseCsv("a\tb\n1\t2\n", "\t")).toEqual([{ a: "1", b: "2" }]);
  });

  test("a quoted empty value is a value, and quotes elsewhere are literal", () => {
    expect(parseCsv('a\n""\n')).toEqual([{ a: "" }]);
    expect(parseCsv('a,b\n5" pipe,x\n')).toEqual([{ a: '5" pipe', b: "x" }]);
  });

  test("empty text and header-only text give no rows", () => {
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("a,b\n")).toEqual([]);
  });

  test("a ragged row names its line (counting line breaks inside quotes)", () => {
    expect(csvError("name,score\nAda,9\nGrace\n").message).toBe(
      "line 3: has 1 field, the header has 2 (quote a value that contains `,`)",
    );
    const afterMultiline = csvError('a,b\n"x\ny",1\n1,2,3\n');
    expect(afterMultiline.line).toBe(4);
    expect(afterMultiline.message).toContain("has 3 fields, the header has 2");
  });

  test("an unclosed quote names the line where it opened", () => {
    const error = csvError('a,b\n1,"open\n2,3\n');
    expect(error.line).toBe(2);
    expect(error.message).toContain("never closed");
  });

  test("text after a closing quote is refused", () => {
    expect(csvError('a,b\n"x"y,1\n').message).toContain("line 2: unexpected text after a closing quote");
  });

  test("header names must be present and unique", () => {
    expect(csvError("a,,c\n1,2,3\n").message).toBe(
      "line 1: column 2 of the header row has no name: give every column a name",
    );
    expect(csvError("a,a\n1,2\n").message).toContain("names column `a` twice");
  });

  test("a delimiter must be one usable character", () => {
    expect(csvError("a\n", ";;").message).toContain("the delimiter must be one character");
    expect(csvError("a\n", '"').message).toContain("the delimiter must be one character");
  });
});
