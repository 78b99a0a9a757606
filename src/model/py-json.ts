/**
 * Python-exact JSON: the one codec for every place a step's value is written as JSON or read
 * back (the python worker's wire in both directions, history rows, resume, `--format json`,
 * input files, `format: json` answers).
 *
 * Plain `JSON.parse` rounds `18446744073709551617` to a double and reads `40.0` as the int 40;
 * plain `JSON.stringify` throws on a bigint and writes a float 40.0 as `40`. Python's `json`
 * does neither, so a value that went python → aiorch → python came back changed. Here:
 * - ints of any size are bare JSON integers, read back as a number while safe, else a bigint
 *   (see `py-value.ts`); a JSON integer is never written with a `.` or an exponent;
 * - floats always carry a `.` or an exponent (`40.0`, `1e+16`), read back as floats
 *   (`IntegralFloat` when integral), as `json.dumps`/`json.loads` do;
 * - bytes are `{"$bytes": "<base64>"}` (read back as a `Uint8Array` when asked).
 *
 * Speed: the engine's JSON traffic is mostly small ints, non-integral floats and strings, which
 * the native `JSON.parse`/`JSON.stringify` get right on their own. The exact path (a reviver
 * that reads each number's source text; a replacer that writes `JSON.rawJSON`) runs only when
 * a cheap test says it may matter: a long digit run, a number with `.0` or an exponent in the
 * text; a bigint, integral float or bytes found by one walk of the value.
 */
import { IntegralFloat, pyInt } from "./py-value.ts";

/** The key of the one-key object that stands for bytes. */
export const BYTES_TAG = "$bytes";
const BYTES_MARKER = `"${BYTES_TAG}"`;

/**
 * Whether JSON text holds a number that plain `JSON.parse` may get wrong: an integer part of
 * 16+ digits (2^53 has 16), a fraction of only zeros (`40.0`), or an exponent (`1e+16` may be
 * integral). One pass: strings are skipped with `indexOf` (native speed) and only number
 * tokens are looked at, so ordinary floats (`0.14285714285714285`) and long strings keep the
 * fast path.
 */
export function mayNeedExact(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string: find its closing quote (one not escaped by an odd run of backslashes).
      let end = text.indexOf('"', i + 1);
      while (end > 0) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end < 0) return false; // not JSON: JSON.parse reports it
      i = end + 1;
    } else if (isDigit(c)) {
      const start = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (i - start >= 16) return true;
      let d = text.charCodeAt(i);
      if (d === 0x2e) {
        i++;
        let zeros = true;
        while (i < n && isDigit((d = text.charCodeAt(i)))) {
          if (d !== 0x30) zeros = false;
          i++;
        }
        if (zeros) return true;
        d = text.charCodeAt(i);
      }
      if (d === 0x65 || d === 0x45) return true;
    } else i++;
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const NOT_INTEGER_TEXT = /[.eE]/;

/** `JSON.rawJSON` (ES2025; in Bun, not yet in TypeScript's lib). */
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

interface SourceContext {
  source?: string;
}

function exactNumber(value: number, context: SourceContext | undefined): unknown {
  const source = context?.source;
  if (source === undefined) return value;
  if (NOT_INTEGER_TEXT.test(source)) return Number.isInteger(value) ? new IntegralFloat(value) : value;
  return Number.isSafeInteger(value) ? value : pyInt(BigInt(source));
}

function bytesOf(value: object): Uint8Array | undefined {
  if (Array.isArray(value)) return undefined;
  const b64 = (value as Record<string, unknown>)[BYTES_TAG];
  if (typeof b64 !== "string" || Object.keys(value).length !== 1) return undefined;
  return new Uint8Array(Buffer.from(b64, "base64"));
}

function reviveNumbers(_key: string, value: unknown, context?: SourceContext): unknown {
  return typeof value === "number" ? exactNumber(value, context) : value;
}

function reviveBytes(_key: string, value: unknown): unknown {
  return value !== null && typeof value === "object" ? (bytesOf(value) ?? value) : value;
}

