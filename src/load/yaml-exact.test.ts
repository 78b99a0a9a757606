import { describe, expect, test } from "bun:test";
import { IntegralFloat } from "../model/py-value.ts";
import { parseYamlExact } from "./yaml-exact.ts";

describe("parseYamlExact: YAML numbers as Python reads them", () => {
  test("ints exact at any size, integral floats stay floats, the rest as the yaml package reads it", () => {
    const text = [
      "int: 3",
      "float: 3.0",
      "half: 0.5",
      "exp: 1.0e+3",
      "big: 18446744073709551617",
      "negative: -18446744073709551617",
      "hex: 0x1F",
      "octal: 0o17",
      "plus: +5",
      "text: '3.0'",
      "list: [1.0, 2, 10000000000000000000000]",
      "anchor: &a 4.0",
      "alias: *a",
      "nested: {x: 1.0, y: [2.0]}",
      "none: null",
    ].join("\n");
    expect(parseYamlExact(text)).toEqual({
      int: 3,
      float: new IntegralFloat(3),
      half: 0.5,
      exp: new IntegralFloat(1000),
      big: 18446744073709551617n,
      negative: -18446744073709551617n,
      hex: 31,
      octal: 15,
      plus: 5,
      text: "3.0",
      list: [new IntegralFloat(1), 2, 10000000000000000000000n],
      anchor: new IntegralFloat(4),
      alias: new IntegralFloat(4),
      nested: { x: new IntegralFloat(1), y: [new IntegralFloat(2)] },
      none: null,
    });
  });

  test("a syntax error throws as yaml's parse does", () => {
    expect(() => parseYamlExact("a: [1, 2")).toThrow();
  });
});
