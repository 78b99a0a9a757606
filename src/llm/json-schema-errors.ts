/**
 * Ajv's errors in our words: one `SchemaError` per problem, with a JSON Pointer into the
 * value and a message that completes "at <path>: …" ("must be >= 0"), so it can be sent
 * back to the model. The errors Ajv keeps from inside a failed anyOf/oneOf/contains/
 * propertyNames are replaced by one explanation.
 */
import type { CompiledSchema, ErrorObject } from "./json-schema-ajv.ts";
import type { SchemaError } from "./json-schema-types.ts";
import { isJsonObject, jsonTypeOf, preview, typePhrase } from "./json-schema-values.ts";

const MAX_LISTED_ENUM_VALUES = 10;

/** What a string must be for the formats with a message of their own; others read "must be a valid <format>". */
const FORMAT_DESCRIPTIONS: Record<string, string> = {
  date: "a valid date (YYYY-MM-DD)",
  "date-time": "a valid date-time (RFC 3339, e.g. 2024-05-01T12:30:00Z)",
  time: "a valid time (RFC 3339, e.g. 12:30:00Z)",
  email: "a valid email address",
  uri: "a valid URI with a scheme (e.g. https://example.com)",
  uuid: "a valid UUID",
  ipv4: "a valid IPv4 address",
  ipv6: "a valid IPv6 address",
};

/** Output in the making: the errors made from a run of Ajv's raw errors, and how many raw errors they stand for. */
interface Piece {
  errors: SchemaError[];
  raw: number;
}

/** Our errors for Ajv's raw ones; `prefix` is the path of the value the raw errors were made for. */
export function translateErrors(raw: readonly ErrorObject[], compiled: CompiledSchema, prefix = ""): SchemaError[] {
  const pieces: Piece[] = [];
  for (const error of raw) {
    const path = prefix + error.instancePath;
    if (error.keyword === "anyOf" || error.keyword === "oneOf")
      pieces.push(explainCombinator(error, path, compiled, pieces));
    else if (error.keyword === "contains") pieces.push(explainContains(error, path, compiled, pieces));
    else if (error.keyword === "if" || (error.propertyName !== undefined && error.keyword !== "propertyNames")) {
      // "must match the then schema" repeats the errors of `then`; a property name's own errors are summed up below.
      pieces.push({ errors: [], raw: 1 });
    } else pieces.push({ errors: [{ path, keyword: keywordOf(error), message: messageOf(error) }], raw: 1 });
  }
  return pieces.flatMap((piece) => piece.errors);
}

/** Removes the last pieces that stand for `count` raw errors (the ones Ajv kept from a composite keyword). */
function dropRaw(pieces: Piece[], count: number): void {
  let dropped = 0;
  while (dropped < count && pieces.length > 0) dropped += pieces.pop()!.raw;
}

function explainCombinator(error: ErrorObject, path: string, compiled: CompiledSchema, pieces: Piece[]): Piece {
  const branches = Array.isArray(error.schema) ? error.schema : [];
  const at = `${compiled.pointerOf(error.parentSchema) ?? ""}/${error.keyword}`;
  const outcomes = branches.map((_, index) => compiled.validateAt(`${at}/${index}`, error.data));
  const raw = outcomes.reduce((sum, branchErrors) => sum + branchErrors.length, 0);
  dropRaw(pieces, raw);
  const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (Array.isArray(passing)) {
    const which = passing.map((index) => `#${index + 1}`).join(" and ");
    return {
      raw: raw + 1,
      errors: [
        {
          path,
          keyword: "oneOf",
          message: `must match exactly one of the oneOf alternatives, but matches ${passing.length} (${which})`,
        },
      ],
    };
  }
  const explained = outcomes.map((branchErrors) => translateErrors(branchErrors, compiled, path));
  return { raw: raw + 1, errors: explainNoMatch(error.keyword as "anyOf" | "oneOf", explained, path) };
}

function explainContains(error: ErrorObject, path: string, compiled: CompiledSchema, pieces: Piece[]): Piece {
  const items = Array.isArray(error.data) ? error.data : [];
  const schema = isJsonObject(error.parentSchema) ? error.parentSchema : {};
  const min = typeof schema.minContains === "number" ? schema.minContains : 1;
  const max = typeof schema.maxContains === "number" ? schema.maxContains : undefined;
  const at = `${compiled.pointerOf(error.parentSchema) ?? ""}/contains`;
  // Ajv keeps the errors of the items that do not match, up to where it stopped (one match past maxContains).
  let matches = 0;
  let raw = 0;
  let stopped = false;
  for (const item of items) {
    const itemErrors = compiled.validateAt(at, item);
    if (itemErrors.length === 0) {
      matches++;
      if (max !== undefined && matches > max) stopped = true;
    } else if (!stopped) raw += itemErrors.length;
  }
  dropRaw(pieces, raw);
  const found = `matching the "contains" schema (found ${matches})`;
  const errors: SchemaError[] =
    matches < min
      ? [{ path, keyword: "contains", message: `must contain at least ${plural(min, "item")} ${found}` }]
      : [{ path, keyword: "maxContains", message: `must contain at most ${plural(max ?? 0, "item")} ${found}` }];
  return { errors, raw: raw + 1 };
}

