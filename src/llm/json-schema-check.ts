/**
 * Load-time checks of a JSON Schema itself (a step's `schema:`), so a mistake in the
 * schema is reported before any model is called rather than as a puzzling validation
 * failure later. Ajv judges: the schema against its draft's meta-schema, then a compile;
 * this file says what is wrong in our words, at the JSON Pointer where it is written.
 */
import { closest } from "../errors/did-you-mean.ts";
import { type Draft, type ErrorObject, compileSchema, draftOf } from "./json-schema-ajv.ts";
import { lintSchema, refLocations } from "./json-schema-lint.ts";
import {
  JSON_TYPE_NAMES,
  isJsonObject,
  jsonTypeOf,
  pointerChild,
  typePhrase,
  unescapePointerToken,
} from "./json-schema-values.ts";
import { valueAt } from "./json-schema-walk.ts";

/** A problem with a schema; `path` is a JSON Pointer into the schema. */
export interface SchemaProblem {
  path: string;
  message: string;
}

const COUNT_KEYWORDS = [
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minContains",
  "maxContains",
];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const TYPE_ALIASES: Record<string, string> = {
  int: "integer",
  float: "number",
  double: "number",
  decimal: "number",
  str: "string",
  text: "string",
  bool: "boolean",
  list: "array",
  dict: "object",
  map: "object",
  none: "null",
  nil: "null",
};

/**
 * Problems with `schema` itself: not a schema (object or boolean), unknown `type` names,
 * a bad `required`, negative counts, patterns that do not compile, `$ref`s that do not
 * resolve inside the document, and likely typos of keywords. Empty when it is usable.
 */
export function checkSchema(schema: unknown): SchemaProblem[] {
  if (typeof schema === "boolean") return [];
  if (!isJsonObject(schema)) return [{ path: "", message: notASchema(schema) }];
  const draft = draftOf(schema);
  const problems = [...metaSchemaProblems(draft, schema), ...lintSchema(draft, schema)];
  if (problems.length === 0) problems.push(...compileProblems(schema));
  const seen = new Set<string>();
  return problems.filter((problem) => !seen.has(problem.path) && seen.add(problem.path));
}

function notASchema(value: unknown): string {
  return `must be a schema (an object such as {"type": "string"}, or true/false), not ${typePhrase(jsonTypeOf(value) ?? typeof value)}`;
}

