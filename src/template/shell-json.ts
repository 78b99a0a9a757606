/**
 * Python's `json.dumps(value)` with its defaults — separators `", "` and `": "`, keys in
 * insertion order, `ensure_ascii=True` (every character outside printable ASCII as
 * `\uXXXX`, astral ones as a surrogate pair), `NaN` / `Infinity`, floats as Python's
 * `repr` (`2.0`). Shell commands write lists and dicts this way: it is the text the
 * Python tool passed to scripts, which may parse it.
 */
import { floatRepr, intText } from "./py-number.ts";
import { undefinedFault } from "./to-text.ts";
import { IntegralFloat, RawValue, Undefined, isDict } from "./values.ts";

const SHORT: Record<number, string> = { 0x22: '\\"', 0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0c: "\\f" };

/** A JSON string literal with `ensure_ascii`: UTF-16 code units above `~` as `\uXXXX`, as Python does. */
function asciiString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const short = SHORT[c];
    if (short) out += short;
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else out += `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

function jsonNumber(n: number): string {
  if (Number.isInteger(n)) return intText(n);
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return floatRepr(n);
}

/** `json.dumps(value)` as Python writes it with its default arguments. */
export function pyJsonText(value: unknown): string {
  if (typeof value === "string") return asciiString(value);
  if (typeof value === "number") return jsonNumber(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null || value === undefined) return "null";
  if (value instanceof IntegralFloat) return floatRepr(value.value);
  if (value instanceof Undefined) {
    if (value.lenient) return "null";
    throw undefinedFault(value);
  }
  if (value instanceof RawValue) return pyJsonText(value.value);
  if (Array.isArray(value)) return `[${value.map(pyJsonText).join(", ")}]`;
  if (isDict(value)) {
    const parts: string[] = [];
    for (const key of Object.keys(value)) if (value[key] !== undefined) parts.push(`${asciiString(key)}: ${pyJsonText(value[key])}`);
    return `{${parts.join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
