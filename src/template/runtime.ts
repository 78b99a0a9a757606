import { FILTERS } from "./filters.ts";
import { attr, attrGuarded, dict, item, itemGuarded, iterate, name, unpack } from "./lookup.ts";
import { loopContext, newLoopState } from "./loop-context.ts";
import { Macro, missingParameter, setAttribute } from "./macro.ts";
import { callMethod } from "./methods.ts";
import { add, cat, compare, contains, div, eq, floordiv, mul, neg, pos, pow, sub, truthy } from "./operators.ts";
import { IS_TESTS } from "./predicates.ts";
import { GLOBALS_RUNTIME } from "./runtime-calls.ts";
import { pyStrip } from "./py-string.ts";
import { ShellOut } from "./shell-output.ts";
import type { ShellSlot } from "./shell-slot.ts";
import { IntegralFloat, RawValue, Undefined } from "./values.ts";

/** "Not assigned yet" for template locals that a `set` in an `if` branch may assign. */
const MISSING: unique symbol = Symbol("missing");

/**
 * The helpers generated code calls, passed to every render as `$r`. Every helper that
 * can fail takes a site number last, which the template maps back to a source span.
 */
export const RUNTIME = {
  M: MISSING,
  name,
  attr,
  attrG: attrGuarded,
  item,
  itemG: itemGuarded,
  call: callMethod,
  iter: iterate,
  unpack,
  loop: loopContext,
  loopState: newLoopState,
  /** `{% macro %}`: name, parameters, what the body catches, its site, the body function. */
  macro: (
    name: string,
    params: string[],
    catches: { varargs: boolean; kwargs: boolean; caller: boolean },
    site: number,
    body: ConstructorParameters<typeof Macro>[5],
  ) => new Macro(name, params, catches, MISSING, site, body),
  noArg: missingParameter,
  setattr: setAttribute,
  dict,
  truthy,
  add,
  sub,
  mul,
  div,
  floordiv,
  pow,
  neg,
  pos,
  cat,
  eq,
  lt: (a: unknown, b: unknown, site: number) => compare(a, b, "<", site) < 0,
  le: (a: unknown, b: unknown, site: number) => compare(a, b, "<=", site) <= 0,
  gt: (a: unknown, b: unknown, site: number) => compare(a, b, ">", site) > 0,
  ge: (a: unknown, b: unknown, site: number) => compare(a, b, ">=", site) >= 0,
  contains,
  f: FILTERS,
  t: IS_TESTS,
  /** A float literal with an integral value (`2.0`). */
  fl: (n: number) => new IntegralFloat(n),
  /** Trims string operands of comparisons in conditions (SPEC docs/templates.md#conditions). */
  tr: (v: unknown) => (typeof v === "string" ? pyStrip(v) : v),
  raw: (v: unknown) => new RawValue(v),
  noElse: (site: number) => new Undefined(site, { kind: "no-else" }),
  sh: (v: unknown, slot: ShellSlot, site: number) => new ShellOut(v, slot, site),
  ...GLOBALS_RUNTIME,
};

/** The type of `$r` in generated code. */
export type Runtime = typeof RUNTIME;
