import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { InputFormat } from "../model/pipeline.ts";
import { FileValueError, parseFileValue, readRawFile } from "./file-value.ts";
import { JsonSyntaxError, parseJson } from "./file-value-json.ts";

/** A file read and parsed as an input of `type: file` is: `format` wins over the extension; relative to `options.cwd`. */
async function readFileValue(
  path: string,
  format?: InputFormat,
  options: { delimiter?: string; cwd?: string } = {},
): Promise<unknown> {
  return parseFileValue(await readRawFile(path, options.cwd), format, options);
}

const FIXTURES = resolve(import.meta.dir, "../../tests/inputs");
const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aiorch-file-value-"));
  await writeFile(join(dir, "image.png"), PNG_HEAD);
  await writeFile(join(dir, "latin1.txt"), new Uint8Array([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
  await writeFile(join(dir, "bom.csv"), "\uFEFFa,b\r\n1,2\r\n");
  await writeFile(join(dir, "notes.log"), "plain text, unknown extension\n");
  await writeFile(join(dir, "broken.json"), '{\n  "a": 1,\n  "b": x\n}\n');
  await writeFile(join(dir, "broken.yaml"), "a: [1, 2\nb: 3\n");
  await writeFile(join(dir, "rows.data"), "x|y\n1|2\n");
  await writeFile(join(dir, "empty.bin"), "");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fileError(path: string, format?: InputFormat, options?: { cwd?: string }): Promise<FileValueError> {
  try {
    await readFileValue(path, format, options);
  } catch (error) {
    if (error instanceof FileValueError) return error;
    throw error;
  }
  throw new Error("expected a FileValueError");
}

describe("readFileValue by extension", () => {
  test(".json, .yaml, .yml → parsed", async () => {
    expect(await readFileValue("data.json", undefined, { cwd: FIXTURES })).toEqual({ rows: [1, 2, 3], title: "demo" });
    expect(await readFileValue("data.yaml", undefined, { cwd: FIXTURES })).toEqual({ rows: [1, 2], title: "demo" });
    expect(await readFileValue("data.yml", undefined, { cwd: FIXTURES })).toEqual({ title: "short" });
  });

  test(".csv → row objects (quoted commas, doubled quotes, newlines)", async () => {
    expect(await readFileValue(join(FIXTURES, "people.csv"))).toEqual([
      { name: "Ada", quote: "Hello, world", bio: 'She said "hi"' },
      { name: "Grace", quote: "plain", bio: "line one\nline two" },
    ]);
    expect(await readFileValue(join(dir, "bom.csv"))).toEqual([{ a: "1", b: "2" }]);
  });

  test(".txt, .md, .rst and other text → the text as written", async () => {
    expect(await readFileValue(join(FIXTURES, "notes.txt"))).toBe("hello from a text file\n");
    expect(await readFileValue(join(FIXTURES, "readme.md"))).toBe("# Title\n\nSome *markdown*.\n");
    expect(await readFileValue(join(FIXTURES, "doc.rst"))).toBe("Title\n=====\n");
    expect(await readFileValue(join(dir, "notes.log"))).toBe("plain text, unknown extension\n");
    expect(await readFileValue(join(dir, "empty.bin"))).toBe("");
  });

  test("binary or non-UTF-8 content → bytes", async () => {
    const png = await readFileValue(join(dir, "image.png"));
    expect(png).toBeInstanceOf(Uint8Array);
    expect([...(png as Uint8Array)]).toEqual([...PNG_HEAD]);
    expect([...((await readFileValue(join(dir, "latin1.txt"))) as Uint8Array)]).toEqual([0x63, 0x61, 0x66, 0xe9]);
  });
});

describe("readFileValue with format", () => {
  test("format wins over the extension", async () => {
    expect(await readFileValue(join(FIXTURES, "data.json"), "text")).toBe('{"rows": [1, 2, 3], "title": "demo"}\n');
    expect(await readFileValue(join(dir, "rows.data"), "csv", { delimiter: "|" })).toEqual([{ x: "1", y: "2" }]);
    expect(await readFileValue(join(FIXTURES, "colors.json"), "json")).toEqual(["red", "green"]);
  });

  test("format: binary gives bytes even for text", async () => {
    const bytes = await readFileValue(join(FIXTURES, "seven.txt"), "binary");
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(bytes as Uint8Array)).toBe("7\n");
  });

  test("format: text on a non-UTF-8 file is refused with the fix", async () => {
    expect((await fileError(join(dir, "latin1.txt"), "text")).message).toContain(
      "is not UTF-8 text, so it cannot be read as text; convert it to UTF-8, or use format: binary",
    );
  });
});

describe("readFileValue errors name the file as written", () => {
  test("missing file, with where it looked", async () => {
    const error = await fileError("./nope.csv", undefined, { cwd: dir });
    expect(error.problem).toBe("not-found");
    expect(error.message).toBe(`file ./nope.csv not found (looked for ${join(dir, "nope.csv")})`);
  });

  test("a folder is not a file", async () => {
    expect((await fileError(dir)).message).toBe(`${dir} is a folder, not a file`);
  });

  test("invalid JSON: line and column", async () => {
    expect((await fileError(join(dir, "broken.json"))).message).toBe(
      `file ${join(dir, "broken.json")}: invalid JSON at line 3 column 8: expected a value, found "x"`,
    );
  });

  test("invalid YAML: line and column", async () => {
    expect((await fileError(join(dir, "broken.yaml"))).message).toMatch(
      /broken\.yaml: invalid YAML at line 2 column 1: /,
    );
  });

  test("ragged CSV: the line", async () => {
    expect((await fileError("ragged.csv", undefined, { cwd: FIXTURES })).message).toBe(
      "file ragged.csv: line 3: has 1 field, the header has 2 (quote a value that contains `,`)",
    );
  });
});

describe("parseJson positions", () => {
  const where = (text: string) => {
    try {
      parseJson(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError) return error.message;
      throw error;
    }
    return "valid";
  };
  test("each kind of mistake", () => {
    expect(where('{"a": x}')).toBe('invalid JSON at line 1 column 7: expected a value, found "x"');
    expect(where('{"a": 1,}')).toBe("invalid JSON at line 1 column 9: a trailing comma is not allowed");
    expect(where("{'a': 1}")).toBe(
      'invalid JSON at line 1 column 2: expected a property name in double quotes, found "\'"',
    );
    expect(where('{"a": 1} x')).toBe('invalid JSON at line 1 column 10: unexpected "x" after the end of the value');
    expect(where('{"a": "open')).toBe('invalid JSON at line 1 column 7: a string is never closed (a `"` is missing)');
    expect(where("[1 2]")).toBe('invalid JSON at line 1 column 4: expected "," or "]", found "2"');
    expect(where("  ")).toBe("invalid JSON at line 1 column 3: the text is empty");
    expect(where('\uFEFF{"a": 1}')).toBe("valid");
  });
});
