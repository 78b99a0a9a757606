/**
 * Plain-JSON helpers shared by the JSON-Schema files: the JSON type of a value, JSON
 * Pointers, Unicode regular expressions, the decimal-exact multipleOf and short previews.
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

/** "a string", "an integer", "null": the type name as a phrase for messages. */
export function typePhrase(type: string): string {
  if (type === "null") return "null";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Appends one reference token to a JSON Pointer, escaping `~` and `/` (RFC 6901). */
export function pointerChild(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/** Decodes one JSON Pointer reference token. */
export function unescapePointerToken(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** Whether `pattern` compiles as a Unicode regular expression (`u` flag), as Ajv compiles it. */
export function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
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
