/** Python number formatting, parsing and rounding for the template runtime. */

/** `str(int)`: digits; beyond 2^53 the exact value of the double (ints are doubles here). */
export function intText(n: number): string {
  if (Number.isSafeInteger(n)) return String(n === 0 ? 0 : n);
  return BigInt(n).toString();
}

/** `repr(float)`: shortest round-trip digits, Python's layout (`2.0`, `1e-05`, `1e+16`, `inf`). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa = "", expText = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const whole = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, "0");
    const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : "0";
    return `${sign}${whole}.${frac}`;
  }
  const lead = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expSign = exp < 0 ? "-" : "+";
  return `${sign}${lead}e${expSign}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** The exact value of a finite double as num / den (den a power of two): exact decimal formatting and rounding start here. */
export function exactRational(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (negative) mant = -mant;
  return exp >= 0 ? { num: mant << BigInt(exp), den: 1n } : { num: mant, den: 1n << BigInt(-exp) };
}

/**
 * Python's `round(x, ndigits)` on the exact value of `x`: nearest, ties to even.
 * Returns the JS number nearest the rounded decimal (as Python does).
 */
export function roundHalfEven(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 330) return x;
  if (ndigits < -330) return 0 * Math.sign(x);
  const { num, den } = exactRational(x);
  const scale = 10n ** BigInt(Math.abs(ndigits));
  const n = ndigits >= 0 ? num * scale : num;
  const d = ndigits >= 0 ? den : den * scale;
  const negative = n < 0n;
  const abs = negative ? -n : n;
  let q = abs / d;
  const twice = (abs % d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  const signed = negative ? -q : q;
  const result = Number(`${signed}e${-ndigits}`);
  return result === 0 && negative ? -0 : result;
}

/** The digits of base `b` (2–36), underscores allowed between them as in Python literals. */
function digitPattern(b: number): RegExp {
  const digits = "0123456789abcdefghijklmnopqrstuvwxyz".slice(0, b);
  const cls = `[${digits.replace(/-/g, "")}]`;
  return new RegExp(`^${cls}(_?${cls})*$`, "i");
}

/** Python `int(text, base)` for base 0 or 2–36; undefined where Python raises ValueError. */
export function parsePyInt(text: string, base: number): number | undefined {
  if (base !== 0 && (base < 2 || base > 36)) return undefined;
  let s = text.trim();
  let sign = 1;
  if (s.startsWith("+") || s.startsWith("-")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  let b = base;
  const prefix = /^0([box])_?/i.exec(s);
  const prefixBase = prefix ? { b: 2, o: 8, x: 16 }[prefix[1]!.toLowerCase() as "b" | "o" | "x"] : undefined;
  if (b === 0) {
    if (prefixBase !== undefined) {
      b = prefixBase;
      s = s.slice(prefix![0].length);
    } else {
      b = 10;
      if (/^0+[1-9]/.test(s.replace(/_/g, ""))) return undefined;
    }
  } else if (prefixBase !== undefined && prefixBase === b) {
    s = s.slice(prefix![0].length);
  }
  if (!digitPattern(b).test(s)) return undefined;
  return sign * parseInt(s.replace(/_/g, ""), b);
}

/** Python `float(text)`; undefined where Python raises ValueError. */
export function parsePyFloat(text: string): number | undefined {
  const s = text.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    const value = special[2]!.toLowerCase() === "nan" ? NaN : Infinity;
    return special[1] === "-" ? -value : value;
  }
  if (!/^[+-]?((\d(_?\d)*)(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)(e[+-]?\d(_?\d)*)?$/i.test(s)) return undefined;
  return Number(s.replace(/_/g, ""));
}