function reviveBoth(_key: string, value: unknown, context?: SourceContext): unknown {
  if (typeof value === "number") return exactNumber(value, context);
  return value !== null && typeof value === "object" ? (bytesOf(value) ?? value) : value;
}

/** What `parsePyJson` does besides numbers. */
export interface PyJsonReadOptions {
  /** Read `{"$bytes": "<base64>"}` as bytes (default false: it stays a dict). */
  bytes?: boolean;
}

/**
 * `json.loads`: ints exact (a bigint beyond 2^53), `40.0` a float. Throws `SyntaxError` like
 * `JSON.parse`. The native parse alone when the text holds nothing that needs more.
 */
export function parsePyJson(text: string, options: PyJsonReadOptions = {}): unknown {
  const numbers = mayNeedExact(text);
  const bytes = options.bytes === true && text.includes(BYTES_MARKER);
  if (numbers)
    return JSON.parse(text, (bytes ? reviveBoth : reviveNumbers) as (key: string, value: unknown) => unknown);
  return bytes ? JSON.parse(text, reviveBytes) : JSON.parse(text);
}

/** An int the native writer would get wrong: a bigint, or an integral double beyond 2^53. */
function isUnsafeInt(v: unknown): boolean {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v));
}

/** Whether `value` holds anything the native `JSON.stringify` would write wrongly. */
function needsExactWriter(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object") return isUnsafeInt(value);
  if (value instanceof IntegralFloat || value instanceof Uint8Array) return true;
  if (depth > 1000) return false; // JSON.stringify reports the cycle itself
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (needsExactWriter(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) if (needsExactWriter((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/** Python's float text for JSON: always with a `.` or an exponent, so it reads back a float. */
export function floatJsonText(x: number): string {
  if (!Number.isFinite(x)) return "null";
  if (Object.is(x, -0)) return "-0.0";
  if (!Number.isInteger(x)) return String(x);
  return Math.abs(x) < 1e16 ? `${x}.0` : x.toExponential();
}

/** Python's int text: every digit. */
function intJsonText(n: number | bigint): string {
  return typeof n === "bigint" ? n.toString() : BigInt(n).toString();
}

function tagBytes(bytes: Uint8Array): unknown {
  return { [BYTES_TAG]: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
}

/** The exact replacer, with bytes written by `writeBytes`. It reads `this[key]`: the value before `toJSON()`. */
function exactReplacer(writeBytes: (bytes: Uint8Array) => unknown) {
  return function replacer(this: unknown, key: string, value: unknown): unknown {
    const original = (this as Record<string, unknown>)[key];
    if (original instanceof IntegralFloat) return rawJSON(floatJsonText(original.value));
    if (isUnsafeInt(original)) return rawJSON(intJsonText(original as number | bigint));
    if (original instanceof Uint8Array) return writeBytes(original);
    return value;
  };
}

/** The `JSON.stringify` replacer of the exact path, for writers that wrap it (the history's cycle-tolerant retry). */
export const pyJsonReplacer = exactReplacer(tagBytes);

/** How `stringifyPyJson` lays out its text. */
export interface PyJsonWriteOptions {
  /** As `JSON.stringify`'s third argument. */
  indent?: number | string;
  /** What stands for bytes (default `{"$bytes": "<base64>"}`); a display may show `"<3 bytes>"`. */
  bytes?: (bytes: Uint8Array) => unknown;
}

/**
 * `json.dumps`: ints of any size as bare integers, integral floats as `40.0`, bytes tagged.
 * `undefined` (at the top) writes `null`.
 */
export function stringifyPyJson(value: unknown, options: PyJsonWriteOptions = {}): string {
  if (value === undefined) return "null";
  if (!needsExactWriter(value, 0)) return JSON.stringify(value, null, options.indent) ?? "null";
  const replacer = options.bytes ? exactReplacer(options.bytes) : pyJsonReplacer;
  return JSON.stringify(value, replacer, options.indent) ?? "null";
}
