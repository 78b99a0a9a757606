import { RenderFault } from "./errors.ts";
import {
  bigOf,
  compareNumeric,
  floatOf,
  intArith,
  intDivmod,
  intPowExact,
  intTrueDiv,
  isIntLike as isPyInt,
  needsExact,
} from "./py-int.ts";
import { compareStrings, pyLen } from "./py-string.ts";
import { toText, undefinedFault } from "./to-text.ts";
import {
  IntegralFloat,
  RawValue,
  Undefined,
  isDict,
  isFloat,
  isNumeric,
  numberOf,
  pyFloat,
  pyInt,
  pyType,
} from "./values.ts";

/** Raises if `v` is undefined (strict), else returns it. */
export function defined<T>(v: T): T {
  if (v instanceof Undefined) throw undefinedFault(v);
  return v;
}

/** Python truthiness: `""`, `0`, `0.0`, `[]`, `{}`, None, False are false; undefined raises. */
export function truthy(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "bigint") return v !== 0n;
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof IntegralFloat) return v.value !== 0;
  if (v instanceof Undefined) {
    if (v.lenient) return false;
    throw undefinedFault(v);
  }
  if (v instanceof RawValue) return truthy(v.value);
  if (isDict(v)) {
    for (const key in v) if (Object.hasOwn(v, key)) return true;
    return false;
  }
  return true;
}

function operandError(op: string, a: unknown, b: unknown, site: number): RenderFault {
  return new RenderFault(`unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`, site);
}

/** Returns the numeric result typed like Python: float if either operand is a float. */
function arith(
  a: number | bigint | boolean | IntegralFloat,
  b: number | bigint | boolean | IntegralFloat,
  n: number,
): number | IntegralFloat {
  return isFloat(a) || isFloat(b) ? pyFloat(n) : n;
}

/** `a + b`: numbers, str + str, list + list. */
export function add(a: unknown, b: unknown, site: number): unknown {
  defined(a);
  defined(b);
  if (isNumeric(a) && isNumeric(b)) return intArith("+", a, b) ?? arith(a, b, floatOf(a, site) + floatOf(b, site));
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw operandError("+", a, b, site);
}

/** `a - b`. */
export function sub(a: unknown, b: unknown, site: number): unknown {
  defined(a);
  defined(b);
  if (isNumeric(a) && isNumeric(b)) return intArith("-", a, b) ?? arith(a, b, floatOf(a, site) - floatOf(b, site));
  throw operandError("-", a, b, site);
}

function repeat(seq: unknown, times: number): unknown {
  if (typeof seq === "string") return times > 0 ? seq.repeat(times) : "";
  const list = seq as unknown[];
  const out: unknown[] = [];
  for (let i = 0; i < times; i++) out.push(...list);
  return out;
}

const isIntLike = (v: unknown): v is number | boolean =>
  typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v));

/** `a * b`: numbers, str * int, list * int (either order). */
export function mul(a: unknown, b: unknown, site: number): unknown {
  defined(a);
  defined(b);
  if (isNumeric(a) && isNumeric(b)) return intArith("*", a, b) ?? arith(a, b, floatOf(a, site) * floatOf(b, site));
  if ((typeof a === "string" || Array.isArray(a)) && isIntLike(b)) return repeat(a, numberOf(b));
  if ((typeof b === "string" || Array.isArray(b)) && isIntLike(a)) return repeat(b, numberOf(a));
  throw operandError("*", a, b, site);
}

function numbers(op: string, a: unknown, b: unknown, site: number): [number, number] {
  defined(a);
  defined(b);
  if (!isNumeric(a) || !isNumeric(b)) throw operandError(op, a, b, site);
  return [floatOf(a, site), floatOf(b, site)];
}

/** `a / b`: always a float. */
export function div(a: unknown, b: unknown, site: number): unknown {
  if (needsExact(a, b)) return pyFloat(intTrueDiv(bigOf(a as bigint), bigOf(b as bigint), site));
  const [x, y] = numbers("/", a, b, site);
  if (y === 0) throw new RenderFault("division by zero", site);
  return pyFloat(x / y);
}

/** CPython's float divmod, so `//` and `%` on floats match to the last bit. */
function floatDivmod(x: number, y: number): [number, number] {
  let mod = x % y;
  let d = (x - mod) / y;
  if (mod !== 0) {
    if (y < 0 !== mod < 0) {
      mod += y;
      d -= 1;
    }
  } else mod = y < 0 ? -0 : 0;
  let floordiv: number;
  if (d !== 0) {
    floordiv = Math.floor(d);
    if (d - floordiv > 0.5) floordiv += 1;
  } else floordiv = x / y < 0 ? -0 : 0;
  return [floordiv, mod];
}

/** `a // b`: floor division with Python's signs. */
export function floordiv(a: unknown, b: unknown, site: number): unknown {
  if (needsExact(a, b)) return intDivmod(bigOf(a as bigint), bigOf(b as bigint), site)[0];
  const [x, y] = numbers("//", a, b, site);
  const float = isFloat(a) || isFloat(b);
  if (y === 0)
    throw new RenderFault(float ? "float floor division by zero" : "integer division or modulo by zero", site);
  if (!float) return Math.floor(x / y) || 0;
  return pyFloat(floatDivmod(x, y)[0]);
}

