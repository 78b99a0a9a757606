/**
 * The JSON-Schema validator: a differential test against Python's jsonschema (one
 * python3 process for every case; the valid/invalid verdicts must agree), then our own
 * assertions on error paths and messages.
 */
import { describe, expect, test } from "bun:test";
import { describeSchemaError, describeSchemaErrors, validateJson } from "../../src/llm/json-schema.ts";
import { SCHEMA_CASE_GROUPS } from "./json-schema-cases.ts";

type Verdict = { valid: boolean } | { error: string };

const CASES = SCHEMA_CASE_GROUPS.flatMap((group) => group.values.map((value) => ({ group: group.name, schema: group.schema, value })));

function runPythonJsonschema(cases: { schema: unknown; value: unknown }[]): Verdict[] {
  const input = JSON.stringify(cases.map(({ schema, value }) => ({ schema, value })));
  const proc = Bun.spawnSync(["python3", `${import.meta.dir}/json-schema-oracle.py`], { stdin: Buffer.from(input) });
  if (proc.exitCode !== 0) throw new Error(`jsonschema oracle failed: ${proc.stderr.toString()}`);
  return JSON.parse(proc.stdout.toString()) as Verdict[];
}

const pythonVerdicts = runPythonJsonschema(CASES);

describe("differential: validateJson vs Python jsonschema", () => {
  test("has at least 120 cases, with both verdicts well represented", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(120);
    const invalid = pythonVerdicts.filter((v) => "valid" in v && !v.valid).length;
    expect(invalid).toBeGreaterThan(CASES.length * 0.3);
    expect(CASES.length - invalid).toBeGreaterThan(CASES.length * 0.3);
  });

  CASES.forEach((c, index) => {
    test(`${c.group} · ${JSON.stringify(c.value)}`, () => {
      const expected = pythonVerdicts[index]!;
      if ("error" in expected) throw new Error(`jsonschema rejects the schema itself: ${expected.error}`);
      const errors = validateJson(c.schema, c.value);
      expect({ valid: errors.length === 0, errors }).toMatchObject({ valid: expected.valid });
    });
  });
});

describe("error paths and messages", () => {
  test("a nested wrong type points at the item and says what it must be", () => {
    const schema = { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } } } };
    expect(validateJson(schema, { items: [{ name: 42 }] })).toEqual([{ path: "/items/0/name", keyword: "type", message: "must be a string, not an integer" }]);
  });

  test("bounds read as comparisons, re-ask style", () => {
    const errors = validateJson({ properties: { age: { minimum: 0 } } }, { age: -3 });
    expect(errors.map(describeSchemaError)).toEqual(["at /age: must be >= 0"]);
    expect(describeSchemaError(validateJson({ exclusiveMaximum: 1 }, 1)[0]!)).toBe("at the top level: must be < 1");
  });

  test("every problem is reported, not only the first", () => {
    const schema = { type: "object", properties: { a: { type: "string" }, b: { enum: ["x", "y"] } }, required: ["a", "b", "c"], additionalProperties: false };
    expect(validateJson(schema, { a: 1, b: "z", d: true })).toEqual([
      { path: "", keyword: "required", message: 'must have required property "c"' },
      { path: "/a", keyword: "type", message: "must be a string, not an integer" },
      { path: "/b", keyword: "enum", message: 'must be one of "x", "y"' },
      { path: "", keyword: "additionalProperties", message: 'must not have property "d" (the schema does not allow additional properties)' },
    ]);
  });

  test("pointer tokens are escaped (RFC 6901)", () => {
    const errors = validateJson({ additionalProperties: { type: "integer" } }, { "a/b~c": "x" });
    expect(errors[0]!.path).toBe("/a~1b~0c");
  });

  test("string lengths count code points and are spelled out", () => {
    expect(validateJson({ maxLength: 2 }, "😀😀")).toEqual([]);
    expect(validateJson({ minLength: 3 }, "😀😀")[0]!.message).toBe("must be at least 3 characters long");
    expect(validateJson({ maxLength: 1 }, "ab")[0]!.message).toBe("must be at most 1 character long");
  });

  test("pattern and format messages name what is expected", () => {
    expect(validateJson({ pattern: "^a+$" }, "b")[0]!.message).toBe('must match the pattern "^a+$"');
    expect(validateJson({ format: "date" }, "03/04/2024")[0]!.message).toBe("must be a valid date (YYYY-MM-DD)");
    expect(validateJson({ format: "email" }, "nobody")[0]!.message).toBe("must be a valid email address");
  });

  test("Unicode property escapes work in patterns", () => {
    expect(validateJson({ pattern: "^\\p{L}+$" }, "Ünïcödé")).toEqual([]);
    expect(validateJson({ pattern: "^\\p{L}+$" }, "abc1")).toHaveLength(1);
  });

  test("multipleOf is decimal-exact where binary floats are not (deliberately unlike Python)", () => {
    expect(validateJson({ multipleOf: 0.01 }, 19.99)).toEqual([]);
    expect(validateJson({ multipleOf: 0.1 }, 0.3)).toEqual([]);
    expect(validateJson({ multipleOf: 0.01 }, 19.999)[0]!.message).toBe("must be a multiple of 0.01");
  });

  test("anyOf of types merges into one readable message", () => {
    expect(validateJson({ anyOf: [{ type: "string" }, { type: "null" }] }, 5)).toEqual([{ path: "", keyword: "anyOf", message: "must be a string or null, not an integer" }]);
  });

  test("a discriminated oneOf reports the errors of the branch with the right shape", () => {
    const schema = {
      oneOf: [
        { properties: { type: { const: "cat" }, lives: { type: "integer" } }, required: ["type", "lives"] },
        { properties: { type: { const: "dog" }, good: { type: "boolean" } }, required: ["type", "good"] },
      ],
    };
    // `const` fails deeper than the instance path, so both branches look plausible: summary.
    expect(validateJson(schema, { type: "bird" })[0]!.message).toBe("must match exactly one of the 2 oneOf alternatives, but matches none");
    const typed = { anyOf: [{ type: "string" }, { type: "object", properties: { n: { type: "integer" } } }] };
    expect(validateJson(typed, { n: "x" })).toEqual([{ path: "/n", keyword: "type", message: "must be an integer, not a string" }]);
  });

  test("oneOf matching twice says which alternatives matched", () => {
    expect(validateJson({ oneOf: [{ type: "integer" }, { minimum: 2 }] }, 3)[0]!.message).toBe(
      "must match exactly one of the oneOf alternatives, but matches 2 (#1 and #2)",
    );
  });

  test("a $ref cycle that consumes no input terminates", () => {
    expect(validateJson({ $ref: "#" }, 1)).toEqual([]);
    expect(validateJson({ $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" }, {})).toEqual([]);
    expect(validateJson({ $defs: { a: { anyOf: [{ $ref: "#/$defs/a" }, { type: "string" }] } }, $ref: "#/$defs/a" }, "x")).toEqual([]);
  });

  test("an unresolvable $ref is an error, not a silent pass", () => {
    expect(validateJson({ $ref: "#/$defs/missing" }, 1)[0]!.message).toContain("does not resolve");
  });

  test("nullable is not standard and is ignored", () => {
    expect(validateJson({ type: "string", nullable: true }, null)).toHaveLength(1);
  });

  test("describeSchemaErrors lists lines and caps them", () => {
    const errors = validateJson({ items: { type: "integer" } }, ["a", "b", "c"]);
    expect(describeSchemaErrors(errors, 2)).toBe("- at /0: must be an integer, not a string\n- at /1: must be an integer, not a string\n- … and 1 more");
  });
});
