import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UserError } from "../errors/user-error.ts";
import type { InputSpec } from "../model/pipeline.ts";
import { InputsError, resolveInputs, type InputArgs } from "./inputs.ts";

const FIXTURES = resolve(import.meta.dir, "../../tests/inputs");
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "aiorch-inputs-"));
  await writeFile(join(tmp, "blob.bin"), new Uint8Array([0, 1, 2, 255]));
  await writeFile(join(tmp, "bom.csv"), '\uFEFFid;label\n1;"a;b"\n');
  await writeFile(join(tmp, "broken.json"), '{"a": }');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** An input declaration, as normalize produces it. */
function spec(name: string, type: InputSpec["type"], extra: Partial<InputSpec> = {}): InputSpec {
  return { name, type, hasDefault: "default" in extra, required: false, ...extra };
}

function resolveWith(specs: InputSpec[], args: Partial<InputArgs> = {}, declaresInputs = true) {
  return resolveInputs(specs, declaresInputs, { pairs: [], cwd: FIXTURES, ...args });
}

async function problems(run: Promise<unknown>): Promise<string[]> {
  try {
    await run;
  } catch (error) {
    if (error instanceof InputsError) return [...error.problems];
    throw error;
  }
  throw new Error("expected an InputsError");
}

const NAME_TIMES = [
  spec("name", "string", { default: "world" }),
  spec("times", "integer", { default: 1, minimum: 1, maximum: 10 }),
];

describe("precedence and sources", () => {
  test("-i over --input over the default", async () => {
    const specs = [
      spec("a", "string", { default: "d" }),
      spec("b", "string", { default: "d" }),
      spec("c", "string", { default: "d" }),
    ];
    const values = await resolveWith(specs, { pairs: ["a=cli"], input: '{"a": "json", "b": "json"}' });
    expect(values).toEqual({ a: "cli", b: "json", c: "d" });
  });

  test("a repeated -i: the last wins", async () => {
    expect(await resolveWith(NAME_TIMES, { pairs: ["times=2", "times=3"] })).toEqual({ name: "world", times: 3 });
  });

  test("-i values are coerced to the declared type", async () => {
    const specs = [
      spec("n", "integer"),
      spec("x", "number"),
      spec("ok", "boolean"),
      spec("tags", "list"),
      spec("s", "string"),
      spec("none", "list"),
    ];
    const values = await resolveWith(specs, { pairs: ["n=3", "x=2.5", "ok=YES", "tags=a, b", "s=  as is ", "none="] });
    expect(values).toEqual({ n: 3, x: 2.5, ok: true, tags: ["a", "b"], s: "  as is ", none: [] });
  });

  test("the value may hold `=` and an `@@` prefix means a literal @", async () => {
    const values = await resolveWith([spec("q", "string"), spec("h", "string")], { pairs: ["q=a=b", "h=@@handle"] });
    expect(values).toEqual({ q: "a=b", h: "@handle" });
  });

  test("--input keeps types and still checks them; a string is coerced like -i", async () => {
    const values = await resolveWith(NAME_TIMES, { input: '{"name": 42, "times": "4"}' });
    expect(values).toEqual({ name: "42", times: 4 });
    expect(await problems(resolveWith(NAME_TIMES, { input: '{"times": [1, 2]}' }))).toEqual([
      "input `times`: [1,2] is not an integer (it is a list) (from --input)",
    ]);
  });

  test("--input from a .json or .yaml file, relative to cwd; null is None (as in Python), not the default", async () => {
    expect(await resolveWith(NAME_TIMES, { input: "values.json" })).toEqual({ name: "from-file", times: 4 });
    expect(await resolveWith(NAME_TIMES, { input: "./values.yaml", pairs: ["times=6"] })).toEqual({
      name: "from-yaml",
      times: 6,
    });
    expect(await resolveWith(NAME_TIMES, { input: '{"name": null}' })).toEqual({ name: null, times: 1 });
  });

  test("defaults are coerced and checked too", async () => {
    expect(await resolveWith([spec("n", "integer", { default: "5" })])).toEqual({ n: 5 });
    expect(await problems(resolveWith([spec("n", "integer", { default: 50, maximum: 10 })]))).toEqual([
      "input `n`: 50 is above the maximum of 10 (from the default)",
    ]);
  });

  test("an optional input without a value or default is left out", async () => {
    expect(await resolveWith([spec("maybe", "string")])).toEqual({});
  });
});

