/**
 * Load-time checks of a JSON Schema itself (a step's `schema:`), so a mistake in the
 * schema is reported before any model is called rather than as a puzzling validation
 * failure later.
 */
import { closest } from "../errors/did-you-mean.ts";
import { CHECKED_FORMATS } from "./json-schema-formats.ts";
import { resolveLocalRef } from "./json-schema-validator.ts";
import { JSON_TYPE_NAMES, type JsonObject, compilePattern, isJsonObject, jsonTypeOf, pointerChild, typePhrase } from "./json-schema-values.ts";

/** A problem with a schema; `path` is a JSON Pointer into the schema. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = ["not", "if", "then", "else", "additionalProperties", "additionalItems", "contains", "propertyNames"];
/** Keywords whose value is a non-empty list of subschemas. */
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"];
/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const COUNT_KEYWORDS = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"];
const OTHER_KEYWORDS = [
  "type", "enum", "const", "required", "items", "uniqueItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "multipleOf", "pattern", "format", "$ref", "dependencies", "dependentRequired",
];
/** Keywords that only annotate (or that other tools use): accepted, never flagged as typos. */
const ANNOTATIONS = [
  "$schema", "$id", "id", "$comment", "$anchor", "$vocabulary", "title", "description", "default", "examples", "readOnly",
  "writeOnly", "deprecated", "contentMediaType", "contentEncoding", "contentSchema", "nullable", "discriminator",
];
const UNSUPPORTED: Record<string, string> = {
  unevaluatedProperties: 'is not supported; use "additionalProperties" (it is ignored as written)',
  unevaluatedItems: 'is not supported; use "items" (it is ignored as written)',
  $dynamicRef: 'is not supported; use "$ref" (it is ignored as written)',
};
const KNOWN_KEYWORDS = new Set([...SCHEMA_KEYWORDS, ...SCHEMA_LIST_KEYWORDS, ...SCHEMA_MAP_KEYWORDS, ...COUNT_KEYWORDS, ...OTHER_KEYWORDS]);
const TYPE_ALIASES: Record<string, string> = {
  int: "integer", float: "number", double: "number", decimal: "number", str: "string", text: "string",
  bool: "boolean", list: "array", dict: "object", map: "object", none: "null", nil: "null",
};

/**
 * Problems with `schema` itself: not a schema (object or boolean), unknown `type` names,
 * a bad `required`, negative counts, patterns that do not compile, `$ref`s that do not
 * resolve inside the document, and likely typos of keywords. Empty when it is usable.
 */
export function checkSchema(schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  new SchemaChecker(schema, problems).check(schema, "");
  return problems;
}

class SchemaChecker {
  private readonly seen = new Set<object>();

  constructor(
    private readonly root: unknown,
    private readonly problems: SchemaProblem[],
  ) {}

  check(schema: unknown, path: string): void {
    if (typeof schema === "boolean") return;
    if (!isJsonObject(schema)) {
      const actual = jsonTypeOf(schema) ?? typeof schema;
      this.report(path, `must be a schema (an object such as {"type": "string"}, or true/false), not ${typePhrase(actual)}`);
      return;
    }
    if (this.seen.has(schema)) return;
    this.seen.add(schema);
    for (const [keyword, value] of Object.entries(schema)) this.checkKeyword(schema, keyword, value, pointerChild(path, keyword));
  }

  private report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  private checkKeyword(schema: JsonObject, keyword: string, value: unknown, path: string): void {
    if (SCHEMA_KEYWORDS.includes(keyword)) this.check(value, path);
    else if (SCHEMA_LIST_KEYWORDS.includes(keyword)) this.checkSchemaList(value, path, keyword !== "prefixItems");
    else if (SCHEMA_MAP_KEYWORDS.includes(keyword)) this.checkSchemaMap(keyword, value, path);
    else if (COUNT_KEYWORDS.includes(keyword)) {
      if (!(Number.isInteger(value) && (value as number) >= 0)) this.report(path, "must be a whole number >= 0");
    } else if (keyword in UNSUPPORTED) this.report(path, UNSUPPORTED[keyword]!);
    else if (KNOWN_KEYWORDS.has(keyword)) this.checkValueKeyword(schema, keyword, value, path);
    else if (!ANNOTATIONS.includes(keyword)) {
      const suggestion = closest(keyword, KNOWN_KEYWORDS);
      if (suggestion !== undefined) this.report(path, `unknown keyword ${JSON.stringify(keyword)}: did you mean ${JSON.stringify(suggestion)}?`);
    }
  }

