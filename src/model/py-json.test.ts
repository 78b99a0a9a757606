/**
 * The Python-exact JSON codec against the real thing: python3's `json` writes a document, we
 * read it and write it back, and the text must be the same; python3 then reads our text and
 * must find the same values (`type` and `==`).
 */
import { describe, expect, test } from "bun:test";
import { mayNeedExact, parsePyJson, stringifyPyJson } from "./py-json.ts";
import { IntegralFloat } from "./py-value.ts";

function python(code: string, stdin = ""): string {
  const proc = Bun.spawnSync(["python3", "-c", code], { stdin: Buffer.from(stdin) });
  if (proc.exitCode !== 0) throw new Error(proc.stderr.toString());
  return proc.stdout.toString();
}

/** Python expressions whose values must survive python → aiorch → python unchanged. */
const VALUES = [
  "40.0",
  "-0.0",
  "0.1",
  "1e16",
  "1.5e16",
  "1e-07",
  "2.5",
  "1e300",
  "123456789.0",
  "-7.0",
  "0",
  "-1",
  "2**53 - 1",
  "2**53",
  "2**53 + 1",
  "2**64 + 1",
  "-(2**64 + 1)",
  "10**400",
  "-(10**400)",
  "True",
  "None",
  "'text 1.0 and 12345678901234567890'",
  "[1, 2.0, [3.0, 2**70]]",
  "{'a': 1.0, 'b': {'c': 10**30}}",
];

describe("parsePyJson / stringifyPyJson against python3's json", () => {
  test("python's text is read and written back byte for byte", () => {
    // Except tiny floats: JS writes 1e-7 where Python writes 1e-07 (the same double either way).
    const values = VALUES.filter((v) => v !== "1e-07");
    const texts = python(`import json\nfor v in [${values.join(", ")}]: print(json.dumps(v, separators=(",", ":")))`)
      .trimEnd()
      .split("\n");
    expect(texts).toHaveLength(values.length);
    for (const text of texts) expect(stringifyPyJson(parsePyJson(text))).toBe(text);
  });

  test("python reads our text back as the very values it wrote (type and value)", () => {
    const ours = python(`import json\nfor v in [${VALUES.join(", ")}]: print(json.dumps(v))`)
      .trimEnd()
      .split("\n")
      .map((text) => stringifyPyJson(parsePyJson(text)));
    const check = `import json, sys
expected = [${VALUES.join(", ")}]
def same(a, b):
    if type(a) is not type(b): return False
    if isinstance(a, list): return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict): return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float): return repr(a) == repr(b)
    return a == b
got = [json.loads(line) for line in sys.stdin.read().splitlines()]
print(all(same(a, b) for a, b in zip(got, expected)) and len(got) == len(expected))`;
    expect(python(check, ours.join("\n")).trim()).toBe("True");
  });

  test("numbers take the value model: safe ints are numbers, others bigints; integral floats are boxed", () => {
    expect(parsePyJson("[3, 3.0, 3.5, 9007199254740991, 9007199254740992, 1e+16, -0.0]")).toEqual([
      3,
      new IntegralFloat(3),
      3.5,
      9007199254740991,
      9007199254740992n,
      new IntegralFloat(1e16),
      new IntegralFloat(-0),
    ]);
    expect(stringifyPyJson({ a: 2n ** 64n, b: new IntegralFloat(2), c: 1e21 })).toBe(
      '{"a":18446744073709551616,"b":2.0,"c":1000000000000000000000}',
    );
    expect(stringifyPyJson([new IntegralFloat(1)], { indent: 2 })).toBe("[\n  1.0\n]");
  });

  test("bytes are tagged when written, and read back only when asked", () => {
    const text = stringifyPyJson({ b: new Uint8Array([104, 105]), n: 1.0 });
    expect(text).toBe('{"b":{"$bytes":"aGk="},"n":1}');
    expect(parsePyJson(text, { bytes: true })).toEqual({ b: new Uint8Array([104, 105]), n: 1 });
    expect(parsePyJson(text)).toEqual({ b: { $bytes: "aGk=" }, n: 1 });
    expect(stringifyPyJson([new Uint8Array(3)], { bytes: (b) => `<${b.byteLength} bytes>` })).toBe('["<3 bytes>"]');
  });

  test("text that only looks like a number inside a string stays a string; undefined writes null", () => {
    expect(parsePyJson('{"v": "1.0 and 12345678901234567890", "w": "3e5"}')).toEqual({
      v: "1.0 and 12345678901234567890",
      w: "3e5",
    });
    expect(stringifyPyJson(undefined)).toBe("null");
  });
});

test("the fast-path test looks at number tokens only, never inside strings", () => {
  const cases: Array<[string, boolean]> = [
    ['{"a": 0.14285714285714285, "b": 1.05, "c": 1.50, "d": -7}', false],
    ['{"a": "1.0 and 1e5 and 12345678901234567890"}', false],
    ['{"a": "quote \\" 1.0", "b": 2}', false],
    ['["ends with a backslash \\\\", 1.0]', true],
    ["[40.0]", true],
    ["[1.0e5]", true],
    ["[1e5]", true],
    ["[-12345678901234567]", true],
    ["[1234567890123456]", true],
    ["[123456789012345]", false],
    ["3.000", true],
  ];
  for (const [text, expected] of cases) expect([text, mayNeedExact(text)]).toEqual([text, expected]);
});
