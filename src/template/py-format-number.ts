/**
 * Python's fixed, exponent and general float notations (`f`, `e`, `g`), exact to the
 * last digit: each double is formatted from its exact binary value, rounded half to even,
 * as CPython does (JS's `toFixed` rounds exact ties away from zero and stops at 100 digits).
 * The functions take |x| (finite) and return digits without a sign.
 */
import { exactRational } from "./py-number.ts";

const TEN = 10n;

function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = (num % den) * 2n;
  return twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q;
}

/** `format(x, '.{prec}f')` for finite x ≥ 0. */
export function fixedDigits(x: number, prec: number, alternate = false): string {
  const { num, den } = exactRational(x);
  const digits = roundDiv(num * TEN ** BigInt(prec), den)
    .toString()
    .padStart(prec + 1, "0");
  if (prec === 0) return alternate ? `${digits}.` : digits;
  return `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
}

/** The `prec + 1` significant digits of finite x > 0, rounded half even, and the decimal exponent of the first. */
function significant(x: number, prec: number): { digits: string; exp: number } {
  const { num, den } = exactRational(x);
  let exp = Math.floor(Math.log10(x));
  for (;;) {
    const shift = prec - exp;
    const q = shift >= 0 ? roundDiv(num * TEN ** BigInt(shift), den) : roundDiv(num, den * TEN ** BigInt(-shift));
    const text = q.toString();
    if (text.length > prec + 1) {
      if (text === `1${"0".repeat(prec + 1)}`) return { digits: text.slice(0, prec + 1), exp: exp + 1 };
      exp += 1;
    } else if (text.length < prec + 1) exp -= 1;
    else return { digits: text, exp };
  }
}

/** `format(x, '.{prec}e')` for finite x ≥ 0 (`E` is the caller's upper-casing). */
export function expDigits(x: number, prec: number, alternate = false): string {
  const { digits, exp } = x === 0 ? { digits: "0".repeat(prec + 1), exp: 0 } : significant(x, prec);
  const mantissa = prec === 0 ? (alternate ? `${digits}.` : digits) : `${digits[0]}.${digits.slice(1)}`;
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/**
 * `format(x, '.{prec}g')` for finite x ≥ 0: fixed or exponent notation by the size of the
 * exponent, trailing zeros removed unless `alternate` (`#`). `keepPoint` is the no-type
 * variant of `format()` (`'{:.3}'`), which keeps one digit after the point.
 */
export function generalDigits(x: number, precision: number, alternate = false, keepPoint = false): string {
  const p = precision === 0 ? 1 : precision;
  const exp = x === 0 ? 0 : significant(x, p - 1).exp;
  let out = exp >= -4 && exp < p ? fixedDigits(x, p - 1 - exp, alternate) : expDigits(x, p - 1, alternate);
  if (!alternate) {
    const [mantissa = "", e] = out.split("e");
    const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    out = e === undefined ? trimmed : `${trimmed}e${e}`;
  }
  if (keepPoint && !/[.e]/.test(out)) out += ".0";
  return out;
}