describe("refusals name the input, the value and the rule", () => {
  test("coercion", async () => {
    const specs = [spec("times", "integer"), spec("ratio", "number"), spec("ok", "boolean"), spec("tags", "list")];
    expect(
      await problems(resolveWith(specs, { pairs: ["times=abc", "ratio=1,5", "ok=maybe", "tags=[a, b]"] })),
    ).toEqual([
      'input `times`: "abc" is not an integer (from -i times=abc)',
      'input `ratio`: "1,5" is not a number (from -i ratio=1,5)',
      'input `ok`: "maybe" is not a boolean (use true/false, yes/no or 1/0) (from -i ok=maybe)',
      'input `tags`: "[a, b]" is not a valid JSON array (expected a value, found "a", at column 2); write ["a", "b"] or a, b (from -i tags=[a, b])',
    ]);
    expect(await problems(resolveWith(specs, { pairs: ["times=3.5"] }))).toEqual([
      'input `times`: "3.5" is not an integer (it has a fractional part or an exponent) (from -i times=3.5)',
    ]);
  });

  test("minimum and maximum", async () => {
    expect(await problems(resolveWith(NAME_TIMES, { pairs: ["times=11"] }))).toEqual([
      "input `times`: 11 is above the maximum of 10 (from -i times=11)",
    ]);
    expect(await problems(resolveWith(NAME_TIMES, { pairs: ["times=0"] }))).toEqual([
      "input `times`: 0 is below the minimum of 1 (from -i times=0)",
    ]);
    expect(await resolveWith(NAME_TIMES, { pairs: ["times=10"] })).toEqual({ name: "world", times: 10 });
  });

  test("missing required input", async () => {
    expect(await problems(resolveWith([spec("ticket", "string", { required: true })]))).toEqual([
      "missing required input `ticket` (give it with -i ticket=…)",
    ]);
    expect(await resolveWith([spec("ticket", "string", { required: true, default: "T-1" })])).toEqual({
      ticket: "T-1",
    });
  });

  test("undeclared keys, with a suggestion and the declared names", async () => {
    expect(await problems(resolveWith(NAME_TIMES, { pairs: ["nmae=x", "zzz=1"] }))).toEqual([
      "unknown input `nmae` (did you mean `name`?); this pipeline declares: name, times",
      "unknown input `zzz`; this pipeline declares: name, times",
    ]);
    expect(await problems(resolveWith(NAME_TIMES, { input: '{"tims": 2}' }))).toEqual([
      "unknown input `tims` (did you mean `times`?); this pipeline declares: name, times (given with --input)",
    ]);
    expect(await problems(resolveWith([], { pairs: ["x=1"] }))).toEqual([
      "unknown input `x`; this pipeline declares no inputs",
    ]);
  });

  test("malformed -i", async () => {
    expect(await problems(resolveWith(NAME_TIMES, { pairs: ["oops", "=x", "name=@"] }))).toEqual([
      '-i takes KEY=VALUE, got "oops" (for example -i name=Ada, or -i data=@rows.csv for a file)',
      '-i takes KEY=VALUE, got "=x" (for example -i name=Ada, or -i data=@rows.csv for a file)',
      '-i name=@ names no file: write -i name=@path/to/file (or -i name=@@ for the text "@")',
    ]);
  });

  test("--input problems", async () => {
    expect(await problems(resolveWith(NAME_TIMES, { input: '{"a" 1}' }))).toEqual([
      `--input: invalid JSON at line 1 column 6: expected ":" after a property name, found "1" (inline --input must be a JSON object, like '{"name": "Ada"}')`,
    ]);
    expect(await problems(resolveWith(NAME_TIMES, { input: "nope.json" }))).toEqual([
      `--input file not found: nope.json (give a .json or .yaml file, relative to ${FIXTURES}, or inline JSON starting with {)`,
    ]);
    expect(await problems(resolveWith(NAME_TIMES, { input: "broken.json", cwd: tmp }))).toEqual([
      '--input broken.json: invalid JSON at line 1 column 7: expected a value, found "}"',
    ]);
    expect(await problems(resolveWith(NAME_TIMES, { input: "[1, 2]" }))).toEqual([
      '--input must be a mapping of input names to values (like {"name": "Ada"}), got a list',
    ]);
  });

  test("every problem is reported together, in one UserError with exit code 2", async () => {
    const specs = [...NAME_TIMES, spec("ticket", "string", { required: true }), spec("data", "file")];
    let caught: unknown;
    try {
      await resolveWith(specs, { pairs: ["times=99", "nmae=x", "data=missing.csv", "bad"], input: '{"name": [1]}' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    const error = caught as InputsError;
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      '-i takes KEY=VALUE, got "bad" (for example -i name=Ada, or -i data=@rows.csv for a file)',
      "unknown input `nmae` (did you mean `name`?); this pipeline declares: name, times, ticket, data",
      "input `name`: [1] is not a string (it is a list) (from --input)",
      "input `times`: 99 is above the maximum of 10 (from -i times=99)",
      "missing required input `ticket` (give it with -i ticket=…)",
      `input \`data\`: file missing.csv not found (looked for ${join(FIXTURES, "missing.csv")})`,
    ]);
    expect(error.message.split("\n")[0]).toBe("6 problems with the inputs:");
    expect(error.message).toContain("\n  - missing required input `ticket`");
    expect(error.hint).toContain("-i KEY=VALUE");
  });
});

describe("file inputs", () => {
  test("parsed by extension, from -i with or without @", async () => {
    const specs = ["csv", "json", "yaml", "txt", "md"].map((ext) => spec(ext, "file"));
    const values = await resolveWith(specs, {
      pairs: ["csv=people.csv", "json=@data.json", "yaml=./data.yaml", "txt=notes.txt", "md=readme.md"],
    });
    expect((values.csv as Record<string, string>[])[0]).toEqual({
      name: "Ada",
      quote: "Hello, world",
      bio: 'She said "hi"',
    });
    expect(values.json).toEqual({ rows: [1, 2, 3], title: "demo" });
    expect(values.yaml).toEqual({ rows: [1, 2], title: "demo" });
    expect(values.txt).toBe("hello from a text file\n");
    expect(values.md).toBe("# Title\n\nSome *markdown*.\n");
  });

  test("binary content gives bytes; format: binary forces bytes", async () => {
    const values = await resolveWith([spec("blob", "file"), spec("raw", "file", { format: "binary" })], {
      pairs: [`blob=${join(tmp, "blob.bin")}`, "raw=seven.txt"],
    });
    expect([...(values.blob as Uint8Array)]).toEqual([0, 1, 2, 255]);
    expect([...(values.raw as Uint8Array)]).toEqual([0x37, 0x0a]);
  });

  test("format and delimiter from the declaration (BOM stripped)", async () => {
    const values = await resolveWith(
      [spec("rows", "file", { format: "csv", delimiter: ";" }), spec("doc", "file", { format: "text" })],
      {
        pairs: ["rows=bom.csv", `doc=${join(FIXTURES, "data.json")}`],
        cwd: tmp,
      },
    );
    expect(values.rows).toEqual([{ id: "1", label: "a;b" }]);
    expect(values.doc).toBe('{"rows": [1, 2, 3], "title": "demo"}\n');
  });

  test("a file default is a path, relative to defaultsDir", async () => {
    const specs = [spec("rows", "file", { default: "semicolon.csv", delimiter: ";" })];
    expect(await resolveWith(specs, { cwd: tmp, defaultsDir: FIXTURES })).toEqual({
      rows: [
        { name: "Ada", score: "9" },
        { name: "Grace", score: "10" },
      ],
    });
    expect(await problems(resolveWith(specs, { cwd: tmp }))).toEqual([
      `input \`rows\`: file semicolon.csv not found (looked for ${join(tmp, "semicolon.csv")}) (from the default)`,
    ]);
  });

  test("structured data from --input is the content already", async () => {
    expect(await resolveWith([spec("rows", "file")], { input: '{"rows": [{"a": 1}]}' })).toEqual({ rows: [{ a: 1 }] });
    expect(await problems(resolveWith([spec("rows", "file")], { input: '{"rows": 5}' }))).toEqual([
      "input `rows`: 5 is not a file path (it is a number) (from --input)",
    ]);
  });

  test("missing file, ragged CSV and bad JSON name the input and the file", async () => {
    const specs = [spec("data", "file"), spec("rows", "file"), spec("doc", "file", { format: "json" })];
    expect(await problems(resolveWith(specs, { pairs: ["data=./x.csv", "rows=ragged.csv", "doc=notes.txt"] }))).toEqual(
      [
        `input \`data\`: file ./x.csv not found (looked for ${join(FIXTURES, "x.csv")})`,
        "input `rows`: file ragged.csv: line 3: has 1 field, the header has 2 (quote a value that contains `,`)",
        'input `doc`: file notes.txt: invalid JSON at line 1 column 1: expected a value, found "h"',
      ],
    );
  });
});

describe("-i KEY=@path for other types", () => {
  test("the file's content is coerced to the declared type", async () => {
    const specs = [
      spec("n", "integer"),
      spec("colors", "list"),
      spec("items", "list"),
      spec("text", "string"),
      spec("rows", "list"),
    ];
    const values = await resolveWith(specs, {
      pairs: ["n=@seven.txt", "colors=@colors.json", "items=@items.txt", "text=@notes.txt", "rows=@semicolon.csv"],
    });
    expect(values).toEqual({
      n: 7,
      colors: ["red", "green"],
      items: ["a", "b", "c"],
      text: "hello from a text file\n",
      rows: [{ "name;score": "Ada;9" }, { "name;score": "Grace;10" }],
    });
  });

  test("refusals: wrong content, binary, missing", async () => {
    const specs = [spec("n", "integer"), spec("s", "string"), spec("l", "list"), spec("m", "number")];
    expect(
      await problems(
        resolveWith(specs, { pairs: ["n=@notes.txt", `s=@${join(tmp, "blob.bin")}`, "l=@data.json", "m=@gone.txt"] }),
      ),
    ).toEqual([
      `input \`n\`: "hello from a text file\\n" is not an integer (from -i n=@notes.txt)`,
      `input \`s\`: file ${join(tmp, "blob.bin")} is not text, so it cannot be a string (from -i s=@${join(tmp, "blob.bin")})`,
      'input `l`: "{\\"rows\\": [1, 2, 3], \\"title\\": \\"demo\\"}\\n" is not a list (it is an object); give a JSON array or comma-separated items (from -i l=@data.json)',
      `input \`m\`: file gone.txt not found (looked for ${join(FIXTURES, "gone.txt")})`,
    ]);
  });
});

describe("a pipeline without an input: block", () => {
  test("accepts any key: -i strings as is, @files parsed, --input values kept", async () => {
    const values = await resolveWith(
      [],
      { pairs: ["anything=3", "data=@data.json", "x=1"], input: '{"x": 2, "flag": true}' },
      false,
    );
    expect(values).toEqual({ anything: "3", data: { rows: [1, 2, 3], title: "demo" }, x: "1", flag: true });
  });

  test("still reports a missing @file", async () => {
    expect(await problems(resolveWith([], { pairs: ["data=@nope.csv"] }, false))).toEqual([
      `input \`data\`: file nope.csv not found (looked for ${join(FIXTURES, "nope.csv")})`,
    ]);
  });
});
