/**
 * Plain-JSON helpers shared by the JSON-Schema validator: the JSON type of a value,
 * JSON equality, pointer building, code-point lengths, cached regular expressions and
 * a float-tolerant multipleOf.
 */

/** The seven JSON-Schema type names; `integer` is a number with no fractional part. */
export const JSON_TYPE_NAMES = ["null", "boolean", "object", "array", "number", "integer", "string"] as const;

/** One of the JSON-Schema type names. */
export type JsonTypeName = (typeof JSON_TYPE_NAMES)[number];

/** A JSON object (not an array, not null). */
export type JsonObject = { [key: string]: unknown };

/** True for plain objects (JSON objects): not arrays, not null. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, `integer` for whole numbers; undefined for non-JSON values. */
export function jsonTypeOf(value: unknown): JsonTypeName | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    case "object":
      return Array.isArray(value) ? "array" : "object";
    default:
      return undefined;
  }
}

/** Whether `value` has JSON-Schema type `type` (an integer is also a number). */
export function hasJsonType(value: unknown, type: string): boolean {
  const actual = jsonTypeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** "a string", "an integer", "null": the type name as a phrase for messages. */
export function typePhrase(type: string): string {
  if (type === "null") return "null";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * JSON equality as JSON Schema defines it for `enum`, `const` and `uniqueItems`:
 * objects compare by keys regardless of order, arrays element by element, and
 * `true` is not `1`.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const bObject = b as JsonObject;
  return aKeys.every((key) => Object.hasOwn(bObject, key) && jsonEqual((a as JsonObject)[key], bObject[key]));
}

/** Appends one reference token to a JSON Pointer, escaping `~` and `/` (RFC 6901). */
export function pointerChild(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/** Decodes one JSON Pointer reference token. */
export function unescapePointerToken(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** String length in Unicode code points (what minLength/maxLength count), not UTF-16 units. */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

const regexCache = new Map<string, RegExp | null>();

/**
 * The pattern compiled as a Unicode regular expression (`u` flag), cached; null when it
 * does not compile. Patterns are not anchored: they match anywhere, as JSON Schema says.
 */
export function compilePattern(pattern: string): RegExp | null {
  let compiled = regexCache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(pattern, "u");
    } catch {
      compiled = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

/** Digits after the decimal point in the shortest decimal form of `n` (1.25 → 2, 1e-7 → 7). */
function decimalPlaces(n: number): number {
  const [mantissa = "", exponent] = String(n).toLowerCase().split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/**
 * Whether `value` is an integer multiple of `divisor` (> 0). Decimal figures are compared
 * as decimals, so 19.99 is a multiple of 0.01 and 0.3 of 0.1, although their binary
 * quotients are not whole numbers.
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  const quotient = value / divisor;
  if (!Number.isFinite(quotient)) return false;
  if (Number.isInteger(quotient)) return true;
  const places = Math.max(decimalPlaces(value), decimalPlaces(divisor));
  if (places === 0 || places > 15) return false;
  const scale = 10 ** places;
  const scaledValue = Math.round(value * scale);
  const scaledDivisor = Math.round(divisor * scale);
  if (!Number.isSafeInteger(scaledValue) || !Number.isSafeInteger(scaledDivisor) || scaledDivisor === 0) return false;
  return scaledValue % scaledDivisor === 0;
}

/** A short JSON rendering of a value for messages, cut at `limit` characters. */
export function preview(value: unknown, limit = 40): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