/** `a % b`: the result takes the sign of `b`, as in Python. */
export function mod(a: unknown, b: unknown, site: number): unknown {
  defined(a);
  if (typeof a === "string")
    throw new RenderFault("string formatting with `%` is not supported; use `~` or filters", site);
  if (needsExact(a, b)) return intDivmod(bigOf(a as bigint), bigOf(b as bigint), site)[1];
  const [x, y] = numbers("%", a, b, site);
  const float = isFloat(a) || isFloat(b);
  if (y === 0) throw new RenderFault(float ? "float modulo" : "integer division or modulo by zero", site);
  if (!float) {
    const r = x % y;
    return r !== 0 && r < 0 !== y < 0 ? r + y : r || 0;
  }
  return pyFloat(floatDivmod(x, y)[1]);
}

function intPow(base: number, exp: number): number {
  let result = 1;
  let b = base;
  let e = exp;
  while (e > 0) {
    if (e & 1) result *= b;
    b *= b;
    e = Math.floor(e / 2);
  }
  return Number.isSafeInteger(result) ? result : base ** exp;
}

/** `a ** b`. */
export function pow(a: unknown, b: unknown, site: number): unknown {
  if ((typeof a === "bigint" || typeof b === "bigint") && isPyInt(a) && isPyInt(b) && bigOf(b) >= 0n)
    return intPowExact(a, b, site);
  const [x, y] = numbers("**", a, b, site);
  const float = isFloat(a) || isFloat(b);
  if (x === 0 && y < 0) throw new RenderFault("0.0 cannot be raised to a negative power", site);
  if (!float && y >= 0) {
    const r = intPow(x, y);
    return Number.isSafeInteger(r) ? r : intPowExact(x, y, site);
  }
  if (x < 0 && !Number.isInteger(y))
    throw new RenderFault(
      "a negative number to a fractional power is a complex number, which templates do not support",
      site,
    );
  const r = x ** y;
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y))
    throw new RenderFault("numerical result out of range", site);
  return pyFloat(r);
}

/** Unary `-`. */
export function neg(a: unknown, site: number): unknown {
  defined(a);
  if (a instanceof IntegralFloat) return new IntegralFloat(-a.value);
  if (typeof a === "bigint") return pyInt(-a);
  if (typeof a === "number") return a === 0 && Number.isInteger(a) ? 0 : -a;
  if (typeof a === "boolean") return a ? -1 : 0;
  throw new RenderFault(`bad operand type for unary -: '${pyType(a)}'`, site);
}

/** Unary `+`. */
export function pos(a: unknown, site: number): unknown {
  defined(a);
  if (typeof a === "boolean") return a ? 1 : 0;
  if (isNumeric(a)) return a;
  throw new RenderFault(`bad operand type for unary +: '${pyType(a)}'`, site);
}

/** `a ~ b`: both as text, joined. */
export function cat(a: unknown, b: unknown): string {
  return toText(a) + toText(b);
}

/** `a == b` with Python semantics (1 == 1.0 == True, deep lists and dicts); undefined raises. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return !(typeof a === "number" && Number.isNaN(a));
  if (a instanceof Undefined) {
    if (a.lenient) return b instanceof Undefined;
    throw undefinedFault(a);
  }
  if (b instanceof Undefined) {
    if (b.lenient) return false;
    throw undefinedFault(b);
  }
  if (a instanceof RawValue) return eq(a.value, b);
  if (b instanceof RawValue) return eq(a, b.value);
  if (typeof a === "bigint" || typeof b === "bigint") return isNumeric(a) && isNumeric(b) && compareNumeric(a, b) === 0;
  if (isNumeric(a)) return isNumeric(b) && numberOf(a) === numberOf(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !eq(a[i], b[i])) return false;
    return true;
  }
  if (isDict(a)) {
    if (!isDict(b)) return false;
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && eq(a[k], b[k]));
  }
  return false;
}

/** Three-way comparison for `<`-family operators; raises for types Python cannot order. */
export function compare(a: unknown, b: unknown, op: string, site: number): number {
  defined(a);
  defined(b);
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === "bigint" || typeof b === "bigint") return compareNumeric(a, b);
    const x = numberOf(a);
    const y = numberOf(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (a[i] === b[i] || eq(a[i], b[i])) continue;
      return compare(a[i], b[i], op, site);
    }
    return a.length - b.length;
  }
  throw new RenderFault(`'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`, site);
}

/** `needle in haystack`: substring, list membership, dict key. */
export function contains(haystack: unknown, needle: unknown, site: number): boolean {
  defined(haystack);
  defined(needle);
  if (typeof haystack === "string") {
    if (typeof needle !== "string")
      throw new RenderFault(`'in <string>' requires string as left operand, not ${pyType(needle)}`, site);
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((item) => item === needle || eq(item, needle));
  if (isDict(haystack))
    return typeof needle === "string" && Object.hasOwn(haystack, needle) && haystack[needle] !== undefined;
  if (haystack instanceof RawValue) return contains(haystack.value, needle, site);
  throw new RenderFault(`argument of type '${pyType(haystack)}' is not iterable`, site);
}

/** `len(v)`: code points of a string, items of a list, keys of a dict. */
export function length(v: unknown, site: number): number {
  defined(v);
  if (typeof v === "string") return pyLen(v);
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).filter((k) => v[k] !== undefined).length;
  throw new RenderFault(`object of type '${pyType(v)}' has no len()`, site);
}
