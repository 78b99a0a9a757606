import { Kind, KindGuard, type TSchema } from "@sinclair/typebox";
import { DURATION, PIPELINE_NAME, STEP_NAME, VARIABLE_NAME } from "../spec/names.ts";

const PATTERN_WORDS: Record<string, string> = {
  [DURATION]: "a duration like 500ms, 2s, 1m or 1h",
  [STEP_NAME]: "a name of letters, digits, `_` and `-` that starts with a letter or `_`",
  [VARIABLE_NAME]: "a name of letters, digits and `_` that starts with a letter or `_`",
  [PIPELINE_NAME]: "a name of letters, digits, `.`, `_` and `-` that starts with a letter or digit",
};

const range = (schema: TSchema, noun: string): string => {
  const { minimum: min, maximum: max } = schema as { minimum?: number; maximum?: number };
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (min !== undefined) return `${noun} of at least ${min}`;
  if (max !== undefined) return `${noun} of at most ${max}`;
  return noun;
};

/** What a schema accepts, in words: "an integer from 0 to 10", "one of fixed, exponential". */
export function expectation(schema: TSchema): string {
  switch (schema[Kind]) {
    case "Integer":
      return range(schema, "an integer");
    case "Number":
      return range(schema, "a number");
    case "Boolean":
      return "true or false";
    case "Null":
      return "empty";
    case "String": {
      const pattern = (schema as { pattern?: string }).pattern;
      if (pattern) return PATTERN_WORDS[pattern] ?? `a string matching ${pattern}`;
      return "a string";
    }
    case "Literal":
      return KindGuard.IsLiteral(schema) ? JSON.stringify(schema.const) : "a value";
    case "Array":
      return "a list";
    case "Object":
    case "Record":
      return "a mapping";
    case "Union": {
      const branches: TSchema[] = KindGuard.IsUnion(schema) ? schema.anyOf : [];
      if (branches.some((b) => (b as { pattern?: string }).pattern === DURATION))
        return `${PATTERN_WORDS[DURATION]} (a bare number is seconds)`;
      const listOf = branches.find(KindGuard.IsArray);
      const single = branches.find(KindGuard.IsString);
      if (
        branches.length === 2 &&
        listOf &&
        single &&
        (listOf.items as { pattern?: string }).pattern === single.pattern &&
        single.pattern === STEP_NAME
      ) {
        return "a step name or a list of step names";
      }
      if (branches.every(KindGuard.IsLiteral)) {
        return `one of ${branches.map((b) => String(b.const)).join(", ")}`;
      }
      const words = [...new Set(branches.filter((b) => b[Kind] !== "Null").map(expectation))];
      return words.length <= 2 ? words.join(" or ") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
    }
    default:
      return "a value";
  }
}

/** A value as the user wrote it, for "got …": strings quoted, collections named. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
