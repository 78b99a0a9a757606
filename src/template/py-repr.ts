/** Python's `repr()` of template values: what `%r`, `{!r}` and `pprint` print. */
import { toText } from "./to-text.ts";
import { RawValue, isDict } from "./values.ts";

const PRINTABLE = /[^\p{C}\p{Z}]|[ ]/u;

/** `repr(s)`: single quotes unless the text has one and no double quote; escapes as Python writes them. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of s) {
    if (c === quote || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (PRINTABLE.test(c)) out += c;
    else {
      const code = c.codePointAt(0)!;
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, "0")}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
      else out += `\\U${code.toString(16).padStart(8, "0")}`;
    }
  }
  return out + quote;
}

/** `repr(v)`: lists as `[1, 'a']`, dicts as `{'k': 1.0}`; other values as `str()` writes them (`None`, `True`, `2.0`). */
export function pyRepr(v: unknown): string {
  if (typeof v === "string") return strRepr(v);
  if (v instanceof RawValue) return pyRepr(v.value);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (isDict(v)) {
    const parts: string[] = [];
    for (const k of Object.keys(v)) if (v[k] !== undefined) parts.push(`${strRepr(k)}: ${pyRepr(v[k])}`);
    return `{${parts.join(", ")}}`;
  }
  return toText(v);
}

/** `ascii(v)`: repr with every non-ASCII character escaped. */
export function pyAscii(v: unknown): string {
  return pyRepr(v).replace(/[^\x00-\x7f]/gu, (c) => {
    const code = c.codePointAt(0)!;
    if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
    if (code < 0x10000) return `\\u${code.toString(16).padStart(4, "0")}`;
    return `\\U${code.toString(16).padStart(8, "0")}`;
  });
}