/** The keyword we report: Ajv's, with draft-07 `dependencies` (name lists) as `dependentRequired` and the false schema as `false`. */
function keywordOf(error: ErrorObject): string {
  if (error.keyword === "dependencies") return "dependentRequired";
  if (error.keyword === "false schema") return "false";
  return error.keyword;
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const limit = Number(params.limit);
  switch (error.keyword) {
    case "type": {
      const types = (Array.isArray(error.schema) ? error.schema : [error.schema]).map(String);
      return `must be ${types.map(typePhrase).join(" or ")}, not ${typePhrase(jsonTypeOf(error.data) ?? typeof error.data)}`;
    }
    case "enum": {
      const allowed = Array.isArray(error.schema) ? error.schema : [];
      const more = allowed.length > MAX_LISTED_ENUM_VALUES ? `, … (${allowed.length} values)` : "";
      return `must be one of ${allowed
        .slice(0, MAX_LISTED_ENUM_VALUES)
        .map((value) => preview(value))
        .join(", ")}${more}`;
    }
    case "const":
      return `must be equal to ${preview(error.schema)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case "formatMinimum":
    case "formatMaximum":
    case "formatExclusiveMinimum":
    case "formatExclusiveMaximum":
      return `must be ${String(params.comparison)} ${JSON.stringify(params.limit)}`;
    case "multipleOf":
      return `must be a multiple of ${String(error.schema)}`;
    case "minLength":
      return `must be at least ${plural(limit, "character")} long`;
    case "maxLength":
      return `must be at most ${plural(limit, "character")} long`;
    case "pattern":
      return `must match the pattern ${JSON.stringify(params.pattern)}`;
    case "format":
      return `must be ${FORMAT_DESCRIPTIONS[String(params.format)] ?? `a valid ${String(params.format)}`}`;
    case "minItems":
      return `must have at least ${plural(limit, "item")}`;
    case "maxItems":
    case "items": // `items: false` after prefixItems
    case "additionalItems":
    case "unevaluatedItems":
      return `must have at most ${plural(limit, "item")}`;
    case "uniqueItems":
      return `must not contain duplicates (items ${String(params.j)} and ${String(params.i)} are equal)`;
    case "required":
      return `must have required property ${JSON.stringify(params.missingProperty)}`;
    case "minProperties":
      return `must have at least ${plural(limit, "property", "properties")}`;
    case "maxProperties":
      return `must have at most ${plural(limit, "property", "properties")}`;
    case "additionalProperties":
      return `must not have property ${JSON.stringify(params.additionalProperty)} (the schema does not allow additional properties)`;
    case "unevaluatedProperties":
      return `must not have property ${JSON.stringify(params.unevaluatedProperty)} (the schema does not allow unevaluated properties)`;
    case "dependentRequired":
    case "dependencies":
      return `must have property ${JSON.stringify(params.missingProperty)} when ${JSON.stringify(params.property)} is present`;
    case "propertyNames":
      return `has a property name that is not allowed: ${preview(params.propertyName)}`;
    case "not":
      return 'must not match the schema given in "not"';
    case "false schema":
      return "is not allowed here (the schema accepts no value)";
    default:
      return error.message ?? `fails the "${error.keyword}" keyword`;
  }
}

/** Errors that say the value's kind is wrong at the path itself (not deeper). */
function isShapeMismatch(error: SchemaError, path: string): boolean {
  return (
    error.path === path &&
    (error.keyword === "type" || error.keyword === "const" || error.keyword === "enum" || error.keyword === "false")
  );
}

/**
 * Explains an anyOf/oneOf with no matching alternative. When exactly one alternative has
 * the right shape (its errors are deeper, or about bounds), its errors are the useful
 * ones; when every alternative failed with one error, they are listed; otherwise a
 * summary.
 */
function explainNoMatch(keyword: "anyOf" | "oneOf", outcomes: SchemaError[][], path: string): SchemaError[] {
  const plausible = outcomes.filter((branchErrors) => !branchErrors.some((e) => isShapeMismatch(e, path)));
  if (plausible.length === 1) return plausible[0]!;
  const single = outcomes.every((branchErrors) => branchErrors.length === 1 && branchErrors[0]!.path === path);
  if (single) {
    const reasons = outcomes.map((branchErrors) => branchErrors[0]!.message);
    // "must be a string, not an integer" ×2 → "must be a string or null, not an integer".
    const typeReasons = reasons.map((reason) => TYPE_REASON.exec(reason));
    if (typeReasons.every((match) => match !== null)) {
      const expected = unique(typeReasons.map((match) => match[1]!)).join(" or ");
      return [{ path, keyword, message: `must be ${expected}, not ${typeReasons[0]![2]}` }];
    }
    return [{ path, keyword, message: unique(reasons).join(", or ") }];
  }
  const what = keyword === "anyOf" ? "at least one" : "exactly one";
  return [
    {
      path,
      keyword,
      message: `must match ${what} of the ${outcomes.length} ${keyword} alternatives, but matches none`,
    },
  ];
}

const TYPE_REASON = /^must be (.+), not (.+)$/;

function unique(texts: string[]): string[] {
  return [...new Set(texts)];
}
