/**
 * A JSON-Schema validator for model output (no dependencies): the draft 2020-12 and
 * draft-07 keywords people use to describe structured answers, with errors as JSON
 * Pointer paths and plain-words messages that can be sent back to the model.
 *
 * Supported: type (one or a list; integer vs number), enum, const, properties, required,
 * additionalProperties, patternProperties, propertyNames, min/maxProperties,
 * dependentRequired, dependentSchemas, dependencies; items, prefixItems, draft-07
 * array-form items with additionalItems, min/maxItems, uniqueItems, contains,
 * min/maxContains; min/maxLength (code points), pattern (Unicode); minimum, maximum,
 * exclusiveMinimum/Maximum (numbers, or the draft-04 booleans), multipleOf (decimal-exact:
 * 19.99 is a multiple of 0.01); allOf, anyOf, oneOf, not, if/then/else; `$ref` inside the
 * document (`#`, `#/$defs/…`, `#/definitions/…`, any JSON Pointer), cycle-safe; format
 * date, date-time, email, uri; boolean schemas. Keywords beside `$ref` apply, except
 * under a draft-07-or-older `$schema`. Not supported: unevaluated*, $dynamicRef, remote
 * `$ref`s, `$anchor` (checkSchema reports them); `nullable` is not standard and ignored.
 */
import type { SchemaError } from "./json-schema-types.ts";
import { SchemaValidator } from "./json-schema-validator.ts";

export { checkSchema, type SchemaProblem } from "./json-schema-check.ts";
export { CHECKED_FORMATS } from "./json-schema-formats.ts";
export type { JsonSchema, SchemaError } from "./json-schema-types.ts";

/**
 * Every way `value` fails `schema` (a `JsonSchema`, typically parsed from YAML or JSON);
 * an empty list when it conforms. The schema is assumed usable (see `checkSchema`);
 * parts of it that are not schemas are ignored.
 */
export function validateJson(schema: unknown, value: unknown): SchemaError[] {
  return new SchemaValidator(schema).validate(schema, value, "");
}

/** "at /age: must be >= 0"; the whole value is "at the top level". */
export function describeSchemaError(error: SchemaError): string {
  return `at ${error.path === "" ? "the top level" : error.path}: ${error.message}`;
}

/**
 * The errors as lines for a re-ask ("- at /age: must be >= 0"), at most `limit` of them
 * (default 20) followed by "… and N more".
 */
export function describeSchemaErrors(errors: readonly SchemaError[], limit = 20): string {
  const lines = errors.slice(0, limit).map((error) => `- ${describeSchemaError(error)}`);
  if (errors.length > limit) lines.push(`- … and ${errors.length - limit} more`);
  return lines.join("\n");
}
