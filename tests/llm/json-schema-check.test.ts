/** checkSchema: problems with a schema itself, found at load time. */
import { describe, expect, test } from "bun:test";
import { checkSchema } from "../../src/llm/json-schema.ts";
import { SCHEMA_CASE_GROUPS } from "./json-schema-cases.ts";

describe("checkSchema", () => {
  test("accepts every schema of the differential cases", () => {
    for (const group of SCHEMA_CASE_GROUPS)
      expect({ group: group.name, problems: checkSchema(group.schema) }).toEqual({ group: group.name, problems: [] });
  });

  test("a non-object schema", () => {
    expect(checkSchema("string")).toEqual([
      { path: "", message: 'must be a schema (an object such as {"type": "string"}, or true/false), not a string' },
    ]);
    expect(checkSchema({ properties: { name: "string" } })).toEqual([
      {
        path: "/properties/name",
        message: 'must be a schema (an object such as {"type": "string"}, or true/false), not a string',
      },
    ]);
  });

  test("unknown type names, with a suggestion", () => {
    expect(checkSchema({ type: "int" })).toEqual([
      { path: "/type", message: 'unknown type "int": did you mean "integer"?' },
    ]);
    expect(checkSchema({ type: ["strin", "null"] })).toEqual([
      { path: "/type/0", message: 'unknown type "strin": did you mean "string"?' },
    ]);
    expect(checkSchema({ items: { type: "whatever" } })[0]!.message).toBe(
      'unknown type "whatever": expected one of null, boolean, object, array, number, integer, string',
    );
  });

  test("a bad required", () => {
    expect(checkSchema({ required: "name" })).toEqual([
      { path: "/required", message: "must be an array of property names" },
    ]);
    expect(checkSchema({ properties: { a: { required: true } } })[0]!.path).toBe("/properties/a/required");
    expect(checkSchema({ required: ["a", "a"] })[0]!.message).toBe("must not list a property twice");
  });

  test("counts, bounds, patterns", () => {
    expect(checkSchema({ minLength: -1 })[0]!.message).toBe("must be a whole number >= 0");
    expect(checkSchema({ maxItems: 1.5 })[0]!.path).toBe("/maxItems");
    expect(checkSchema({ multipleOf: 0 })[0]!.message).toBe("must be a number > 0");
    expect(checkSchema({ pattern: "([a-z" })[0]!.message).toContain("is not a valid regular expression");
    expect(checkSchema({ patternProperties: { "(": {} } })[0]!.path).toBe("/patternProperties/(");
  });

  test("$ref must resolve inside the schema", () => {
    expect(checkSchema({ $ref: "#/$defs/nope" })).toEqual([
      { path: "/$ref", message: '"#/$defs/nope" does not point to anything in the schema' },
    ]);
    expect(checkSchema({ $ref: "https://example.com/s.json" })[0]!.message).toContain(
      "only references inside the schema",
    );
  });

  test("likely keyword typos are flagged; annotations and custom keys are not", () => {
    expect(checkSchema({ type: "object", requried: ["a"] })).toEqual([
      { path: "/requried", message: 'unknown keyword "requried": did you mean "required"?' },
    ]);
    expect(checkSchema({ maxlength: 3 })[0]!.message).toBe('unknown keyword "maxlength": did you mean "maxLength"?');
    expect(
      checkSchema({ title: "T", description: "d", examples: [1], nullable: true, "x-vendor": 1, id: "x" }),
    ).toEqual([]);
  });

  test("a keyword of a later draft under an older $schema is reported rather than silently ignored", () => {
    // Draft 2020-12 (the default) supports unevaluatedProperties, $dynamicRef and $anchor: they are accepted.
    expect(checkSchema({ unevaluatedProperties: false, $defs: { a: { $anchor: "a" } }, $ref: "#a" })).toEqual([]);
    expect(checkSchema({ $schema: "http://json-schema.org/draft-07/schema#", unevaluatedProperties: false })).toEqual([
      {
        path: "/unevaluatedProperties",
        message: 'is not a keyword of draft-07 (it would be ignored): leave "$schema" out to use draft 2020-12',
      },
    ]);
    expect(checkSchema({ items: [{ type: "string" }] })[0]!.message).toContain('write "prefixItems"');
    expect(checkSchema({ exclusiveMinimum: true, minimum: 1 })[0]!.message).toContain("true/false is draft-04");
  });

  test("a $ref cycle that never descends into the value", () => {
    expect(checkSchema({ $ref: "#" })).toEqual([
      {
        path: "/$ref",
        message:
          "leads back to a schema already applied to the same value, without descending into it: checking would never end",
      },
    ]);
    expect(
      checkSchema({ $defs: { a: { anyOf: [{ $ref: "#/$defs/a" }, { type: "string" }] } }, $ref: "#/$defs/a" })[0]!.path,
    ).toBe("/$defs/a/anyOf/0/$ref");
    expect(checkSchema({ type: "object", properties: { next: { $ref: "#" } } })).toEqual([]);
  });

  test("references Ajv cannot resolve: an unknown anchor, a remote document", () => {
    expect(checkSchema({ items: { $ref: "#nope" } })).toEqual([
      { path: "/items/$ref", message: '"#nope" does not point to anything in the schema' },
    ]);
  });

  test("empty combinator lists", () => {
    expect(checkSchema({ anyOf: [] })).toEqual([{ path: "/anyOf", message: "must list at least one schema" }]);
  });
});