type MetaValidator = ((schema: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * The draft's meta-schema validator, compiled ahead of time by scripts/meta-validators.ts
 * (compiling one here would cost every start some 50 ms); loaded on first use.
 */
function metaValidator(draft: Draft): MetaValidator {
  type Module = { default: MetaValidator };
  switch (draft) {
    case "draft-04":
      return (require("./meta-validators/draft-04.js") as Module).default;
    case "draft-07":
      return (require("./meta-validators/draft-07.js") as Module).default;
    case "2019-09":
      return (require("./meta-validators/2019-09.js") as Module).default;
    case "2020-12":
      return (require("./meta-validators/2020-12.js") as Module).default;
  }
}

/** The meta-schema's errors, one problem per place (the deepest places only: they say the most). */
function metaSchemaProblems(draft: Draft, schema: unknown): SchemaProblem[] {
  const meta = metaValidator(draft);
  if (meta(schema)) return [];
  const byPlace = new Map<string, ErrorObject[]>();
  for (const error of meta.errors ?? []) {
    const params = error.params as { property?: string; propertyName?: string };
    // draft-04: `exclusiveMinimum: true` needs `minimum` ("dependencies" on the schema object).
    const place =
      error.keyword === "dependencies" && params.property
        ? pointerChild(error.instancePath, params.property)
        : error.instancePath;
    byPlace.set(place, [...(byPlace.get(place) ?? []), error]);
  }
  const places = [...byPlace.keys()];
  return places
    .filter((place) => !places.some((other) => other !== place && other.startsWith(`${place}/`)))
    .map((place) => ({ path: place, message: describeMetaErrors(schema, place, byPlace.get(place)!) }));
}

function describeMetaErrors(root: unknown, place: string, errors: ErrorObject[]): string {
  const tokens = place.split("/").slice(1).map(unescapePointerToken);
  const keyword = tokens.at(-1) ?? "";
  const parent = tokens.at(-2) ?? "";
  const value = valueAt(root, place);
  const failed = (name: string) => errors.some((error) => error.keyword === name);
  const wantsSchema = errors.some((error) => error.keyword === "type" && [error.params.type].flat().includes("object"));
  if (keyword === "type" || parent === "type") return describeType(value, failed("uniqueItems"));
  if (parent === "required") return "must be a property name, as a string";
  if (keyword === "required") {
    if (typeof value === "boolean")
      return "must be an array of property names, listed in the object's schema (not true/false on the property)";
    return failed("uniqueItems") ? "must not list a property twice" : "must be an array of property names";
  }
  if (COUNT_KEYWORDS.includes(keyword)) return "must be a whole number >= 0";
  if (keyword === "multipleOf") return "must be a number > 0";
  if (keyword === "minimum" || keyword === "maximum") return "must be a number";
  if (keyword === "exclusiveMinimum" || keyword === "exclusiveMaximum") {
    const bound = keyword === "exclusiveMinimum" ? "minimum" : "maximum";
    if (failed("dependencies"))
      return `as true/false (draft-04) needs "${bound}" beside it; give the bound as a number instead`;
    if (typeof value === "boolean")
      return 'must be a number (true/false is draft-04: say so with "$schema": "http://json-schema.org/draft-04/schema#")';
    return "must be a number";
  }
  if (keyword === "pattern") return "must be a regular expression, as a string";
  if (keyword === "format") return 'must be a string such as "date", "date-time", "email" or "uri"';
  if (keyword === "items" && Array.isArray(value)) {
    return 'as a list of schemas is draft-07; in draft 2020-12 write "prefixItems" (or say "$schema": "http://json-schema.org/draft-07/schema#")';
  }
  if (keyword === "$ref") return 'must be a string such as "#/$defs/item"';
  if (keyword === "enum") return "must be an array of the allowed values";
  if (keyword === "uniqueItems") return "must be true or false";
  if (SCHEMA_LISTS.includes(keyword))
    return failed("minItems") ? "must list at least one schema" : "must be an array of schemas";
  if (SCHEMA_MAPS.includes(keyword)) return "must be an object mapping names to schemas";
  if (keyword === "dependentRequired" || parent === "dependentRequired")
    return "must be an object mapping names to arrays of property names";
  if (wantsSchema) return notASchema(value);
  return errors[0]!.message ?? "is not valid here";
}

function describeType(value: unknown, listedTwice: boolean): string {
  if (listedTwice) return "must not list a type twice";
  if (Array.isArray(value))
    return value.length === 0
      ? "must name at least one type"
      : `must be a type name (${JSON_TYPE_NAMES.join(", ")}) or a list of them`;
  if (typeof value !== "string") return `must be a type name (${JSON_TYPE_NAMES.join(", ")})`;
  const suggestion = TYPE_ALIASES[value.toLowerCase()] ?? closest(value, JSON_TYPE_NAMES);
  const hint =
    suggestion !== undefined
      ? `did you mean ${JSON.stringify(suggestion)}?`
      : `expected one of ${JSON_TYPE_NAMES.join(", ")}`;
  return `unknown type ${JSON.stringify(value)}: ${hint}`;
}

/** What Ajv's compile refuses once the schema is valid: references it cannot resolve (anchors, ids, other documents). */
function compileProblems(schema: unknown): SchemaProblem[] {
  try {
    compileSchema(schema);
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const ref = /can't resolve reference (.+) from id/.exec(message)?.[1];
    if (ref === undefined) return [{ path: "", message: `cannot be compiled: ${message}` }];
    const problem = ref.startsWith("#")
      ? `${JSON.stringify(ref)} does not point to anything in the schema`
      : `only references inside the schema are supported (such as "#/$defs/item"), not ${JSON.stringify(ref)}`;
    const places = refLocations(schema, ref);
    return (places.length > 0 ? places : [""]).map((path) => ({ path, message: problem }));
  }
}
