/**
 * Lists and dicts in a `run:` command are written as Python's `json.dumps` writes them
 * (issue 10: the Python tool's text, which scripts may parse). The oracle is python3
 * itself: each value goes to `json.dumps` with its default arguments.
 */
import { expect, test } from "bun:test";
import { compileTemplate } from "../../src/template/index.ts";
import { shellText } from "../../src/template/shell-output.ts";

const VALUES: unknown[] = [
  [],
  {},
  ["a", "b"],
  { k: 1 },
  [1, -2, 3.5, 0.1, 1e-7, 123456789.125, true, false, null],
  { b: 1, a: [1, { z: null, y: "x" }] }, // insertion order, not sorted
  ["é", "日本", "🌍", "\u007f", "\u0080", "\u2028", "\ud800"], // ensure_ascii, astral as surrogate pairs, a lone surrogate
  ["\n\r\t\b\f", '"', "\\", "/", "\u0000\u0001\u001f", "'"],
  [[[[]]], [{}], { "": "" }],
  { "key with space": "v", é: "é", "\u0001": 1 },
  ["$(id)", "`id`", "; rm -rf /", "a b"],
];

test("shellText writes lists and dicts exactly as python3's json.dumps", () => {
  const script = "import json, sys\nfor line in sys.stdin:\n    print(json.dumps(json.loads(line)))";
  const input = `${VALUES.map((v) => JSON.stringify(v)).join("\n")}\n`;
  const proc = Bun.spawnSync(["python3", "-c", script], { stdin: Buffer.from(input), stdout: "pipe", stderr: "pipe" });
  expect(proc.stderr.toString()).toBe("");
  const expected = proc.stdout.toString().trimEnd().split("\n");
  expect(VALUES.map(shellText)).toEqual(expected);
});

test("in a command the JSON text is one quoted word; scalars keep their JSON form", () => {
  expect(compileTemplate("printf '%s' {{ v }}", "shell").render({ v: ["a", "b"] })).toBe(`printf '%s' '["a", "b"]'`);
  expect(compileTemplate("printf '%s' {{ v }}", "shell").render({ v: { k: 1 } })).toBe(`printf '%s' '{"k": 1}'`);
  expect(compileTemplate("printf '%s' {{ a }} {{ b }} {{ c }}", "shell").render({ a: 5, b: 2.5, c: true })).toBe(
    "printf '%s' 5 2.5 true",
  );
});
