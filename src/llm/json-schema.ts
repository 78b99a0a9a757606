/**
 * JSON Schema for model output, with Ajv: `validateJson` lists every way an answer fails a
 * step's `schema:`, as JSON Pointer paths and plain-words messages that can be sent back to
 * the model; `checkSchema` finds the mistakes in a schema itself at load time.
 *
 * Drafts 2020-12 (the default), 2019-09, draft-07/06 and draft-04, by the root's `$schema`;
 * every keyword of the draft, `$ref`s inside the document (JSON Pointers, `$anchor`, `$id`),
 * and the formats of ajv-formats. Two choices of ours: `multipleOf` compares decimals
 * (19.99 is a multiple of 0.01), and `nullable` (OpenAPI, not JSON Schema) is ignored.
 * Ajv is loaded the first time a schema is checked.
 */
import { type CompiledSchema, compileSchema } from "./json-schema-ajv.ts";
import { translateErrors } from "./json-schema-errors.ts";
import type { SchemaError } from "./json-schema-types.ts";

export { checkSchema, type SchemaProblem } from "./json-schema-check.ts";
export type { JsonSchema, SchemaError } from "./json-schema-types.ts";

/**
 * Every way `value` fails `schema` (a `JsonSchema`, typically parsed from YAML or JSON);
 * an empty list when it conforms. The schema is assumed usable (see `checkSchema`); when it
 * is not, the one error says why it cannot be checked.
 */
export function validateJson(schema: unknown, value: unknown): SchemaError[] {
  // Ajv recurses without end (compiling or validating) on a $ref cycle that never descends into the value;
  // checkSchema refuses those at load time.
  let compiled: CompiledSchema;
  try {
    compiled = compileSchema(schema);
  } catch (error) {
    if (error instanceof RangeError) return uncheckable("$ref", NEVER_ENDS);
    const message = error instanceof Error ? error.message : String(error);
    const ref = /can't resolve reference (.+) from id/.exec(message)?.[1];
    if (ref !== undefined) return uncheckable("$ref", `the schema's $ref ${JSON.stringify(ref)} does not resolve`);
    return uncheckable("schema", message);
  }
  try {
    return translateErrors(compiled.validate(value), compiled);
  } catch (error) {
    if (error instanceof RangeError) return uncheckable("$ref", NEVER_ENDS);
    throw error;
  }
}

const NEVER_ENDS = "the schema's $refs lead back to themselves without descending into the value";

function uncheckable(keyword: string, why: string): SchemaError[] {
  return [{ path: "", keyword, message: `cannot be checked: ${why}` }];
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
