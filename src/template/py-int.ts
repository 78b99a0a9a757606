/**
 * Python's ints of any size in template arithmetic and comparisons. An int is a JS number
 * while it is a safe integer and a bigint beyond (see `src/model/py-value.ts`); these helpers
 * take the exact bigint path only when an operand or a result leaves the safe range, so the
 * everyday `n + 1` stays plain number arithmetic. Nothing here rounds an int silently: where
 * Python converts an int to a float (mixed with a float, or `/`) it rounds the way Python does
 * (correctly, or raising `OverflowError` when it is too large for a float).
 */
import { RenderFault } from "./errors.ts";
import { IntegralFloat, pyInt } from "./values.ts";

/** bool or int (Python's `int` includes `bool`). */
export function isIntLike(v: unknown): v is number | bigint | boolean {
  return typeof v === "boolean" || typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

/** An int operand as a bigint. */
export function bigOf(v: number | bigint | boolean): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean") return v ? 1n : 0n;
  return BigInt(v);
}

/** True when an int operand needs the exact path: a bigint, or a double beyond 2^53. */
function unsafe(v: number | bigint | boolean): boolean {
  return typeof v === "bigint" || (typeof v === "number" && !Number.isSafeInteger(v));
}

/** `float(v)` of a numeric operand; an int too large for a double raises, as in Python. */
export function floatOf(v: number | bigint | boolean | IntegralFloat, site: number): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof IntegralFloat) return v.value;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new RenderFault("int too large to convert to float", site);
  return x;
}

/**
 * `a + b`, `a - b`, `a * b` on two ints: numbers while the result is safe, else exact.
 * Returns undefined when an operand is not an int (the caller does float arithmetic).
 */
export function intArith(op: "+" | "-" | "*", a: unknown, b: unknown): number | bigint | undefined {
  if (!isIntLike(a) || !isIntLike(b)) return undefined;
  if (!unsafe(a) && !unsafe(b)) {
    const x = Number(a);
    const y = Number(b);
    const r = op === "+" ? x + y : op === "-" ? x - y : x * y;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  const x = bigOf(a);
  const y = bigOf(b);
  return pyInt(op === "+" ? x + y : op === "-" ? x - y : x * y);
}

/** Whether two int operands need the exact path for `/`, `//`, `%`. */
export function needsExact(a: unknown, b: unknown): boolean {
  return isIntLike(a) && isIntLike(b) && (unsafe(a) || unsafe(b));
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** `x * 2**e` without overflowing or underflowing in between. */
function scaleByPowerOfTwo(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) {
    r *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    r *= 2 ** -1000;
    k += 1000;
  }
  return r * 2 ** k;
}

/** `a / b` on two ints, correctly rounded like CPython's `long_true_divide`. */
export function intTrueDiv(a: bigint, b: bigint, site: number): number {
  if (b === 0n) throw new RenderFault("division by zero", site);
  const negative = a < 0n !== b < 0n;
  const n = a < 0n ? -a : a;
  const d = b < 0n ? -b : b;
  if (n === 0n) return negative ? -0 : 0;
  // A quotient of 55-56 bits plus a sticky bit for any remainder: Number() then rounds to
  // 53 bits exactly once, ties to even, as the exact quotient would.
  const shift = 55 - (bitLength(n) - bitLength(d));
  const num = shift >= 0 ? n << BigInt(shift) : n;
  const den = shift >= 0 ? d : d << BigInt(-shift);
  let q = num / den;
  if (num % den !== 0n) q |= 1n;
  const x = scaleByPowerOfTwo(Number(q), -shift);
  if (!Number.isFinite(x)) throw new RenderFault("integer division result too large for a float", site);
  return negative ? -x : x;
}

/** `a // b` and `a % b` on two ints, exactly, with Python's signs (floor division). */
export function intDivmod(a: bigint, b: bigint, site: number): [number | bigint, number | bigint] {
  if (b === 0n) throw new RenderFault("integer division or modulo by zero", site);
  let q = a / b;
  if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
  return [pyInt(q), pyInt(a - q * b)];
}

/** `a ** b` for ints with b ≥ 0, exactly; a result too large to hold raises. */
export function intPowExact(a: number | bigint | boolean, b: number | bigint | boolean, site: number): number | bigint {
  const base = bigOf(a);
  const exp = bigOf(b);
  const bits = Number(exp) * Math.max(1, bitLength(base < 0n ? -base : base));
  if (bits > 64_000_000 && base !== 0n && base !== 1n && base !== -1n) {
    throw new RenderFault("integer result too large for a template (compute it in a python: step)", site);
  }
  try {
    return pyInt(base ** exp);
  } catch {
    throw new RenderFault("integer result too large for a template (compute it in a python: step)", site);
  }
}

/** An exact numeric: a bigint, or the number of a numeric value. */
function exactOf(v: number | bigint | boolean | IntegralFloat): number | bigint {
  if (typeof v === "bigint" || typeof v === "number") return v;
  return typeof v === "boolean" ? (v ? 1 : 0) : v.value;
}

/** Three-way comparison of two numerics, exact across ints and floats (NaN: unordered). */
export function compareNumeric(
  a: number | bigint | boolean | IntegralFloat,
  b: number | bigint | boolean | IntegralFloat,
): number {
  const x = exactOf(a);
  const y = exactOf(b);
  if (typeof x === "number" && typeof y === "number") return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  if (typeof x === "bigint" && typeof y === "bigint") return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === "number") return -bigVersusDouble(y as bigint, x);
  return bigVersusDouble(x, y as number);
}

function bigVersusDouble(a: bigint, b: number): number {
  if (Number.isNaN(b)) return NaN;
  if (b === Infinity) return -1;
  if (b === -Infinity) return 1;
  const floor = Math.floor(b);
  const whole = BigInt(floor);
  if (a !== whole) return a < whole ? -1 : 1;
  return b > floor ? -1 : 0;
}
