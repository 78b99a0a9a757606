import { RenderFault } from "./errors.ts";
import { floatRepr, intText } from "./py-number.ts";
import { compareStrings } from "./py-string.ts";
import { PyObject } from "./py-object.ts";
import { IntegralFloat, RawValue, Undefined, isDict } from "./values.ts";

/** The fault raised when an undefined value is used. */
export function undefinedFault(u: Undefined): RenderFault {
  return new RenderFault("undefined value used", u.site, u);
}

/**
 * Python's `str()` with one deliberate difference (SPEC docs/templates.md#how-values-are-rendered): lists and dicts become
 * compact JSON, not Python repr. Strings as-is, `True`/`False`, `None`, `5`, `5.0`.
 * Raises for an undefined value.
 */
export function toText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? intText(v) : floatRepr(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "None";
  if (v instanceof IntegralFloat) return floatRepr(v.value);
  if (v instanceof Undefined) {
    if (v.lenient) return "";
    throw undefinedFault(v);
  }
  if (v instanceof RawValue) return toText(v.value);
  if (v instanceof PyObject) return objectText(v);
  return compactJson(v);
}

/** An engine object (a namespace, a cycler, a macro) as text: its type, never its fields. */
function objectText(v: PyObject): string {
  return `<${v.typeName} object>`;
}

function jsonNumber(n: number): string {
  if (Number.isInteger(n)) return intText(n);
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return floatRepr(n);
}

/** How a JSON writer lays out text: separators and how a string is quoted. */
interface JsonStyle {
  readonly itemSep: string;
  readonly keySep: string;
  readonly quote: (s: string) => string;
}

/** Compact JSON (`[1,"a"]`), as text templates print lists and dicts. */
const COMPACT: JsonStyle = { itemSep: ",", keySep: ":", quote: (s) => JSON.stringify(s) };
/** Python's `json.dumps` defaults: `", "`, `": "`, `ensure_ascii` (`\u00e9`). */
const PYTHON_DUMPS: JsonStyle = { itemSep: ", ", keySep: ": ", quote: (s) => asciiString(s) };

/** JSON of a template value in `style`: keys in insertion order, floats as Python writes them (`2.0`). */
function jsonText(v: unknown, style: JsonStyle): string {
  if (typeof v === "string") return style.quote(v);
  if (typeof v === "number") return jsonNumber(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null || v === undefined) return "null";
  if (v instanceof IntegralFloat) return floatRepr(v.value);
  if (v instanceof Undefined) {
    if (v.lenient) return "null";
    throw undefinedFault(v);
  }
  if (v instanceof RawValue) return jsonText(v.value, style);
  if (Array.isArray(v)) return `[${v.map((item) => jsonText(item, style)).join(style.itemSep)}]`;
  if (isDict(v)) {
    const parts: string[] = [];
    for (const key of Object.keys(v))
      if (v[key] !== undefined) parts.push(`${style.quote(key)}${style.keySep}${jsonText(v[key], style)}`);
    return `{${parts.join(style.itemSep)}}`;
  }
  if (v instanceof PyObject) return style.quote(objectText(v));
  return JSON.stringify(v) ?? "null";
}

/** JSON without spaces, keys in insertion order, floats as Python writes them (`2.0`). */
export const compactJson = (v: unknown): string => jsonText(v, COMPACT);

/**
 * `json.dumps(value)` as Python writes it with its default arguments: how shell commands
 * write lists and dicts, the text the Python tool passed to scripts, which may parse it.
 */
export const pyJsonText = (v: unknown): string => jsonText(v, PYTHON_DUMPS);

function asciiString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else out += `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

/**
 * Python's `json.dumps(v, sort_keys=True, indent=indent)` (ensure_ascii on), which is
 * what Jinja's `tojson` calls before escaping `<`, `>`, `&` and `'`.
 */
export function pyJsonDumps(v: unknown, indent: string | null): string {
  const itemSep = indent === null ? ", " : ",";
  const walk = (value: unknown, depth: number): string => {
    if (typeof value === "string") return asciiString(value);
    if (typeof value === "number") return jsonNumber(value);
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "boolean") return value ? "true" : "false";
    if (value === null || value === undefined) return "null";
    if (value instanceof IntegralFloat) return floatRepr(value.value);
    if (value instanceof Undefined) throw undefinedFault(value);
    if (value instanceof RawValue) return walk(value.value, depth);
    const open = indent === null ? "" : `\n${indent.repeat(depth + 1)}`;
    const close = indent === null ? "" : `\n${indent.repeat(depth)}`;
    const sep = indent === null ? itemSep : `${itemSep}${open}`;
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      return `[${open}${value.map((item) => walk(item, depth + 1)).join(sep)}${close}]`;
    }
    if (isDict(value)) {
      const keys = Object.keys(value)
        .filter((k) => value[k] !== undefined)
        .sort(compareStrings);
      if (keys.length === 0) return "{}";
      return `{${open}${keys.map((k) => `${asciiString(k)}: ${walk(value[k], depth + 1)}`).join(sep)}${close}}`;
    }
    if (value instanceof PyObject) return asciiString(objectText(value));
    return JSON.stringify(value) ?? "null";
  };
  return walk(v, 0);
}
