/**
 * Calling values: the convention every plain call in a template follows (`range(3)`,
 * `j()`, `c.next()`, a macro). A callable is either
 * - a `PyCallable` (its `call(args, kwargs, site)` receives positional arguments in
 *   order and keywords as an object of own properties, built with computed keys so a
 *   `__proto__` keyword is a plain key), or
 * - a plain JS function, called with the positional arguments only (keywords refused):
 *   what `PyObject.getAttr` returns for a method (`loop.cycle`, `cycler.next`).
 * Every failure is a `RenderFault` carrying `site`, so the message points at the call.
 */
import { RenderFault } from "./errors.ts";
import { PyObject } from "./py-object.ts";
import { undefinedFault } from "./to-text.ts";
import { Undefined, pyType } from "./values.ts";

/** Keyword arguments of a call. */
export type KwArgs = Readonly<Record<string, unknown>>;

/** An engine object that can be called with positional and keyword arguments (globals, macros). */
export abstract class PyCallable extends PyObject {
  abstract call(args: readonly unknown[], kwargs: KwArgs, site: number): unknown;
  getAttr(_name: string): unknown {
    return undefined;
  }
}

/** Python's `callable(v)`. */
export function isCallable(v: unknown): boolean {
  return v instanceof PyCallable || typeof v === "function";
}

/**
 * `fn(*args, **kwargs)` for any value the engine holds (`R.callValue` in generated code).
 * A value that is not callable raises Python's "'int' object is not callable".
 */
export function callValue(fn: unknown, args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
  if (fn instanceof Undefined) throw undefinedFault(fn);
  if (fn instanceof PyCallable) return fn.call(args, kwargs, site);
  if (typeof fn === "function") {
    noKeywords("this function", kwargs, site);
    return (fn as (...a: unknown[]) => unknown)(...args);
  }
  throw new RenderFault(`'${pyType(fn)}' object is not callable`, site);
}

/** Raises unless `kwargs` is empty: for callables that take none. */
export function noKeywords(what: string, kwargs: KwArgs, site: number): void {
  for (const key in kwargs) throw new RenderFault(`${what} got an unexpected keyword argument '${key}'`, site);
}