  private checkValueKeyword(schema: JsonObject, keyword: string, value: unknown, path: string): void {
    switch (keyword) {
      case "type":
        return this.checkType(value, path);
      case "required":
        return this.checkNameList(value, path);
      case "enum":
        if (!Array.isArray(value)) this.report(path, "must be an array of the allowed values");
        return;
      case "items":
        if (Array.isArray(value)) this.checkSchemaList(value, path, false);
        else this.check(value, path);
        return;
      case "uniqueItems":
        if (typeof value !== "boolean") this.report(path, "must be true or false");
        return;
      case "minimum":
      case "maximum":
        if (typeof value !== "number") this.report(path, "must be a number");
        return;
      case "exclusiveMinimum":
      case "exclusiveMaximum":
        if (typeof value !== "number" && typeof value !== "boolean") this.report(path, "must be a number");
        if (typeof value === "boolean" && typeof schema[keyword === "exclusiveMinimum" ? "minimum" : "maximum"] !== "number") {
          this.report(path, `as true/false (draft-04) needs "${keyword === "exclusiveMinimum" ? "minimum" : "maximum"}" beside it; give the bound as a number instead`);
        }
        return;
      case "multipleOf":
        if (!(typeof value === "number" && value > 0)) this.report(path, "must be a number > 0");
        return;
      case "pattern":
        return this.checkPattern(value, path);
      case "format":
        if (typeof value !== "string") this.report(path, `must be a string (checked formats: ${CHECKED_FORMATS.join(", ")})`);
        return;
      case "$ref":
        return this.checkRef(value, path);
      case "dependentRequired":
      case "dependencies":
        return this.checkDependencies(keyword, value, path);
    }
  }

  private checkType(value: unknown, path: string): void {
    const names = Array.isArray(value) ? value : [value];
    if (names.length === 0) this.report(path, "must name at least one type");
    names.forEach((name, index) => {
      const at = Array.isArray(value) ? pointerChild(path, index) : path;
      if (typeof name !== "string") {
        this.report(at, `must be a type name (${JSON_TYPE_NAMES.join(", ")})`);
      } else if (!(JSON_TYPE_NAMES as readonly string[]).includes(name)) {
        const suggestion = TYPE_ALIASES[name.toLowerCase()] ?? closest(name, JSON_TYPE_NAMES);
        const hint = suggestion !== undefined ? `did you mean ${JSON.stringify(suggestion)}?` : `expected one of ${JSON_TYPE_NAMES.join(", ")}`;
        this.report(at, `unknown type ${JSON.stringify(name)}: ${hint}`);
      }
    });
    if (Array.isArray(value) && new Set(value).size !== value.length) this.report(path, "must not list a type twice");
  }

  private checkNameList(value: unknown, path: string): void {
    if (typeof value === "boolean") {
      this.report(path, "must be an array of property names, listed in the object's schema (not true/false on the property)");
    } else if (!Array.isArray(value) || !value.every((name) => typeof name === "string")) {
      this.report(path, "must be an array of property names");
    } else if (new Set(value).size !== value.length) {
      this.report(path, "must not list a property twice");
    }
  }

  private checkPattern(value: unknown, path: string): void {
    if (typeof value !== "string") this.report(path, "must be a regular expression, as a string");
    else if (compilePattern(value) === null) this.report(path, `is not a valid regular expression: ${JSON.stringify(value)}`);
  }

  private checkRef(value: unknown, path: string): void {
    if (typeof value !== "string") this.report(path, 'must be a string such as "#/$defs/item"');
    else if (!value.startsWith("#")) this.report(path, `only references inside the schema are supported (such as "#/$defs/item"), not ${JSON.stringify(value)}`);
    else if (resolveLocalRef(this.root, value) === undefined) this.report(path, `${JSON.stringify(value)} does not point to anything in the schema`);
  }

  private checkSchemaList(value: unknown, path: string, nonEmpty: boolean): void {
    if (!Array.isArray(value)) return this.report(path, "must be an array of schemas");
    if (nonEmpty && value.length === 0) this.report(path, "must list at least one schema");
    value.forEach((item, index) => this.check(item, pointerChild(path, index)));
  }

  private checkSchemaMap(keyword: string, value: unknown, path: string): void {
    if (!isJsonObject(value)) return this.report(path, "must be an object mapping names to schemas");
    for (const [name, subschema] of Object.entries(value)) {
      const at = pointerChild(path, name);
      if (keyword === "patternProperties") this.checkPattern(name, at);
      this.check(subschema, at);
    }
  }

  private checkDependencies(keyword: string, value: unknown, path: string): void {
    if (!isJsonObject(value)) return this.report(path, "must be an object");
    for (const [name, dependency] of Object.entries(value)) {
      const at = pointerChild(path, name);
      if (Array.isArray(dependency) || keyword === "dependentRequired") this.checkNameList(dependency, at);
      else this.check(dependency, at);
    }
  }
}
