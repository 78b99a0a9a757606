/**
 * The JSON-Schema validator: a differential test against Python's jsonschema (one
 * python3 process for every case; the valid/invalid verdicts must agree), then our own
 * assertions on error paths and messages.
 */
import { describe, expect, test } from "bun:test";
import { describeSchemaError, describeSchemaErrors, validateJson } from "../../src/llm/json-schema.ts";
import { SCHEMA_CASE_GROUPS } from "./json-schema-cases.ts";

type Verdict = { valid: boolean } | { error: string };

const CASES = SCHEMA_CASE_GROUPS.flatMap((group) =>
  group.values.map((value) => ({ group: group.name, schema: group.schema, value })),
);

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
    const schema = {
      type: "object",
      properties: { items: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } } },
    };
    expect(validateJson(schema, { items: [{ name: 42 }] })).toEqual([
      { path: "/items/0/name", keyword: "type", message: "must be a string, not an integer" },
    ]);
  });

  test("bounds read as comparisons, re-ask style", () => {
    const errors = validateJson({ properties: { age: { minimum: 0 } } }, { age: -3 });
    expect(errors.map(describeSchemaError)).toEqual(["at /age: must be >= 0"]);
    expect(describeSchemaError(validateJson({ exclusiveMaximum: 1 }, 1)[0]!)).toBe("at the top level: must be < 1");
  });

  test("every problem is reported, not only the first", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" }, b: { enum: ["x", "y"] } },
      required: ["a", "b", "c"],
      additionalProperties: false,
    };
    // In Ajv's keyword order (required and additionalProperties before the properties' own errors).
    expect(validateJson(schema, { a: 1, b: "z", d: true })).toEqual([
      { path: "", keyword: "required", message: 'must have required property "c"' },
      {
        path: "",
        keyword: "additionalProperties",
        message: 'must not have property "d" (the schema does not allow additional properties)',
      },
      { path: "/a", keyword: "type", message: "must be a string, not an integer" },
      { path: "/b", keyword: "enum", message: 'must be one of "x", "y"' },
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
    expect(validateJson({ anyOf: [{ type: "string" }, { type: "null" }] }, 5)).toEqual([
      { path: "", keyword: "anyOf", message: "must be a string or null, not an integer" },
    ]);
  });

  test("a discriminated oneOf reports the errors of the branch with the right shape", () => {
    const schema = {
      oneOf: [
        { properties: { type: { const: "cat" }, lives: { type: "integer" } }, required: ["type", "lives"] },
        { properties: { type: { const: "dog" }, good: { type: "boolean" } }, required: ["type", "good"] },
      ],
    };
    // `const` fails deeper than the instance path, so both branches look plausible: summary.
    expect(validateJson(schema, { type: "bird" })[0]!.message).toBe(
      "must match exactly one of the 2 oneOf alternatives, but matches none",
    );
    const typed = { anyOf: [{ type: "string" }, { type: "object", properties: { n: { type: "integer" } } }] };
    expect(validateJson(typed, { n: "x" })).toEqual([
      { path: "/n", keyword: "type", message: "must be an integer, not a string" },
    ]);
  });

  test("oneOf matching twice says which alternatives matched", () => {
    expect(validateJson({ oneOf: [{ type: "integer" }, { minimum: 2 }] }, 3)[0]!.message).toBe(
      "must match exactly one of the oneOf alternatives, but matches 2 (#1 and #2)",
    );
  });

  test("a $ref cycle that consumes no input is an error that says so, not a hang or a crash", () => {
    // Ajv, like Python's jsonschema, recurses forever on these; checkSchema refuses them at load time.
    const never = "cannot be checked: the schema's $refs lead back to themselves without descending into the value";
    expect(validateJson({ $ref: "#" }, 1)).toEqual([{ path: "", keyword: "$ref", message: never }]);
    expect(
      validateJson({ $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" }, {})[0]!
        .message,
    ).toBe(never);
    expect(
      validateJson({ $defs: { a: { anyOf: [{ $ref: "#/$defs/a" }, { type: "string" }] } }, $ref: "#/$defs/a" }, "x")[0]!
        .message,
    ).toBe(never);
    // A recursive schema that descends into the value is fine.
    expect(validateJson({ type: "object", properties: { next: { $ref: "#" } } }, { next: { next: {} } })).toEqual([]);
  });

  test("an unresolvable $ref is an error, not a silent pass", () => {
    expect(validateJson({ $ref: "#/$defs/missing" }, 1)[0]!.message).toContain("does not resolve");
  });

  test("nullable is not standard and is ignored (Ajv would apply it); id is an annotation after draft-04", () => {
    expect(validateJson({ type: "string", nullable: true }, null)).toHaveLength(1);
    expect(validateJson({ nullable: true }, null)).toEqual([]);
    expect(validateJson({ id: "person", type: "string" }, 1)).toHaveLength(1);
  });

  test("the year 0000 is a valid RFC 3339 date (Python's datetime stops at year 1)", () => {
    expect(validateJson({ format: "date" }, "0000-01-01")).toEqual([]);
  });

  test("date-time needs the T separator; more formats are checked (ajv-formats)", () => {
    expect(validateJson({ format: "date-time" }, "2024-05-01 12:30:00Z")[0]!.message).toBe(
      "must be a valid date-time (RFC 3339, e.g. 2024-05-01T12:30:00Z)",
    );
    expect(validateJson({ format: "uuid" }, "not-a-uuid")[0]!.message).toBe("must be a valid UUID");
    expect(validateJson({ format: "ipv4" }, "10.0.0.256")[0]!.message).toBe("must be a valid IPv4 address");
    expect(validateJson({ format: "hostname" }, "-bad-")[0]!.message).toBe("must be a valid hostname");
    expect(validateJson({ format: "uuid" }, "0b7ac7a4-9c8e-4a5e-9f0a-2f1d3c4b5a69")).toEqual([]);
  });

  test("multipleOf stays exact for large amounts", () => {
    expect(validateJson({ multipleOf: 0.01 }, 12345678.99)).toEqual([]);
    expect(validateJson({ multipleOf: 0.01 }, 12345678.999)).toHaveLength(1);
  });

  test("draft 2020-12 keywords the old validator lacked: unevaluatedProperties, $anchor", () => {
    const schema = { allOf: [{ properties: { a: {} } }], unevaluatedProperties: false };
    expect(validateJson(schema, { a: 1 })).toEqual([]);
    expect(validateJson(schema, { a: 1, b: 2 })).toEqual([
      {
        path: "",
        keyword: "unevaluatedProperties",
        message: 'must not have property "b" (the schema does not allow unevaluated properties)',
      },
    ]);
    const anchored = { $defs: { tag: { $anchor: "tag", type: "string" } }, items: { $ref: "#tag" } };
    expect(validateJson(anchored, ["a", 1])).toEqual([
      { path: "/1", keyword: "type", message: "must be a string, not an integer" },
    ]);
  });

  test("contains counts the matching items, also past maxContains", () => {
    expect(validateJson({ contains: { const: 1 }, maxContains: 2 }, [1, 1, 1, 1])).toEqual([
      {
        path: "",
        keyword: "maxContains",
        message: 'must contain at most 2 items matching the "contains" schema (found 4)',
      },
    ]);
    expect(validateJson({ contains: { const: 1 }, minContains: 2 }, [1, 2, 3])[0]!.message).toBe(
      'must contain at least 2 items matching the "contains" schema (found 1)',
    );
  });

  test("errors inside a failed alternative are not repeated beside its explanation", () => {
    const schema = { properties: { a: { anyOf: [{ type: "string" }, { type: "null" }] }, b: { type: "integer" } } };
    expect(validateJson(schema, { a: 1, b: "x" })).toEqual([
      { path: "/a", keyword: "anyOf", message: "must be a string or null, not an integer" },
      { path: "/b", keyword: "type", message: "must be an integer, not a string" },
    ]);
    expect(validateJson({ propertyNames: { maxLength: 2 } }, { abc: 1 })).toEqual([
      { path: "", keyword: "propertyNames", message: 'has a property name that is not allowed: "abc"' },
    ]);
  });

  test("describeSchemaErrors lists lines and caps them", () => {
    const errors = validateJson({ items: { type: "integer" } }, ["a", "b", "c"]);
    expect(describeSchemaErrors(errors, 2)).toBe(
      "- at /0: must be an integer, not a string\n- at /1: must be an integer, not a string\n- … and 1 more",
    );
  });
});
