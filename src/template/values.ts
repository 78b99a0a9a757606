/**
 * How Python values live inside the template engine. Most are plain JS values
 * (str → string, int → integral number or, beyond 2^53, bigint, bool → boolean, None → null, list/tuple → array,
 * dict → plain object); the classes here cover what JS cannot say on its own.
 */

import { PyObject } from "./py-object.ts";

// The number model is shared with the python wire and the history (src/model/py-value.ts).
import { IntegralFloat } from "../model/py-value.ts";

export { IntegralFloat, pyInt } from "../model/py-value.ts";

/** Why a value is undefined; drives the error message when it is used. */
export type UndefinedReason =
  | { kind: "name"; name: string }
  | { kind: "key"; key: string; container: object }
  | { kind: "attr"; key: string; container: unknown }
  | { kind: "index"; index: unknown; container: unknown }
  | { kind: "empty"; note: string }
  /** `a if c` without `else`: prints as nothing and is false, like Jinja's. */
  | { kind: "no-else" };

/**
 * Jinja's strict undefined: produced by a lookup that found nothing, harmless until
 * used (printed, compared, iterated, computed with), when it raises. `default`/`d` and
 * `is defined` look at it without raising.
 */
export class Undefined {
  constructor(
    /** The code site that produced it (maps to a source span). */
    readonly site: number,
    readonly reason: UndefinedReason,
  ) {}
  /** True for the one lenient kind (`a if c` without `else`). */
  get lenient(): boolean {
    return this.reason.kind === "no-else";
  }
}

/** `{{ x | raw }}`: a value that skips output finalisation (shell quoting). */
export class RawValue {
  constructor(readonly value: unknown) {}
}

/** Makes a Python float from a JS number: integral values are boxed. */
export function pyFloat(n: number): number | IntegralFloat {
  return Number.isInteger(n) ? new IntegralFloat(n) : n;
}

/** A plain (JSON-like) object: the engine's dict. */
export function isDict(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** bool, int or float (Python's `numbers.Number`). */
export function isNumeric(v: unknown): v is number | bigint | boolean | IntegralFloat {
  return typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v instanceof IntegralFloat;
}

/** A Python float: a non-integral number (incl. inf/nan) or a boxed integral one. */
export function isFloat(v: unknown): boolean {
  return v instanceof IntegralFloat || (typeof v === "number" && !Number.isInteger(v));
}

/** The JS number of a numeric value (bool → 0/1; a bigint rounded to the nearest double). */
export function numberOf(v: number | bigint | boolean | IntegralFloat): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  return v.value;
}

/** Python's name for the type of `v`, for error messages. */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (v instanceof IntegralFloat) return "float";
  if (Array.isArray(v)) return "list";
  if (v instanceof Undefined) return "undefined";
  if (v instanceof RawValue) return pyType(v.value);
  if (v instanceof PyObject) return v.typeName;
  if (isDict(v)) return "dict";
  return "object";
}
