import type { InputSpec, InputType } from "../model/pipeline.ts";
import { floatJsonText, stringifyPyJson } from "../model/py-json.ts";
import { IntegralFloat, pyInt } from "../model/py-value.ts";
import { JsonSyntaxError, parseJson } from "./file-value-json.ts";

/** A coerced value, or what is wrong with it (a phrase that follows the shown value). */
export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

/** The scalar types a command-line string is coerced to; `file` and `http` are handled by the resolver. */
export type ScalarInputType = Exclude<InputType, "file" | "http">;

const TRUE_WORDS = new Set(["true", "yes", "1"]);
const FALSE_WORDS = new Set(["false", "no", "0"]);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const ok = (value: unknown): Coerced => ({ ok: true, value });
const refuse = (problem: string): Coerced => ({ ok: false, problem });

/**
 * Coerces a value to a declared scalar type. Strings (from the command line, from `--input`
 * or a default) are parsed: integer `"3"` → 3 (`"3.5"` refused), number `"2.5"`/`"1e3"`,
 * boolean `true/false/yes/no/1/0` in any case, list a JSON array or else comma-separated
 * items with whitespace trimmed and empty items dropped (`""` → `[]`). Values that already
 * have a type keep it when it fits (`3` for integer, `[…]` for list, `1`/`0` for boolean);
 * a number or boolean given for a string becomes its text; anything else is refused.
 * As in Python: an integer has no size limit (a bigint beyond 2^53), and a number is a
 * float (`3` given for a number is `3.0`). None (`null`) is handled by the caller.
 */
export function coerceValue(type: ScalarInputType, value: unknown): Coerced {
  switch (type) {
    case "string":
      if (typeof value === "string") return ok(value);
      if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
        return ok(String(value));
      if (value instanceof IntegralFloat) return ok(floatJsonText(value.value));
      return refuse(`is not a string (it is ${kindOf(value)})`);
    case "integer":
      if (typeof value === "number")
        return Number.isInteger(value)
          ? ok(Number.isSafeInteger(value) ? value : pyInt(BigInt(value)))
          : refuse("is not an integer");
      if (typeof value === "bigint") return ok(pyInt(value));
      if (value instanceof IntegralFloat) return ok(pyInt(BigInt(value.value)));
      if (typeof value === "string") return integerFrom(value.trim());
      return refuse(`is not an integer (it is ${kindOf(value)})`);
    case "number":
      if (typeof value === "number")
        return Number.isFinite(value) ? ok(pyFloat(value)) : refuse("is not a finite number");
      if (value instanceof IntegralFloat) return ok(value);
      if (typeof value === "bigint")
        return Number.isFinite(Number(value))
          ? ok(pyFloat(Number(value)))
          : refuse("is too large for a number (a float)");
      if (typeof value === "string" && NUMBER.test(value.trim())) {
        const n = Number(value.trim());
        return Number.isFinite(n) ? ok(pyFloat(n)) : refuse("is too large for a number (a float)");
      }
      return refuse(typeof value === "string" ? "is not a number" : `is not a number (it is ${kindOf(value)})`);
    case "boolean":
      if (typeof value === "boolean") return ok(value);
      if (value === 1 || value === 0) return ok(value === 1);
      if (typeof value === "string" || typeof value === "number") {
        const word = String(value).trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return ok(true);
        if (FALSE_WORDS.has(word)) return ok(false);
      }
      return refuse("is not a boolean (use true/false, yes/no or 1/0)");
    case "list":
      if (Array.isArray(value)) return ok(value);
      if (typeof value === "string") return listFrom(value);
      return refuse(`is not a list (it is ${kindOf(value)}); give a JSON array or comma-separated items`);
  }
}

/** A float as Python has it: integral values boxed (`3.0`). */
function pyFloat(n: number): number | IntegralFloat {
  return Number.isInteger(n) ? new IntegralFloat(n) : n;
}

function integerFrom(text: string): Coerced {
  if (!INTEGER.test(text))
    return refuse(
      NUMBER.test(text) ? "is not an integer (it has a fractional part or an exponent)" : "is not an integer",
    );
  return ok(pyInt(BigInt(text.startsWith("+") ? text.slice(1) : text)));
}

function listFrom(text: string): Coerced {
  const trimmed = text.trim();
  if (trimmed === "") return ok([]);
  if (trimmed.startsWith("[")) {
    // A value that starts like a JSON array is never split on commas: a typo should not become two odd items.
    try {
      const parsed = parseJson(trimmed);
      if (Array.isArray(parsed)) return ok(parsed);
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        return refuse(`is not a valid JSON array (${error.reason}, at column ${error.col}); write ["a", "b"] or a, b`);
      }
      throw error;
    }
  }
  return ok(
    trimmed
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );
}

/** `minimum`/`maximum` of integer and number inputs, or undefined when the value is within them. */
export function checkRange(spec: InputSpec, value: unknown): string | undefined {
  if (spec.type !== "integer" && spec.type !== "number") return undefined;
  const n =
    typeof value === "number" || typeof value === "bigint"
      ? value
      : value instanceof IntegralFloat
        ? value.value
        : undefined;
  if (n === undefined) return undefined;
  const shown = stringifyPyJson(value);
  if (spec.minimum !== undefined && n < spec.minimum) return `${shown} is below the minimum of ${spec.minimum}`;
  if (spec.maximum !== undefined && n > spec.maximum) return `${shown} is above the maximum of ${spec.maximum}`;
  return undefined;
}

/** "a list", "an object", … for messages. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "bigint" || value instanceof IntegralFloat) return "a number";
  if (typeof value === "boolean") return "a boolean";
  return "a string";
}

/** A value as a message shows it: JSON, cut to a readable length; bytes as their count. */
export function showValue(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  const text = value === undefined ? "undefined" : stringifyPyJson(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
