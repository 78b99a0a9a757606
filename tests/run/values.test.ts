/**
 * Issue 10: values exactly as Python would have them, through real pipelines. Python is the
 * oracle: what the shell step prints is compared with python3's own `str()` of the same
 * expressions, and later python steps check `type(x)` and `==` on what they receive.
 */
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { onlyRunId } from "../resume/helpers.ts";
import { aiorch, removeScratch, runFixtureJson, scratch, SLOW } from "./harness.ts";

afterAll(removeScratch);

/** `str()` of each expression, joined by spaces, as python3 prints them. */
function pythonText(setup: string, expressions: string[]): string {
  const code = `${setup}\nprint(" ".join(str(v) for v in [${expressions.join(", ")}]))`;
  const proc = Bun.spawnSync(["python3", "-c", code]);
  if (proc.exitCode !== 0) throw new Error(proc.stderr.toString());
  return proc.stdout.toString().trim();
}

test.concurrent(
  "a python step's floats and ints of any size (and YAML literals) reach the shell, python and --format json unchanged",
  async () => {
    const run = await runFixtureJson("values/python-exact.yaml");
    expect(run.exitCode).toBe(0);
    // The same expressions as the `shown` step's template, computed by python3.
    const make = `m = {"f": 40.0, "big": 2**64 + 1, "huge": 10**400, "neg": -(2**70), "ratio": 8 / 2, "small": 7, "half": 0.5, "e": 1e16}`;
    const expected = pythonText(make, [
      ...["f", "big", "huge", "neg", "ratio", "small", "half", "e"].map((k) => `m["${k}"]`),
      "8 / 2",
      'm["big"] + 1',
      'm["big"] * m["big"]',
      'm["huge"] // 10 ** 398',
      'm["big"] / 3',
      'm["neg"] % 7',
      "'gt' if m['big'] > 2 ** 64 else 'le'",
      "'eq' if m['big'] == 2 ** 64 + 1 else 'ne'",
      "'eq' if m['f'] == 40 else 'ne'",
    ]);
    expect(run.doc.outputs.shown).toBe(expected);
    const wire = run.doc.outputs.wire as Record<string, [string, boolean]>;
    expect(wire).toEqual({
      f: ["float", true],
      big: ["int", true],
      huge: ["int", true],
      neg: ["int", true],
      ratio: ["float", true],
      small: ["int", true],
      half: ["float", true],
      e: ["float", true],
    });
    expect(run.doc.outputs.through_template).toEqual([true, true, true, true, true, true]);
    // Numbers written in the YAML (vars, a foreach list) are read as Python reads them too.
    expect(run.doc.outputs.literals).toEqual([
      ["float", true, "float"],
      ["float", true, "int"],
    ]);
    // --format json writes what Python's json.dumps writes: every digit, and 40.0 as a float.
    expect(run.stdout).toContain('"big": 18446744073709551617,');
    expect(run.stdout).toContain(`"huge": 1${"0".repeat(400)},`);
    expect(run.stdout).toContain('"f": 40.0,');
    expect(run.stdout).toContain('"e": 1e+16');
  },
  SLOW,
);

test.concurrent(
  "a YAML default null is None, a number input is a float, an integer input has no size limit",
  async () => {
    const run = await runFixtureJson("values/none-and-numbers.yaml");
    expect(run.exitCode).toBe(0);
    const inputs = 'x, label, ratio, count, scale = None, "set", 3.0, 18446744073709551617, 2.0';
    expect(run.doc.outputs.shown).toBe(
      pythonText(inputs, [
        '"none" if x is None else "some"',
        '"none" if label is None else "some"',
        "ratio",
        "count",
        "scale",
        "ratio * 2",
        "count + 1",
      ]),
    );
    expect(run.stdout).toContain('"float",\n        3.0');
    expect(run.stdout).toContain('"int",\n        18446744073709551617');
    expect(run.doc.outputs.text).toEqual({
      count: ["int", expect.anything()],
      label: ["str", "set"],
      ratio: ["float", 3],
      scale: ["float", 2],
      x: ["NoneType", null],
    });
    expect(run.doc.outputs.through_template).toEqual([true, true]);
  },
  SLOW,
);

test.concurrent(
  "--input null is None (not the default); JSON numbers keep their type and every digit",
  async () => {
    const given = '{"label": null, "ratio": 2, "count": 123456789012345678901234567890, "scale": 5.0}';
    const run = await runFixtureJson("values/none-and-numbers.yaml", ["--input", given]);
    expect(run.exitCode).toBe(0);
    const inputs = "x, label, ratio, count, scale = None, None, 2.0, 123456789012345678901234567890, 5.0";
    expect(run.doc.outputs.shown).toBe(
      pythonText(inputs, [
        '"none" if x is None else "some"',
        '"none" if label is None else "some"',
        "ratio",
        "count",
        "scale",
        "ratio * 2",
        "count + 1",
      ]),
    );
    expect(run.stdout).toContain('"int",\n        123456789012345678901234567890');
    expect(run.stdout).toContain('"float",\n        5.0');
  },
  SLOW,
);

test.concurrent(
  "--input from a YAML file: numbers as Python's YAML reads them (7.0 a float, 0x… an exact int)",
  async () => {
    const files = { "values.yaml": "label: null\nratio: 4\nscale: 7.0\ncount: 0x10000000000000001\n" };
    const run = await runFixtureJson("values/none-and-numbers.yaml", ["--input", "values.yaml"], { files });
    expect(run.exitCode).toBe(0);
    const inputs = "x, label, ratio, count, scale = None, None, 4.0, 0x10000000000000001, 7.0";
    expect(run.doc.outputs.shown).toBe(
      pythonText(inputs, [
        '"none" if x is None else "some"',
        '"none" if label is None else "some"',
        "ratio",
        "count",
        "scale",
        "ratio * 2",
        "count + 1",
      ]),
    );
  },
  SLOW,
);

test.concurrent(
  "the history keeps them too: a resumed run gets 2**64 + 1 and 40.0 back exactly",
  async () => {
    const cwd = scratch("exact-resume");
    const body = [
      "name: exact-resume",
      "steps:",
      "  make:",
      "    python: |",
      "      result = [2**64 + 1, 40.0, 10**400]",
      "  use:",
      "    depends: [make]",
      "    python: |",
      '      assert __import__("os").path.exists("ok")',
      '      big, f, huge = inputs["make"]',
      "      result = [big == 2**64 + 1, type(f) is float and f == 40.0, huge == 10**400]",
      "  shown:",
      "    depends: [use]",
      "    run: echo {{ make[0] + 1 }} {{ make[1] }}",
    ];
    writeFileSync(join(cwd, "p.yaml"), `${body.join("\n")}\n`);
    expect((await aiorch(["run", "p.yaml"], { cwd })).exitCode).toBe(1);
    writeFileSync(join(cwd, "ok"), "");
    const resumed = await aiorch(["resume", onlyRunId(cwd), "--format", "json"], { cwd });
    expect(resumed.exitCode).toBe(0);
    const doc = JSON.parse(resumed.stdout) as { outputs: Record<string, unknown> };
    expect(doc.outputs.use).toEqual([true, true, true]);
    expect(doc.outputs.shown).toBe(pythonText("", ["2**64 + 2", "40.0"]));
  },
  SLOW,
);
