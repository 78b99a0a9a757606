/**
 * Issue 10: ints of any size and floats in templates, against real Jinja2 (python3). The
 * context reaches both engines as the same Python-exact JSON (python's `json.loads`, our
 * `parsePyJson`), and every expression must print the same text.
 */
import { describe, expect, test } from "bun:test";
import { parsePyJson } from "../../src/model/py-json.ts";
import { compileTemplate } from "../../src/template/index.ts";

const CONTEXT_JSON = `{"big": 18446744073709551617, "huge": 1${"0".repeat(400)}, "neg": -1180591620717411303424, "f": 40.0, "e": 1e+16, "half": 0.5, "n": 7, "safe": 9007199254740991}`;

const EXPRESSIONS = [
  "big",
  "huge",
  "neg",
  "f",
  "e",
  "half",
  "n",
  "big + 1",
  "big - big",
  "big + n",
  "n - big",
  "big * big",
  "big * -3",
  "-big",
  "+big",
  "big / 2",
  "big / 3",
  "huge / 10 ** 399",
  "huge / 3",
  "n / 2",
  "8 / 2",
  "1 / 3",
  "big / big",
  "big // 3",
  "-big // 3",
  "big // -3",
  "neg // 7",
  "big % 7",
  "neg % 7",
  "big % -7",
  "huge % 97",
  "2 ** 64",
  "2 ** 64 + 1",
  "-2 ** 63",
  "big ** 2",
  "3 ** 40",
  "2 ** 0.5",
  "safe + 2",
  "safe * safe",
  "safe + 1 - 1",
  "big + 0.5",
  "big * 1.0",
  "f + 1",
  "f * 2",
  "f / 4",
  "f // 3",
  "f % 7",
  "e + 1",
  "half + half",
  "big == 2 ** 64 + 1",
  "big != big + 1",
  "big > 2 ** 64",
  "big < 2 ** 64",
  "big >= 18446744073709551616.0",
  "big == 18446744073709551616.0",
  "big > 1.8446744073709552e19",
  "neg < -1e21",
  "huge > 1e300",
  "f == 40",
  "e == 10 ** 16",
  "safe + 2 > safe + 1",
  "big in [1, 2 ** 64 + 1]",
  "big if big else 0",
  "not big",
  "[big, f, n] | length",
  "big - 1 == 2 ** 64",
];

function jinja(): string[] {
  const script = `import json, sys, jinja2
env = jinja2.Environment(undefined=jinja2.StrictUndefined)
ctx = json.loads(${JSON.stringify(CONTEXT_JSON)})
out = []
for expr in json.load(sys.stdin):
    try:
        out.append(env.from_string("{{ " + expr + " }}").render(**ctx))
    except Exception as e:
        out.append("error: " + type(e).__name__)
json.dump(out, sys.stdout)`;
  const proc = Bun.spawnSync(["python3", "-c", script], { stdin: Buffer.from(JSON.stringify(EXPRESSIONS)) });
  if (proc.exitCode !== 0) throw new Error(proc.stderr.toString());
  return JSON.parse(proc.stdout.toString()) as string[];
}

const theirs = jinja();
const context = parsePyJson(CONTEXT_JSON) as Record<string, unknown>;

describe("ints of any size and floats: our engine vs Jinja2", () => {
  EXPRESSIONS.forEach((expr, i) => {
    test(`{{ ${expr} }}`, () => {
      let ours: string;
      try {
        ours = compileTemplate(`{{ ${expr} }}`).render(context);
      } catch {
        ours = "error";
      }
      const expected = theirs[i]!;
      if (expected.startsWith("error")) expect(ours).toBe("error");
      else expect(ours).toBe(expected);
    });
  });

  test("an int too large for a float raises where Python raises OverflowError", () => {
    expect(() => compileTemplate("{{ huge + 0.5 }}").render(context)).toThrow("int too large to convert to float");
    expect(() => compileTemplate("{{ huge * 10 ** 400 / 3 }}").render(context)).toThrow(
      "integer division result too large for a float",
    );
  });
});

test("true division of big ints is correctly rounded, as CPython's (300 seeded random pairs vs python3)", () => {
  let seed = 12345n;
  const next = (bits: bigint): bigint => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
    return (seed * 2n ** bits) / 2n ** 64n + 1n;
  };
  const pairs: Array<[bigint, bigint]> = [];
  for (let i = 0; i < 300; i++)
    pairs.push([next(BigInt(40 + (i % 200))) * (i % 3 === 0 ? -1n : 1n), next(BigInt(1 + (i % 120)))]);
  const proc = Bun.spawnSync(
    ["python3", "-c", "import sys\nfor line in sys.stdin: a, b = map(int, line.split()); print(repr(a / b))"],
    {
      stdin: Buffer.from(pairs.map(([a, b]) => `${a} ${b}`).join("\n")),
    },
  );
  const expected = proc.stdout.toString().trim().split("\n");
  const ours = pairs.map(([a, b]) => compileTemplate("{{ a / b }}").render({ a: a, b: b }));
  expect(ours).toEqual(expected);
});
