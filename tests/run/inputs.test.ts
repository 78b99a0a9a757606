/**
 * docs/pipeline-reference.md#input inputs through `aiorch run`: coercion to the declared types, `-i KEY=VALUE` (repeated),
 * `-i KEY=@path`, `--input FILE|JSON`, precedence, and every refusal stopping the run
 * before any step starts (exit 2, a message naming the input, the value and the rule).
 * The tables (boolean words, one refusal per row) are checked in process, on the inputs the
 * same fixture declares; a few rows of each also run through the CLI.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputsError, resolveInputs } from "../../src/load/inputs.ts";
import { validateFile } from "../../src/validate/index.ts";
import { fixture, removeScratch, runFixture, runFixtureJson, scratch, SLOW, STACK_TRACE } from "./harness.ts";

afterAll(removeScratch);

const TYPED = "inputs/typed.yaml";

/** The inputs `aiorch run FIXTURE ARGS` would resolve, in process: `-i` and `--input` read as cli/run.ts gives them to resolveInputs. */
async function resolvedIn(name: string, args: string[], cwd = scratch("inputs")): Promise<Record<string, unknown>> {
  const { pipeline } = await validateFile(fixture(name), { checkPython: false });
  const pairs: string[] = [];
  let input: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === "-i") pairs.push(args[i + 1]!);
    else if (args[i] === "--input") input = args[i + 1];
    else throw new Error(`resolvedIn takes -i and --input only, got ${args[i]}`);
  }
  return resolveInputs(pipeline!.inputs, pipeline!.declaresInputs, {
    pairs,
    ...(input !== undefined ? { input } : {}),
    cwd,
    defaultsDir: dirname(pipeline!.file),
  });
}

describe("declared types are coerced from command-line strings", () => {
  test.concurrent(
    "integer, number, boolean, list and string values arrive typed in the step",
    async () => {
      const run = await runFixtureJson(TYPED, [
        "-i",
        "who=Ada",
        "-i",
        "count=3",
        "-i",
        "ratio=2.5e-1",
        "-i",
        "flag=yes",
        "-i",
        "tags=x, y ,,z",
      ]);
      expect(run.exitCode).toBe(0);
      expect(run.doc.outputs.show).toEqual({
        count: ["int", 3],
        ratio: ["float", 0.25],
        flag: ["bool", true],
        tags: ["list", ["x", "y", "z"]],
        who: ["str", "Ada"],
      });
    },
    SLOW,
  );

  // In process: the first test shows a boolean reaching the step as Python's bool.
  test.each([
    ["TRUE", true],
    ["1", true],
    ["no", false],
    ["0", false],
    ["False", false],
  ])("boolean -i flag=%s gives %p", async (word, expected) => {
    const inputs = await resolvedIn(TYPED, ["-i", "who=x", "-i", `flag=${word}`]);
    expect(inputs.flag).toBe(expected);
  });

  test.concurrent(
    "a list given as a JSON array keeps its item types; defaults fill what is not given",
    async () => {
      const run = await runFixtureJson(TYPED, ["-i", "who=x", "-i", 'tags=["a", 1, true]']);
      expect(run.doc.outputs.show).toEqual({
        count: ["int", 2],
        ratio: ["float", 0.5],
        flag: ["bool", false],
        tags: ["list", ["a", 1, true]],
        who: ["str", "x"],
      });
    },
    SLOW,
  );

  test.concurrent(
    "a value may contain `=`, and `@@` escapes a leading @",
    async () => {
      const run = await runFixtureJson(TYPED, ["-i", "who=a=b=c"]);
      expect((run.doc.outputs.show as Record<string, unknown>).who).toEqual(["str", "a=b=c"]);
      const escaped = await runFixtureJson(TYPED, ["-i", "who=@@home"]);
      expect((escaped.doc.outputs.show as Record<string, unknown>).who).toEqual(["str", "@home"]);
    },
    SLOW,
  );

  test.concurrent(
    "the minimum and maximum themselves are accepted",
    async () => {
      const low = await runFixtureJson(TYPED, ["-i", "who=x", "-i", "count=1"]);
      const high = await runFixtureJson(TYPED, ["-i", "who=x", "-i", "count=5"]);
      expect([low.exitCode, high.exitCode]).toEqual([0, 0]);
      expect([
        (low.doc.outputs.show as Record<string, unknown[]>).count![1],
        (high.doc.outputs.show as Record<string, unknown[]>).count![1],
      ]).toEqual([1, 5]);
    },
    SLOW,
  );
});

