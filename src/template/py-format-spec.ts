/**
 * Python's format-specification mini-language (`format(value, spec)`), behind
 * `'{:>8.2f}'.format(x)`: fill, alignment, sign, `#`, zero padding, width, grouping,
 * precision and the presentation types of str, int and float.
 */
import { RenderFault } from "./errors.ts";
import { expDigits, fixedDigits, generalDigits } from "./py-format-number.ts";
import { floatRepr } from "./py-number.ts";
import { pyLen } from "./py-string.ts";
import { toText } from "./to-text.ts";
import { IntegralFloat, isNumeric, numberOf, pyType } from "./values.ts";

/** A parsed spec. */
interface Spec {
  fill: string;
  align?: string;
  /** Whether the alignment was written (not implied by the `0` flag). */
  alignGiven: boolean;
  signGiven: boolean;
  sign: string;
  z: boolean;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping?: string;
  precision?: number;
  type?: string;
}

const SPEC = /^([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;

function parseSpec(spec: string, site: number): Spec {
  let rest = spec;
  let fill = " ";
  let align: string | undefined;
  const chars = [...spec];
  if (chars.length > 1 && "<>=^".includes(chars[1]!)) {
    fill = chars[0]!;
    align = chars[1]!;
    rest = chars.slice(2).join("");
  } else if (chars.length && "<>=^".includes(chars[0]!)) {
    align = chars[0]!;
    rest = chars.slice(1).join("");
  }
  const m = SPEC.exec(rest);
  if (!m) throw new RenderFault("Invalid format specifier", site);
  const zero = m[4] === "0";
  const out: Spec = {
    fill,
    alignGiven: !!align,
    signGiven: !!m[1],
    sign: m[1] ?? "-",
    z: !!m[2],
    alternate: !!m[3],
    zero,
    width: m[5] ? Number(m[5]) : 0,
  };
  if (align) out.align = align;
  else if (zero) {
    out.fill = "0";
    out.align = "=";
  }
  if (m[6]) out.grouping = m[6];
  if (m[7] !== undefined) out.precision = Number(m[7]);
  if (m[8]) out.type = m[8];
  return out;
}

/** Pads `prefix + body` to `width` by `align` (`=` pads between sign/prefix and digits). */
export function pad(prefix: string, body: string, width: number, align: string, fill: string): string {
  const size = pyLen(prefix) + pyLen(body);
  if (size >= width) return prefix + body;
  const n = width - size;
  if (align === "<") return prefix + body + fill.repeat(n);
  if (align === ">") return fill.repeat(n) + prefix + body;
  if (align === "=") return prefix + fill.repeat(n) + body;
  const left = Math.floor(n / 2);
  return fill.repeat(left) + prefix + body + fill.repeat(n - left);
}

/** Inserts `sep` every `size` digits of the integer part (a float's part before `.`, `e` or `%`). */
function group(digits: string, sep: string, size: number, float = false): string {
  const cut = float ? digits.search(/[.e%]/u) : -1;
  const whole = cut < 0 ? digits : digits.slice(0, cut);
  let out = "";
  for (let i = whole.length; i > 0; i -= size) out = whole.slice(Math.max(0, i - size), i) + (out ? sep + out : "");
  return out + (cut < 0 ? "" : digits.slice(cut));
}

function signOf(negative: boolean, sign: string): string {
  if (negative) return "-";
  return sign === "+" ? "+" : sign === " " ? " " : "";
}

function formatInt(n: number, s: Spec, site: number): string {
  if (s.precision !== undefined) throw new RenderFault("Precision not allowed in integer format specifier", site);
  const type = s.type ?? "d";
  const abs = Math.abs(n);
  let prefix = "";
  if (type === "c") {
    if (s.sign !== "-") throw new RenderFault("Sign not allowed with integer format specifier 'c'", site);
    return pad("", String.fromCodePoint(n), s.width, s.align ?? ">", s.fill);
  }
  const radix = { b: 2, o: 8, x: 16, X: 16, d: 10, n: 10 }[type] ?? 10;
  let body = Number.isSafeInteger(abs) ? abs.toString(radix) : BigInt(abs).toString(radix);
  if (type === "X") body = body.toUpperCase();
  if (s.alternate && radix !== 10) prefix = type === "X" ? "0X" : `0${type}`;
  if (s.grouping) body = group(body, s.grouping, radix === 10 ? 3 : 4);
  return pad(signOf(n < 0, s.sign) + prefix, body, s.width, s.align ?? ">", s.fill);
}

function formatFloat(x: number, s: Spec): string {
  const type = s.type;
  let negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let body: string;
  if (!Number.isFinite(x)) {
    body = Number.isNaN(x) ? "nan" : "inf";
    if (Number.isNaN(x)) negative = false;
    if (type && "EFG".includes(type)) body = body.toUpperCase();
    if (type === "%") body += "%";
  } else if (type === "f" || type === "F") body = fixedDigits(abs, s.precision ?? 6, s.alternate);
  else if (type === "e" || type === "E") body = expDigits(abs, s.precision ?? 6, s.alternate);
  else if (type === "%") body = `${fixedDigits(abs * 100, s.precision ?? 6, s.alternate)}%`;
  else if (type === "g" || type === "G" || type === "n") body = generalDigits(abs, s.precision ?? 6, s.alternate);
  else if (s.precision !== undefined) body = generalDigits(abs, s.precision, s.alternate, true);
  else body = floatRepr(abs);
  if (type === "E" || type === "G") body = body.toUpperCase();
  if (s.z && negative && /^[0.]*$/u.test(body.replace(/e.*$/u, ""))) negative = false;
  if (s.grouping && Number.isFinite(x)) body = group(body, s.grouping, 3, true);
  return pad(signOf(negative, s.sign), body, s.width, s.align ?? ">", s.fill);
}

/** `format(value, spec)` for template values; raises where Python raises. */
export function formatValue(value: unknown, spec: string, site: number): string {
  if (spec === "") return toText(value);
  const s = parseSpec(spec, site);
  if (typeof value === "string") {
    if (s.type !== undefined && s.type !== "s")
      throw new RenderFault(`Unknown format code '${s.type}' for object of type 'str'`, site);
    if (s.signGiven || s.alternate) throw new RenderFault("Sign not allowed in string format specifier", site);
    if (s.align === "=" && s.alignGiven)
      throw new RenderFault("'=' alignment not allowed in string format specifier", site);
    if (s.grouping) throw new RenderFault(`Cannot specify '${s.grouping}' with 's'.`, site);
    const text = s.precision === undefined ? value : [...value].slice(0, s.precision).join("");
    return pad("", text, s.width, s.alignGiven ? s.align! : "<", s.fill);
  }
  if (isNumeric(value)) {
    const float = value instanceof IntegralFloat || (typeof value === "number" && !Number.isInteger(value));
    const n = numberOf(value);
    if (!float && (s.type === undefined || "bcdoxXn".includes(s.type))) {
      if (typeof value === "boolean" && s.type === undefined)
        return pad("", toText(value), s.width, s.align ?? ">", s.fill);
      return formatInt(n, s, site);
    }
    if (s.type !== undefined && !"eEfFgGn%".includes(s.type))
      throw new RenderFault(`Unknown format code '${s.type}' for object of type 'float'`, site);
    return formatFloat(n, s);
  }
  throw new RenderFault(`unsupported format string passed to ${pyType(value)}.__format__`, site);
}
