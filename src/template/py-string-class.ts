/**
 * Python's character-class predicates of `str` (`isalpha`, `islower`, `istitle`…),
 * with Unicode general categories standing in for Python's tables.
 */
import { isPySpace } from "./py-string.ts";

const UPPER = /[\p{Lu}\p{Lt}]/u;
const LOWER = /\p{Ll}/u;
const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;
const ALPHA = /^\p{L}+$/u;
const DECIMAL = /^\p{Nd}+$/u;
const DIGIT =
  /^[\p{Nd}\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792]+$/u;
const NUMERIC =
  /^[\p{N}\u3007\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341\u767e\u5343\u4e07\u5104\u5146]+$/u;
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;

/** `s.islower()`: some cased character, and no upper- or titlecase one. */
export function isPyLower(s: string): boolean {
  return LOWER.test(s) && !UPPER.test(s);
}

/** `s.isupper()`: some cased character, and no lowercase one. */
export function isPyUpper(s: string): boolean {
  return UPPER.test(s) && !LOWER.test(s);
}

/** Whether a character has case (Python's "cased"). */
export function isCased(c: string): boolean {
  return CASED.test(c);
}

/** `s.istitle()`: uppercase only after uncased characters, lowercase only after cased ones, some cased. */
export function isPyTitle(s: string): boolean {
  let previousCased = false;
  let cased = false;
  for (const c of s) {
    if (UPPER.test(c)) {
      if (previousCased) return false;
      previousCased = cased = true;
    } else if (LOWER.test(c)) {
      if (!previousCased) return false;
      previousCased = cased = true;
    } else previousCased = false;
  }
  return cased;
}

/** The `str.is…()` predicates without arguments, by method name. */
export const STR_CLASS_TESTS: Readonly<Record<string, (s: string) => boolean>> = {
  isalnum: (s) => s.length > 0 && [...s].every((c) => ALPHA.test(c) || NUMERIC.test(c)),
  isalpha: (s) => ALPHA.test(s),
  isascii: (s) => /^[\x00-\x7f]*$/.test(s),
  isdecimal: (s) => DECIMAL.test(s),
  isdigit: (s) => DIGIT.test(s),
  isnumeric: (s) => NUMERIC.test(s),
  isidentifier: (s) => IDENTIFIER.test(s),
  isprintable: (s) => !UNPRINTABLE.test(s),
  isspace: (s) => s.length > 0 && [...s].every(isPySpace),
  islower: isPyLower,
  isupper: isPyUpper,
  istitle: isPyTitle,
};
