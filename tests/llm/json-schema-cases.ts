/**
 * (schema, values) groups for the differential test against Python's jsonschema. Each
 * value becomes one case. Left out on purpose (deliberate or harmless differences):
 * multipleOf with binary-inexact decimals (we accept 0.3 as a multiple of 0.1, Python
 * does not), regex syntax that differs between JavaScript and Python (\p{…}, \d on
 * non-ASCII digits), `$ref` cycles that consume no input (Python recurses forever; we
 * refuse them at load time), and the date 0000-01-01 (RFC 3339's year is any 4 digits, as
 * ajv-formats reads it; Python's `date.fromisoformat` stops at its MINYEAR, 1).
 */
export interface SchemaCaseGroup {
  name: string;
  schema: unknown;
  values: unknown[];
}

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const DRAFT_04 = "http://json-schema.org/draft-04/schema#";

const PERSON = {
  type: "object",
  properties: { name: { type: "string", minLength: 1 }, age: { type: "integer", minimum: 0 } },
  required: ["name"],
};

export const SCHEMA_CASE_GROUPS: SchemaCaseGroup[] = [
  { name: "type string", schema: { type: "string" }, values: ["a", "", 1, null, ["a"], { a: 1 }, true] },
  { name: "type integer", schema: { type: "integer" }, values: [1, 0, -7, 1.5, "1", 1e3, true] },
  { name: "type number", schema: { type: "number" }, values: [1, 1.5, -0.25, "1.5", null, false] },
  { name: "type boolean", schema: { type: "boolean" }, values: [true, false, 0, "true"] },
  { name: "type null", schema: { type: "null" }, values: [null, 0, "", false] },
  { name: "type array", schema: { type: "array" }, values: [[], [1, "a"], {}, "[]"] },
  { name: "type object", schema: { type: "object" }, values: [{}, { a: 1 }, [], null] },
  { name: "type list", schema: { type: ["string", "null"] }, values: ["x", null, 3, []] },
  { name: "type integer or boolean", schema: { type: ["integer", "boolean"] }, values: [2, true, 2.5, "2"] },
  {
    name: "enum",
    schema: { enum: ["red", "green", 3, null, [1, 2], { a: 1 }] },
    values: ["red", "blue", 3, 3.0, null, [1, 2], [2, 1], { a: 1 }, { a: 2 }, true],
  },
  { name: "enum of numbers vs booleans", schema: { enum: [1, 0] }, values: [1, 0, true, false] },
  {
    name: "const",
    schema: { const: { kind: "x", list: [1, { b: null }] } },
    values: [{ list: [1, { b: null }], kind: "x" }, { kind: "x", list: [1, {}] }, { kind: "x" }],
  },
  { name: "const false", schema: { const: false }, values: [false, 0, null] },
  {
    name: "properties and required",
    schema: PERSON,
    values: [
      { name: "Ann", age: 3 },
      { name: "Ann" },
      { age: 3 },
      { name: "", age: 3 },
      { name: "Ann", age: -1 },
      { name: "Ann", age: 2.5 },
      { name: "Ann", extra: true },
      "Ann",
    ],
  },
  {
    name: "additionalProperties false",
    schema: { type: "object", properties: { a: {} }, additionalProperties: false },
    values: [{}, { a: 1 }, { a: 1, b: 2 }, { b: 2 }],
  },
  {
    name: "additionalProperties schema",
    schema: { properties: { id: { type: "integer" } }, additionalProperties: { type: "string" } },
    values: [{ id: 1, x: "y" }, { id: 1, x: 2 }, { id: "1" }, {}],
  },
  {
    name: "patternProperties",
    schema: {
      patternProperties: { "^x-": { type: "string" }, "^n_\\d+$": { type: "number" } },
      additionalProperties: false,
    },
    values: [{ "x-a": "1", n_12: 3 }, { "x-a": 1 }, { n_1: "a" }, { other: 1 }, { n_1x: 2 }, {}],
  },
  {
    name: "propertyNames",
    schema: { propertyNames: { pattern: "^[a-z]+$", maxLength: 5 } },
    values: [{ abc: 1 }, { Abc: 1 }, { abcdef: 1 }, {}],
  },
  {
    name: "min/maxProperties",
    schema: { minProperties: 1, maxProperties: 2 },
    values: [{}, { a: 1 }, { a: 1, b: 2 }, { a: 1, b: 2, c: 3 }, []],
  },
  {
    name: "dependentRequired",
    schema: { dependentRequired: { card: ["billing"] } },
    values: [{}, { card: 1, billing: 2 }, { card: 1 }, { billing: 2 }],
  },
  {
    name: "dependentSchemas",
    schema: { dependentSchemas: { card: { required: ["cvc"], properties: { cvc: { type: "string" } } } } },
    values: [{ card: 1, cvc: "123" }, { card: 1 }, { card: 1, cvc: 123 }, { cvc: 1 }],
  },
  {
    name: "dependencies (draft-07)",
    schema: { $schema: DRAFT_07, dependencies: { a: ["b"], c: { required: ["d"] } } },
    values: [{ a: 1, b: 1 }, { a: 1 }, { c: 1, d: 1 }, { c: 1 }, {}],
  },
  {
    name: "items schema",
    schema: { type: "array", items: { type: "integer", minimum: 1 } },
    values: [[], [1, 2, 3], [1, 0], [1, "2"], [1.5]],
  },
  {
    name: "prefixItems",
    schema: { prefixItems: [{ type: "string" }, { type: "number" }] },
    values: [[], ["a"], ["a", 1], ["a", 1, true], [1, "a"]],
  },
  {
    name: "prefixItems with items false",
    schema: { prefixItems: [{ type: "string" }], items: false },
    values: [["a"], ["a", "b"], []],
  },
  {
    name: "prefixItems with items schema",
    schema: { prefixItems: [{ const: "head" }], items: { type: "integer" } },
    values: [["head", 1, 2], ["head", 1, "x"], ["tail"]],
  },
  {
    name: "draft-07 tuple items",
    schema: { $schema: DRAFT_07, items: [{ type: "string" }, { type: "integer" }], additionalItems: false },
    values: [["a", 1], ["a", 1, 2], ["a", "b"], ["a"]],
  },
  { name: "min/maxItems", schema: { minItems: 2, maxItems: 3 }, values: [[1], [1, 2], [1, 2, 3], [1, 2, 3, 4], "ab"] },
  {
    name: "uniqueItems",
    schema: { uniqueItems: true },
    values: [
      [1, 2, 3],
      [1, 2, 1],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [[1], [1]],
      [1, true],
      [0, false],
      [1, 1.0],
      [null, null],
      ["a", "A"],
    ],
  },
  { name: "contains", schema: { contains: { type: "string" } }, values: [["a"], [1, "a"], [1, 2], []] },
  {
    name: "min/maxContains",
    schema: { contains: { const: 1 }, minContains: 2, maxContains: 3 },
    values: [[1], [1, 1], [1, 1, 1, 1], [1, 2, 1, 2]],
  },
  {
    name: "minLength counts code points",
    schema: { minLength: 2, maxLength: 3 },
    values: ["a", "ab", "abcd", "😀", "😀😀", "😀😀😀😀", "é", "日本語", 12],
  },
  { name: "pattern", schema: { pattern: "^[A-Z]{2}-\\d{3}$" }, values: ["AB-123", "ab-123", "AB-1234", "xAB-123", 5] },
  { name: "pattern unanchored", schema: { pattern: "cat" }, values: ["concatenate", "dog", ""] },
  { name: "pattern unicode", schema: { pattern: "^.{2}$" }, values: ["😀😀", "ab", "😀", "abc"] },
  { name: "minimum/maximum", schema: { minimum: 0, maximum: 10 }, values: [0, 10, -1, 10.5, 5.5, "5"] },
  { name: "exclusive bounds", schema: { exclusiveMinimum: 0, exclusiveMaximum: 1 }, values: [0, 1, 0.5, -0.1, 1e-9] },
  {
    name: "draft-04 boolean exclusive bounds",
    schema: { $schema: DRAFT_04, minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: true },
    values: [0, 5, 1, 4.99],
  },
  { name: "multipleOf integer", schema: { multipleOf: 3 }, values: [0, 9, -6, 10, 4.5] },
  { name: "multipleOf decimal", schema: { multipleOf: 0.5 }, values: [1.5, 2, 0.25, 7.5] },
  {
    name: "anyOf",
    schema: {
      anyOf: [
        { type: "string", maxLength: 3 },
        { type: "integer", minimum: 10 },
      ],
    },
    values: ["abc", "abcd", 10, 9, null],
  },
  { name: "oneOf", schema: { oneOf: [{ type: "integer" }, { minimum: 2 }] }, values: [1, 2.5, 3, 1.5] },
  {
    name: "allOf",
    schema: { allOf: [{ required: ["a"] }, { required: ["b"] }, { properties: { a: { type: "string" } } }] },
    values: [{ a: "x", b: 1 }, { a: 1, b: 1 }, { a: "x" }, {}],
  },
  { name: "not", schema: { not: { type: "string" } }, values: [1, "a", null] },
  {
    name: "not with required",
    schema: { type: "object", not: { required: ["secret"] } },
    values: [{}, { secret: 1 }, { other: 1 }],
  },
  {
    name: "if/then/else",
    schema: {
      if: { properties: { kind: { const: "circle" } }, required: ["kind"] },
      then: { required: ["radius"] },
      else: { required: ["width"] },
    },
    values: [
      { kind: "circle", radius: 1 },
      { kind: "circle", width: 1 },
      { kind: "square", width: 1 },
      { kind: "square", radius: 1 },
      {},
    ],
  },
  { name: "if/then without else", schema: { if: { type: "integer" }, then: { minimum: 5 } }, values: [6, 4, "x", 4.5] },
  {
    name: "$ref to $defs",
    schema: {
      $defs: { positive: { type: "number", exclusiveMinimum: 0 } },
      type: "object",
      properties: { price: { $ref: "#/$defs/positive" } },
    },
    values: [{ price: 2 }, { price: 0 }, { price: "2" }, {}],
  },
  {
    name: "$ref to definitions (draft-07)",
    schema: {
      $schema: DRAFT_07,
      definitions: { tag: { type: "string", enum: ["a", "b"] } },
      type: "array",
      items: { $ref: "#/definitions/tag" },
    },
    values: [["a", "b"], ["c"], [1], []],
  },
  {
    name: "recursive $ref (tree)",
    schema: {
      $defs: {
        node: {
          type: "object",
          properties: { value: { type: "integer" }, children: { type: "array", items: { $ref: "#/$defs/node" } } },
          required: ["value"],
        },
      },
      $ref: "#/$defs/node",
    },
    values: [
      { value: 1 },
      { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] },
      { value: 1, children: [{ value: "2" }] },
      { value: 1, children: [{ children: [] }] },
    ],
  },
  {
    name: "$ref to root",
    schema: { type: "object", properties: { next: { $ref: "#" } }, additionalProperties: false },
    values: [{}, { next: { next: {} } }, { next: { other: 1 } }, { next: 1 }],
  },
  {
    name: "$ref with siblings (2020-12 applies them)",
    schema: { $defs: { s: { type: "string" } }, $ref: "#/$defs/s", maxLength: 2 },
    values: ["ab", "abc", 1],
  },
  {
    name: "$ref with siblings (draft-07 ignores them)",
    schema: { $schema: DRAFT_07, definitions: { s: { type: "string" } }, $ref: "#/definitions/s", maxLength: 2 },
    values: ["ab", "abc", 1],
  },
  {
    name: "$ref with escaped pointer",
    schema: {
      $defs: { "a/b": { type: "integer" }, "c~d": { type: "string" } },
      properties: { x: { $ref: "#/$defs/a~1b" }, y: { $ref: "#/$defs/c~0d" } },
    },
    values: [{ x: 1, y: "s" }, { x: "1" }, { y: 2 }],
  },
  { name: "boolean schema true", schema: true, values: [1, "x", null, {}] },
  { name: "boolean schema false", schema: false, values: [1, null] },
  {
    name: "false subschema forbids a property",
    schema: { properties: { legacy: false } },
    values: [{}, { legacy: 1 }],
  },
  {
    name: "format date",
    schema: { type: "string", format: "date" },
    values: ["2024-02-29", "2023-02-29", "2024-13-01", "2024-1-01", "01/02/2024", "2024-04-31"],
  },
  {
    name: "format date-time",
    schema: { format: "date-time" },
    values: [
      "2024-05-01T12:30:00Z",
      "2024-05-01t12:30:00z",
      "2024-05-01T12:30:00.123+02:00",
      "2024-05-01 12:30:00Z",
      "2024-05-01T12:30:00",
      "2024-05-01T24:00:00Z",
      "2024-02-30T00:00:00Z",
      5,
    ],
  },
  { name: "format email", schema: { format: "email" }, values: ["a@b.co", "a@b", "ab.co", "a b@c.d", "@b.co", "a@@b"] },
  {
    name: "format uri",
    schema: { format: "uri" },
    values: [
      "https://example.com/x?y=1",
      "mailto:a@b.co",
      "urn:isbn:123",
      "example.com",
      "http://exa mple.com",
      "1http://x",
    ],
  },
  { name: "unknown format is an annotation", schema: { format: "hostname-ish" }, values: ["anything", 1] },
  {
    name: "nested extraction schema",
    schema: {
      type: "object",
      properties: {
        invoice: { type: "string", pattern: "^INV-\\d+$" },
        total: { type: "number", minimum: 0 },
        currency: { enum: ["EUR", "USD"] },
        lines: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1 } },
            required: ["sku", "qty"],
            additionalProperties: false,
          },
        },
        due: { type: ["string", "null"], format: "date" },
      },
      required: ["invoice", "total", "currency", "lines"],
      additionalProperties: false,
    },
    values: [
      { invoice: "INV-1", total: 10, currency: "EUR", lines: [{ sku: "a", qty: 1 }], due: null },
      { invoice: "INV-1", total: 10, currency: "EUR", lines: [{ sku: "a", qty: 1 }], due: "2024-06-01" },
      { invoice: "INV-1", total: 10, currency: "GBP", lines: [{ sku: "a", qty: 1 }] },
      { invoice: "1", total: 10, currency: "EUR", lines: [{ sku: "a", qty: 1 }] },
      { invoice: "INV-1", total: 10, currency: "EUR", lines: [] },
      { invoice: "INV-1", total: 10, currency: "EUR", lines: [{ sku: "a", qty: 0 }] },
      { invoice: "INV-1", total: 10, currency: "EUR", lines: [{ sku: "a", qty: 1, note: "x" }] },
      { invoice: "INV-1", total: 10, currency: "EUR", lines: [{ sku: "a", qty: 1 }], due: "June 1st" },
    ],
  },
  {
    name: "discriminated union",
    schema: {
      oneOf: [
        {
          type: "object",
          properties: { type: { const: "cat" }, lives: { type: "integer" } },
          required: ["type", "lives"],
        },
        {
          type: "object",
          properties: { type: { const: "dog" }, good: { type: "boolean" } },
          required: ["type", "good"],
        },
      ],
    },
    values: [
      { type: "cat", lives: 9 },
      { type: "dog", good: true },
      { type: "dog", lives: 9 },
      { type: "bird" },
      "cat",
    ],
  },
];
