/**
 * The keywords that look at one value without descending into it: type, enum, const,
 * the numeric bounds, the string constraints and format.
 */
import { formatViolation } from "./json-schema-formats.ts";
import type { SchemaError } from "./json-schema-types.ts";
import {
  type JsonObject,
  codePointLength,
  compilePattern,
  hasJsonType,
  isMultipleOf,
  jsonEqual,
  jsonTypeOf,
  preview,
  typePhrase,
} from "./json-schema-values.ts";

const MAX_LISTED_ENUM_VALUES = 10;

function error(path: string, keyword: string, message: string): SchemaError {
  return { path, keyword, message };
}

/** `type`, `enum`, `const`: the value's kind and identity. */
export function checkKindKeywords(schema: JsonObject, value: unknown, path: string): SchemaError[] {
  const errors: SchemaError[] = [];
  const type = schema.type;
  if (typeof type === "string" || Array.isArray(type)) {
    const types = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === "string");
    if (types.length > 0 && !types.some((t) => hasJsonType(value, t))) {
      const actual = jsonTypeOf(value) ?? typeof value;
      errors.push(error(path, "type", `must be ${types.map(typePhrase).join(" or ")}, not ${typePhrase(actual)}`));
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => jsonEqual(allowed, value))) {
    const listed = schema.enum.slice(0, MAX_LISTED_ENUM_VALUES).map((allowed) => preview(allowed)).join(", ");
    const more = schema.enum.length > MAX_LISTED_ENUM_VALUES ? `, … (${schema.enum.length} values)` : "";
    errors.push(error(path, "enum", `must be one of ${listed}${more}`));
  }
  if (Object.hasOwn(schema, "const") && !jsonEqual(schema.const, value)) {
    errors.push(error(path, "const", `must be equal to ${preview(schema.const)}`));
  }
  return errors;
}

/** minimum, maximum, exclusiveMinimum, exclusiveMaximum (number or draft-04 boolean), multipleOf. */
export function checkNumberKeywords(schema: JsonObject, value: number, path: string): SchemaError[] {
  const errors: SchemaError[] = [];
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
  if (typeof minimum === "number") {
    // Draft-04 spelled "strictly greater" as `exclusiveMinimum: true` beside `minimum`.
    if (exclusiveMinimum === true) {
      if (!(value > minimum)) errors.push(error(path, "minimum", `must be > ${minimum}`));
    } else if (!(value >= minimum)) errors.push(error(path, "minimum", `must be >= ${minimum}`));
  }
  if (typeof maximum === "number") {
    if (exclusiveMaximum === true) {
      if (!(value < maximum)) errors.push(error(path, "maximum", `must be < ${maximum}`));
    } else if (!(value <= maximum)) errors.push(error(path, "maximum", `must be <= ${maximum}`));
  }
  if (typeof exclusiveMinimum === "number" && !(value > exclusiveMinimum)) {
    errors.push(error(path, "exclusiveMinimum", `must be > ${exclusiveMinimum}`));
  }
  if (typeof exclusiveMaximum === "number" && !(value < exclusiveMaximum)) {
    errors.push(error(path, "exclusiveMaximum", `must be < ${exclusiveMaximum}`));
  }
  if (typeof multipleOf === "number" && multipleOf > 0 && !isMultipleOf(value, multipleOf)) {
    errors.push(error(path, "multipleOf", `must be a multiple of ${multipleOf}`));
  }
  return errors;
}

/** minLength and maxLength (in code points), pattern (Unicode, unanchored), format. */
export function checkStringKeywords(schema: JsonObject, value: string, path: string): SchemaError[] {
  const errors: SchemaError[] = [];
  const { minLength, maxLength, pattern, format } = schema;
  if (typeof minLength === "number" || typeof maxLength === "number") {
    const length = codePointLength(value);
    if (typeof minLength === "number" && length < minLength) {
      errors.push(error(path, "minLength", `must be at least ${minLength} character${minLength === 1 ? "" : "s"} long`));
    }
    if (typeof maxLength === "number" && length > maxLength) {
      errors.push(error(path, "maxLength", `must be at most ${maxLength} character${maxLength === 1 ? "" : "s"} long`));
    }
  }
  if (typeof pattern === "string") {
    const regex = compilePattern(pattern);
    if (regex === null) {
      errors.push(error(path, "pattern", `cannot be checked: the schema's pattern ${preview(pattern)} is not a valid regular expression`));
    } else if (!regex.test(value)) {
      errors.push(error(path, "pattern", `must match the pattern ${JSON.stringify(pattern)}`));
    }
  }
  if (typeof format === "string") {
    const expected = formatViolation(format, value);
    if (expected !== undefined) errors.push(error(path, "format", `must be ${expected}`));
  }
  return errors;
}