describe("-i, --input and defaults: precedence -i > --input > default", () => {
  test.concurrent(
    "-i wins over inline --input, which wins over the default",
    async () => {
      const both = await runFixtureJson(TYPED, [
        "--input",
        '{"who": "json", "count": 4, "ratio": "1.5"}',
        "-i",
        "count=5",
      ]);
      expect(both.exitCode).toBe(0);
      const shown = both.doc.outputs.show as Record<string, unknown>;
      expect({ count: shown.count, ratio: shown.ratio, who: shown.who, flag: shown.flag }).toEqual({
        count: ["int", 5],
        ratio: ["float", 1.5],
        who: ["str", "json"],
        flag: ["bool", false],
      });
    },
    SLOW,
  );

  test.concurrent(
    "--input FILE.yaml and FILE.json are read relative to the working directory",
    async () => {
      const files = {
        "values.yaml": "who: from-yaml\ncount: 3\ntags: [p, q]\n",
        "values.json": '{"who": "from-json", "flag": true}',
      };
      const yaml = await runFixtureJson(TYPED, ["--input", "values.yaml"], { files });
      expect(yaml.exitCode).toBe(0);
      const fromYaml = yaml.doc.outputs.show as Record<string, unknown>;
      expect([fromYaml.who, fromYaml.count, fromYaml.tags]).toEqual([
        ["str", "from-yaml"],
        ["int", 3],
        ["list", ["p", "q"]],
      ]);
      const json = await runFixtureJson(TYPED, ["--input", "values.json", "-i", "who=cli"], { files });
      const fromJson = json.doc.outputs.show as Record<string, unknown>;
      expect([fromJson.who, fromJson.flag]).toEqual([
        ["str", "cli"],
        ["bool", true],
      ]);
    },
    SLOW,
  );

  test.concurrent(
    "a repeated -i key: the last one wins",
    async () => {
      const run = await runFixtureJson(TYPED, ["-i", "who=first", "-i", "count=2", "-i", "who=second"]);
      expect((run.doc.outputs.show as Record<string, unknown>).who).toEqual(["str", "second"]);
    },
    SLOW,
  );
});

describe("-i KEY=@path reads a file, parsed by its extension", () => {
  const data = {
    "d.json": '{"a": [1, 2], "b": null}',
    "d.yaml": "a: 1\nb: [x, y]\n",
    "d.yml": "- one\n- two\n",
    "d.csv": "name,age\nAda,36\nBob,7\n",
    "d.txt": "hello\nworld\n",
    "d.md": "# Title\n",
    "d.bin": new Uint8Array([0, 1, 255, 128]),
  };

  test.concurrent(
    "json, yaml, csv, text and other files become dicts, lists, rows, strings and bytes",
    async () => {
      const args = ["j=@d.json", "y=@d.yaml", "l=@d.yml", "c=@d.csv", "t=@d.txt", "m=@d.md", "b=@d.bin"].flatMap(
        (p) => ["-i", p],
      );
      const run = await runFixtureJson("inputs/untyped.yaml", args, { files: data });
      expect(run.exitCode).toBe(0);
      expect(run.doc.outputs.show).toEqual({
        b: ["bytes", [0, 1, 255, 128]],
        c: [
          "list",
          [
            { name: "Ada", age: "36" },
            { name: "Bob", age: "7" },
          ],
        ],
        j: ["dict", { a: [1, 2], b: null }],
        l: ["list", ["one", "two"]],
        m: ["str", "# Title\n"],
        t: ["str", "hello\nworld\n"],
        y: ["dict", { a: 1, b: ["x", "y"] }],
      });
    },
    SLOW,
  );

  test.concurrent(
    "without an input block any key is accepted, and plain values stay strings",
    async () => {
      const run = await runFixtureJson("inputs/untyped.yaml", ["-i", "n=3", "-i", "anything=yes"]);
      expect(run.exitCode).toBe(0);
      expect(run.doc.outputs.show).toEqual({ anything: ["str", "yes"], n: ["str", "3"] });
    },
    SLOW,
  );

  test.concurrent(
    "typed inputs from files: a list from JSON, a string takes the text as written, `format:` beats the extension",
    async () => {
      const files = {
        "names.json": '["ada", "bob"]',
        "note.txt": "  spaced note\n",
        "t.csv": "k;v\na;1\n",
        "conf.data": '{"deep": {"x": 1}}',
      };
      const run = await runFixtureJson(
        "inputs/from-files.yaml",
        ["-i", "names=@names.json", "-i", "note=@note.txt", "-i", "table=t.csv", "-i", "settings=@conf.data"],
        { files },
      );
      expect(run.exitCode).toBe(0);
      expect(run.doc.outputs.show).toEqual({
        names: ["ada", "bob"],
        note: "  spaced note\n",
        table: [{ "k;v": "a;1" }],
        settings: { deep: { x: 1 } },
      });
    },
    SLOW,
  );

  test.concurrent(
    "a `type: file` input given as a bare path is read too",
    async () => {
      const run = await runFixtureJson(TYPED, ["-i", "who=x", "-i", "doc=d.yaml"], { files: data });
      expect((run.doc.outputs.show as Record<string, unknown>).doc).toEqual(["dict", { a: 1, b: ["x", "y"] }]);
    },
    SLOW,
  );
});

