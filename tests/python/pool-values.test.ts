import { describe, expect, test } from "bun:test";
import { okValue, PYTHON, testPool } from "./pool-helpers.ts";

describe.skipIf(!PYTHON)(
  "python pool: values (docs/pipeline-reference.md#results-names-and-context, docs/pipeline-reference.md#results-names-and-context)",
  () => {
    const pool = testPool(1);

    test("`result` is the value; print() output is captured separately", async () => {
      const outcome = await pool.run({ step: "both", body: "print('working')\nresult = 5", context: {} });
      expect(outcome).toEqual({ ok: true, value: 5, stdout: "working\n" });
    });

    test("without `result` (or with result = None) the value is the trimmed stdout", async () => {
      expect(okValue(await pool.run({ step: "p", body: "print('  hello  ')", context: {} }))).toBe("hello");
      const none = await pool.run({ step: "n", body: "print('out')\nresult = None", context: {} });
      expect(none).toEqual({ ok: true, value: "out", stdout: "out\n" });
    });

    test("dict, list, int, float, bool, None, str round-trip with their python types", async () => {
      const context = {
        d: { a: 1, nested: { b: [1, "two"] } },
        l: [1, 2.5, null],
        i: 7,
        f: 1.25,
        t: true,
        n: null,
        s: "é ☃",
      };
      const body = [
        "assert type(inputs['d']) is dict and type(inputs['l']) is list",
        "assert type(inputs['i']) is int and type(inputs['f']) is float and inputs['t'] is True",
        "assert inputs['n'] is None and inputs['s'] == 'é ☃'",
        "result = {k: inputs[k] for k in ['d', 'l', 'i', 'f', 't', 'n', 's']}",
      ].join("\n");
      expect(okValue(await pool.run({ step: "types", body, context }))).toEqual(context);
    });

    test("bytes round-trip both ways as bytes / Uint8Array, nested too", async () => {
      const context = { raw: new Uint8Array([0, 1, 255]), list: [Buffer.from("hi")] };
      const body = [
        "assert type(inputs['raw']) is bytes and inputs['list'][0] == b'hi' and type(inputs['item']) is bytes",
        "result = {'more': inputs['raw'] + b'\\x02', 'deep': [b'\\xff\\x00'], 'item': inputs['item']}",
      ].join("\n");
      const value = okValue(await pool.run({ step: "bytes", body, context, extra: { item: new Uint8Array([9]) } }));
      expect(value).toEqual({
        more: new Uint8Array([0, 1, 255, 2]),
        deep: [new Uint8Array([255, 0])],
        item: new Uint8Array([9]),
      });
    });

    test("inputs is a dict: get() of a missing key is None, `in`, len, iteration, json.dumps", async () => {
      const body = [
        "import json",
        "result = {'missing': inputs.get('nope'), 'default': inputs.get('nope', 3), 'has': 'a' in inputs,",
        "          'len': len(inputs), 'keys': sorted(inputs), 'json': json.loads(json.dumps(inputs)),",
        "          'isdict': isinstance(inputs, dict), 'merged': {**inputs}['item']}",
      ].join("\n");
      const value = okValue(await pool.run({ step: "dict", body, context: { a: [1], b: "x" }, extra: { item: 4 } }));
      expect(value).toEqual({
        missing: null,
        default: 3,
        has: true,
        len: 3,
        keys: ["a", "b", "item"],
        json: { a: [1], b: "x", item: 4 },
        isdict: true,
        merged: 4,
      });
    });

    test("extra values (item, item_index) override context names", async () => {
      const body = "result = [inputs['item'], inputs['item_index'], inputs['shared']]";
      const value = okValue(
        await pool.run({ step: "e", body, context: { item: "ctx", shared: 1 }, extra: { item: "x", item_index: 0 } }),
      );
      expect(value).toEqual(["x", 0, 1]);
    });

    test("mutating inputs in one job is invisible to the next job and to the shared context", async () => {
      const context = { d: { list: [1, 2] }, s: "keep" };
      const mutate = "inputs['d']['list'].append(99)\ninputs['new'] = 1\ndel inputs['s']\nresult = inputs['d']";
      const read = "result = [inputs['d'], 'new' in inputs, inputs.get('s')]";
      expect(okValue(await pool.run({ step: "m", body: mutate, context, contextId: "shared" }))).toEqual({
        list: [1, 2, 99],
      });
      expect(okValue(await pool.run({ step: "r", body: read, context, contextId: "shared" }))).toEqual([
        { list: [1, 2] },
        false,
        "keep",
      ]);
      expect(context).toEqual({ d: { list: [1, 2] }, s: "keep" });
    });

    test("print(), os.write(1, ...), sys.stdout.write and child processes never corrupt the protocol", async () => {
      const body = [
        "import os, sys, subprocess",
        'print(\'{"job": 1, "ok": true}\')',
        "sys.stdout.write('no newline')",
        "os.write(1, b'raw fd write\\n')",
        "subprocess.run(['echo', 'from a child'])",
        "print('to stderr', file=sys.stderr)",
        "result = sys.stdin.read()",
      ].join("\n");
      const outcome = await pool.run({ step: "noisy", body, context: {} });
      expect(outcome.ok).toBe(true);
      for (const piece of ['{"job": 1, "ok": true}', "no newline", "raw fd write", "from a child"])
        expect(outcome.stdout).toContain(piece);
      expect(outcome.stderr).toBe("to stderr\n");
      expect(okValue(await pool.run({ step: "after", body: "result = 1", context: {} }))).toBe(1);
    });

    test("sys.exit(0) ends the body normally", async () => {
      expect(
        okValue(
          await pool.run({ step: "exit0", body: "result = 2\nimport sys\nsys.exit(0)\nresult = 3", context: {} }),
        ),
      ).toBe(2);
    });
  },
);
