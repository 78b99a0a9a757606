import { describe, expect, test } from "bun:test";
import type { InputSpec } from "../model/pipeline.ts";
import { IntegralFloat } from "../model/py-value.ts";
import { checkRange, coerceValue, showValue, type ScalarInputType } from "./inputs-coerce.ts";

const accepts = (type: ScalarInputType, value: unknown) => {
  const result = coerceValue(type, value);
  if (!result.ok) throw new Error(`${JSON.stringify(value)} refused as ${type}: ${result.problem}`);
  return result.value;
};
const refuses = (type: ScalarInputType, value: unknown) => {
  const result = coerceValue(type, value);
  if (result.ok) throw new Error(`${JSON.stringify(value)} accepted as ${type}: ${JSON.stringify(result.value)}`);
  return result.problem;
};

describe("coerceValue", () => {
  test("integer", () => {
    expect(accepts("integer", "3")).toBe(3);
    expect(accepts("integer", " -12 ")).toBe(-12);
    expect(accepts("integer", "+4")).toBe(4);
    expect(accepts("integer", 7)).toBe(7);
    expect(refuses("integer", "3.5")).toBe("is not an integer (it has a fractional part or an exponent)");
    expect(refuses("integer", "x")).toBe("is not an integer");
    expect(refuses("integer", "")).toBe("is not an integer");
    expect(refuses("integer", 3.5)).toBe("is not an integer");
    // Python's ints have no size limit.
    expect(accepts("integer", "99999999999999999999")).toBe(99999999999999999999n);
    expect(accepts("integer", 2n ** 64n)).toBe(2n ** 64n);
    expect(accepts("integer", new IntegralFloat(3))).toBe(3);
    expect(refuses("integer", [1])).toBe("is not an integer (it is a list)");
    expect(refuses("integer", true)).toBe("is not an integer (it is a boolean)");
  });

  test("number", () => {
    expect(accepts("number", "3.5")).toBe(3.5);
    expect(accepts("number", "-.5")).toBe(-0.5);
    // A number is a float, as in Python: `3` given for it is 3.0.
    expect(accepts("number", "1e3")).toEqual(new IntegralFloat(1000));
    expect(accepts("number", "3")).toEqual(new IntegralFloat(3));
    expect(accepts("number", 3)).toEqual(new IntegralFloat(3));
    expect(accepts("number", 2n ** 64n)).toEqual(new IntegralFloat(2 ** 64));
    expect(accepts("number", 2.25)).toBe(2.25);
    for (const bad of ["abc", "", "1.2.3", "NaN", "Infinity", "0x10", "1,5"])
      expect(refuses("number", bad)).toBe("is not a number");
    expect(refuses("number", { a: 1 })).toBe("is not a number (it is an object)");
  });

  test("boolean: true/false/yes/no/1/0 in any case", () => {
    for (const yes of ["true", "TRUE", "Yes", "1", " yes "]) expect(accepts("boolean", yes)).toBe(true);
    for (const no of ["false", "False", "NO", "0"]) expect(accepts("boolean", no)).toBe(false);
    expect(accepts("boolean", true)).toBe(true);
    expect(accepts("boolean", 0)).toBe(false);
    for (const bad of ["on", "off", "y", "2", "", "truee"])
      expect(refuses("boolean", bad)).toBe("is not a boolean (use true/false, yes/no or 1/0)");
    expect(refuses("boolean", 2)).toContain("is not a boolean");
  });

  test("list: JSON array, else comma-separated and trimmed", () => {
    expect(accepts("list", '["a", 2, {"k": true}]')).toEqual(["a", 2, { k: true }]);
    expect(accepts("list", " a, b ,c ")).toEqual(["a", "b", "c"]);
    expect(accepts("list", "one")).toEqual(["one"]);
    expect(accepts("list", "a,,b,")).toEqual(["a", "b"]);
    expect(accepts("list", "")).toEqual([]);
    expect(accepts("list", "   ")).toEqual([]);
    expect(accepts("list", [1, 2])).toEqual([1, 2]);
    expect(refuses("list", "[a, b]")).toBe(
      'is not a valid JSON array (expected a value, found "a", at column 2); write ["a", "b"] or a, b',
    );
    expect(refuses("list", 3)).toContain("is not a list (it is a number)");
    expect(refuses("list", { a: 1 })).toContain("is not a list (it is an object)");
  });

  test("string: as is; numbers and booleans become text; structures are refused", () => {
    expect(accepts("string", "  spaced  ")).toBe("  spaced  ");
    expect(accepts("string", "")).toBe("");
    expect(accepts("string", 3)).toBe("3");
    expect(accepts("string", false)).toBe("false");
    expect(refuses("string", ["a"])).toBe("is not a string (it is a list)");
  });
});

describe("checkRange", () => {
  const spec = (type: InputSpec["type"], minimum?: number, maximum?: number): InputSpec => ({
    name: "n",
    type,
    hasDefault: false,
    required: false,
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
  });
  test("bounds are inclusive", () => {
    expect(checkRange(spec("integer", 1, 10), 1)).toBeUndefined();
    expect(checkRange(spec("integer", 1, 10), 10)).toBeUndefined();
    expect(checkRange(spec("integer", 1, 10), 11)).toBe("11 is above the maximum of 10");
    expect(checkRange(spec("number", 0.5), 0.25)).toBe("0.25 is below the minimum of 0.5");
    expect(checkRange(spec("string", 1, 2), 5)).toBeUndefined();
  });
});

test("showValue quotes strings, cuts long values and counts bytes", () => {
  expect(showValue("abc")).toBe('"abc"');
  expect(showValue([1, 2])).toBe("[1,2]");
  expect(showValue("x".repeat(100))).toHaveLength(58);
  expect(showValue(new Uint8Array(5))).toBe("<5 bytes>");
});
