import { RenderFault } from "./errors.ts";
import { compare, contains, eq } from "./operators.ts";
import { IntegralFloat, Undefined, isDict, isNumeric, numberOf } from "./values.ts";

/** A Jinja test: `value is name(args)`. */
export type Predicate = (value: unknown, args: readonly unknown[], site: number) => boolean;

const isDefined: Predicate = (v) => !(v instanceof Undefined);

/** The tests allowed after `is` (SPEC §4.1). */
export const IS_TESTS: Readonly<Record<string, Predicate>> = {
  defined: isDefined,
  none: (v) => v === null,
  number: (v) => isNumeric(v),
  string: (v) => typeof v === "string",
};

const intValue = (v: unknown, site: number): number => {
  if (typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v))) return numberOf(v);
  if (v instanceof IntegralFloat) return v.value;
  throw new RenderFault("expected an integer", site);
};

const cmp =
  (ok: (n: number) => boolean, op: string): Predicate =>
  (v, args, site) =>
    ok(compare(v, args[0], op, site));

/**
 * Tests a `selectattr`/`rejectattr` may name: the `is` tests plus Jinja's comparison
 * and type tests (`equalto`, `==`, `gt`, `true`, `odd`, `in`, …).
 */
export const SELECT_TESTS: Readonly<Record<string, Predicate>> = {
  ...IS_TESTS,
  undefined: (v, a, s) => !isDefined(v, a, s),
  true: (v) => v === true,
  false: (v) => v === false,
  boolean: (v) => typeof v === "boolean",
  integer: (v) => typeof v === "number" && Number.isInteger(v),
  float: (v) => v instanceof IntegralFloat || (typeof v === "number" && !Number.isInteger(v)),
  mapping: (v) => isDict(v),
  sequence: (v) => typeof v === "string" || Array.isArray(v) || isDict(v),
  iterable: (v) => typeof v === "string" || Array.isArray(v) || isDict(v),
  lower: (v) => typeof v === "string" && v === v.toLowerCase(),
  upper: (v) => typeof v === "string" && v === v.toUpperCase(),
  odd: (v, _a, s) => Math.abs(intValue(v, s) % 2) === 1,
  even: (v, _a, s) => intValue(v, s) % 2 === 0,
  divisibleby: (v, a, s) => intValue(v, s) % intValue(a[0], s) === 0,
  in: (v, a, s) => contains(a[0], v, s),
  eq: (v, a) => eq(v, a[0]),
  equalto: (v, a) => eq(v, a[0]),
  "==": (v, a) => eq(v, a[0]),
  ne: (v, a) => !eq(v, a[0]),
  "!=": (v, a) => !eq(v, a[0]),
  lt: cmp((n) => n < 0, "<"),
  lessthan: cmp((n) => n < 0, "<"),
  "<": cmp((n) => n < 0, "<"),
  le: cmp((n) => n <= 0, "<="),
  "<=": cmp((n) => n <= 0, "<="),
  gt: cmp((n) => n > 0, ">"),
  greaterthan: cmp((n) => n > 0, ">"),
  ">": cmp((n) => n > 0, ">"),
  ge: cmp((n) => n >= 0, ">="),
  ">=": cmp((n) => n >= 0, ">="),
};

/** How many arguments each select test takes (the rest take none). */
export const SELECT_TEST_ARITY: Readonly<Record<string, number>> = Object.fromEntries(
  ["divisibleby", "in", "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">="].map((n) => [n, 1]),
);