describe("every input problem stops the run before any step starts: exit 2, no stack trace", () => {
  const cases: Array<[string, string[], string[]]> = [
    [
      "not an integer",
      ["-i", "who=x", "-i", "count=abc"],
      ['input `count`: "abc" is not an integer (from -i count=abc)'],
    ],
    [
      "a fraction for an integer",
      ["-i", "who=x", "-i", "count=3.5"],
      ['input `count`: "3.5" is not an integer (it has a fractional part'],
    ],
    [
      "below the minimum",
      ["-i", "who=x", "-i", "count=0"],
      ["input `count`: 0 is below the minimum of 1 (from -i count=0)"],
    ],
    [
      "above the maximum",
      ["-i", "who=x", "-i", "count=9"],
      ["input `count`: 9 is above the maximum of 5 (from -i count=9)"],
    ],
    [
      "above the maximum via --input",
      ["-i", "who=x", "--input", '{"count": 6}'],
      ["input `count`: 6 is above the maximum of 5 (from --input)"],
    ],
    [
      "not a number",
      ["-i", "who=x", "-i", "ratio=fast"],
      ['input `ratio`: "fast" is not a number (from -i ratio=fast)'],
    ],
    [
      "not a boolean",
      ["-i", "who=x", "-i", "flag=maybe"],
      ['input `flag`: "maybe" is not a boolean (use true/false, yes/no or 1/0)'],
    ],
    ["a broken JSON list", ["-i", "who=x", "-i", "tags=[1,"], ["input `tags`:", "is not a valid JSON array"]],
    ["a missing required input", [], ["missing required input `who` (give it with -i who=…)"]],
    [
      "an undeclared -i key",
      ["-i", "who=x", "-i", "colour=red"],
      ["unknown input `colour`; this pipeline declares: count, ratio, flag, tags, who, doc"],
    ],
    [
      "an undeclared --input key",
      ["-i", "who=x", "--input", '{"colour": 1}'],
      ["unknown input `colour`; this pipeline declares: count, ratio, flag, tags, who, doc (given with --input)"],
    ],
    ["a missing @file", ["-i", "who=x", "-i", "doc=@nowhere.json"], ["input `doc`: file nowhere.json not found"]],
    ["a missing --input file", ["--input", "nowhere.yaml"], ["--input file not found: nowhere.yaml"]],
    ["invalid inline --input JSON", ["--input", "{who: "], ["--input:", "inline --input must be a JSON object"]],
    ["a -i without `=`", ["-i", "who"], ['-i takes KEY=VALUE, got "who"']],
    [
      "several problems at once, all listed",
      ["-i", "count=9", "-i", "flag=maybe", "-i", "bogus=1"],
      [
        "4 problems with the inputs:",
        "  - unknown input `bogus`",
        "  - input `count`: 9 is above the maximum of 5",
        "  - input `flag`:",
        "  - missing required input `who`",
      ],
    ],
  ];

  test.each(cases)("in process: %s", async (_label, args, messages) => {
    const error = await resolvedIn(TYPED, args).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputsError);
    const refusal = error as InputsError;
    for (const message of messages) expect(refusal.message).toContain(message);
    expect(refusal.exitCode).toBe(2);
    expect(refusal.hint).toBeTruthy();
  });

  /** Through the CLI: a refusal from each source (-i, --input, the -i argument itself) and several at once. */
  const THROUGH_CLI = [
    "not an integer",
    "above the maximum via --input",
    "a -i without `=`",
    "several problems at once, all listed",
  ];

  test.concurrent.each(cases.filter(([label]) => THROUGH_CLI.includes(label)))(
    "%s",
    async (_label, args, messages) => {
      const run = await runFixture(TYPED, args);
      expect(run.exitCode).toBe(2);
      for (const message of messages) expect(run.stderr).toContain(message);
      expect(run.stderr).toStartWith("error: ");
      expect(run.stderr).toContain("hint: ");
      expect(run.stderr).not.toMatch(STACK_TRACE);
      // No step started: the marker step never ran and the live view printed nothing.
      expect(existsSync(join(run.cwd, "step-ran"))).toBe(false);
      expect(run.stdout).toBe("");
    },
    SLOW,
  );

  test.concurrent(
    "with --format json an input problem still exits 2 before any step, and says why on stderr",
    async () => {
      const run = await runFixture(TYPED, ["--format", "json", "-i", "count=abc", "-i", "who=x"]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('input `count`: "abc" is not an integer');
      expect(existsSync(join(run.cwd, "step-ran"))).toBe(false);
    },
    SLOW,
  );

  test.concurrent(
    "the valid run of the same pipeline does create the marker (the check above is meaningful)",
    async () => {
      const run = await runFixture(TYPED, ["-i", "who=x"]);
      expect(run.exitCode).toBe(0);
      expect(existsSync(join(run.cwd, "step-ran"))).toBe(true);
    },
    SLOW,
  );
});
