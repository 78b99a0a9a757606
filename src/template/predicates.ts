import { FILTER_SIGNATURES } from "./catalog.ts";
import { RenderFault } from "./errors.ts";
import { compare, contains, defined, eq, mod } from "./operators.ts";
import { isCallable } from "./py-callable.ts";
import { isPyLower, isPyUpper } from "./py-string-class.ts";
import { toText } from "./to-text.ts";
import { IntegralFloat, Undefined, isDict, isNumeric } from "./values.ts";

/** A Jinja test: `value is name(args)`; `args` are the test's arguments after the value. */
export type Predicate = (value: unknown, args: readonly unknown[], site: number) => boolean;

const isDefined: Predicate = (v) => !(v instanceof Undefined);

const cmp =
  (ok: (n: number) => boolean, op: string): Predicate =>
  (v, args, site) =>
    ok(compare(v, args[0], op, site));

const remainder = (v: unknown, by: unknown, site: number): unknown => mod(v, by, site);

/** Jinja's `test_sameas` (`is`): identity; equal primitives count as the same object (Python interns them). */
const sameAs: Predicate = (v, a) => {
  const o = a[0];
  if (v instanceof IntegralFloat && o instanceof IntegralFloat) return v.value === o.value;
  return v === o;
};

const text = (v: unknown): string => (typeof v === "string" ? v : toText(defined(v)));

/**
 * Every test of Jinja2 (`jinja2.defaults.DEFAULT_TESTS`), with Jinja2's semantics, for
 * `x is name` and for `select`/`reject`/`selectattr`/`rejectattr`. `escaped` is always
 * false: the engine does not autoescape, so no value is Markup.
 */
export const TESTS: Readonly<Record<string, Predicate>> = {
  defined: isDefined,
  undefined: (v, a, s) => !isDefined(v, a, s),
  none: (v) => v === null,
  boolean: (v) => typeof v === "boolean",
  false: (v) => v === false,
  true: (v) => v === true,
  integer: (v) => typeof v === "number" && Number.isInteger(v),
  float: (v) => v instanceof IntegralFloat || (typeof v === "number" && !Number.isInteger(v)),
  number: (v) => isNumeric(v),
  string: (v) => typeof v === "string",
  mapping: (v) => isDict(v),
  sequence: (v) => typeof v === "string" || Array.isArray(v) || isDict(v),
  iterable: (v) => {
    if (v instanceof Undefined && !v.lenient) defined(v);
    return typeof v === "string" || Array.isArray(v) || isDict(v) || (v instanceof Undefined && v.lenient);
  },
  callable: (v) => isCallable(v),
  sameas: sameAs,
  escaped: () => false,
  lower: (v) => isPyLower(text(v)),
  upper: (v) => isPyUpper(text(v)),
  odd: (v, _a, s) => eq(remainder(v, 2, s), 1),
  even: (v, _a, s) => eq(remainder(v, 2, s), 0),
  divisibleby: (v, a, s) => eq(remainder(v, a[0], s), 0),
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
  filter: (v) => typeof v === "string" && Object.hasOwn(FILTER_SIGNATURES, v),
  test: (v) => typeof v === "string" && Object.hasOwn(TESTS, v),
};

/** How many arguments each test takes after the value (the rest take none). */
export const TEST_ARITY: Readonly<Record<string, number>> = Object.fromEntries(
  [
    "divisibleby",
    "in",
    "eq",
    "equalto",
    "==",
    "ne",
    "!=",
    "lt",
    "lessthan",
    "<",
    "le",
    "<=",
    "gt",
    "greaterthan",
    ">",
    "ge",
    ">=",
    "sameas",
  ].map((n) => [n, 1]),
);

/** The name of a test's argument where Jinja2's test takes it by keyword (the operator tests take none). */
export const TEST_KEYWORDS: Readonly<Record<string, string>> = { divisibleby: "num", sameas: "other", in: "seq" };

/** The tests allowed after `is`: all of them. */
export const IS_TESTS = TESTS;
/** The tests `select`, `reject`, `selectattr` and `rejectattr` may name: all of them. */
export const SELECT_TESTS = TESTS;

/** Runs the test `name` (a runtime value, as `select` gets it) on `value`; a keyword argument fills the test's parameter. */
export function testByName(
  name: unknown,
  site: number,
  value: unknown,
  positional: readonly unknown[],
  keywords?: ReadonlyMap<string, unknown>,
): boolean {
  const test = typeof name === "string" && Object.hasOwn(TESTS, name) ? TESTS[name] : undefined;
  if (!test) throw new RenderFault(`No test named '${String(name)}'.`, site);
  let args = positional;
  for (const [key, v] of keywords ?? []) {
    if (TEST_KEYWORDS[name as string] !== key || args.length)
      throw new RenderFault(`test \`${String(name)}\` got an unexpected keyword argument '${key}'`, site);
    args = [v];
  }
  const want = TEST_ARITY[name as string] ?? 0;
  if (args.length !== want)
    throw new RenderFault(
      `test \`${String(name)}\` takes ${want} argument${want === 1 ? "" : "s"} (${args.length} given)`,
      site,
    );
  return test(value, args, site);
}
