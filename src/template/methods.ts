/**
 * `obj.method(args)`: the methods of Python's str, list and dict that do not change the
 * value, and the methods of engine objects (`loop.cycle`, a cycler's `next`). Methods that
 * mutate (`append`, `update`, `pop`…) are refused at load time: a value in a template is
 * often a step's result, shared with every other step that reads it (REFUSED_METHODS).
 */
import { RenderFault } from "./errors.ts";
import { iterate } from "./lookup.ts";
import { STR_METHODS, intArg, positionalOnly } from "./methods-str.ts";
import { defined, eq } from "./operators.ts";
import { PyCallable, callValue, type KwArgs } from "./py-callable.ts";
import { PyObject } from "./py-object.ts";
import { sliceIndexes } from "./slices.ts";
import { toText } from "./to-text.ts";
import { isDict, pyType } from "./values.ts";

export { METHOD_ARITY, REFUSED_METHODS } from "./method-catalog.ts";

const NO_KEYWORDS: KwArgs = Object.freeze({});

type Method<T> = (self: T, args: readonly unknown[], site: number) => unknown;

function noMethod(obj: unknown, method: string, site: number): RenderFault {
  return new RenderFault(`'${pyType(obj)}' object has no attribute '${method}'`, site);
}

function listIndex(self: readonly unknown[], args: readonly unknown[], site: number): number {
  const idx = sliceIndexes(
    self.length,
    args[1] === undefined ? undefined : intArg(args[1], "index", site),
    args[2] === undefined ? undefined : intArg(args[2], "index", site),
    1,
    site,
  );
  for (const i of idx) if (eq(self[i], args[0])) return i;
  throw new RenderFault(`${toText(args[0])} is not in list`, site);
}

const LIST_METHODS: Readonly<Record<string, Method<unknown[]>>> = {
  copy: (self) => [...self],
  count: (self, args) => self.filter((v) => eq(v, args[0])).length,
  index: listIndex,
};

const liveKeys = (d: Record<string, unknown>): string[] => Object.keys(d).filter((k) => d[k] !== undefined);

const DICT_METHODS: Readonly<Record<string, Method<Record<string, unknown>>>> = {
  copy: (self) => Object.fromEntries(liveKeys(self).map((k) => [k, self[k]])),
  items: (self) => liveKeys(self).map((k) => [k, self[k]]),
  keys: (self) => liveKeys(self),
  values: (self) => liveKeys(self).map((k) => self[k]),
  get: (self, args) => {
    const key = defined(args[0]);
    const found = typeof key === "string" && Object.hasOwn(self, key) ? self[key] : undefined;
    return found === undefined ? (args.length > 1 ? args[1] : null) : found;
  },
  fromkeys: (_self, args, site) => {
    const out: Record<string, unknown> = {};
    for (const k of iterate(defined(args[0]), site)) {
      Object.defineProperty(out, typeof k === "string" ? k : toText(k), {
        value: args.length > 1 ? args[1] : null,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  },
};

/** An engine object's method: what its `getAttr` returns, called. */
function objectMethod(obj: PyObject, method: string, args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
  const fn = obj.getAttr(method);
  if (typeof fn === "function" || fn instanceof PyCallable) return callValue(fn, args, kwargs, site);
  throw new RenderFault(`'${obj.typeName}' object has no method '${method}'`, site);
}

/**
 * `obj.method(*args, **kwargs)` (`R.call`): a dict key holding a callable is called like
 * Jinja2 calls it (`d.f()` when `f` is not a dict method).
 */
export function callMethod(
  obj: unknown,
  method: string,
  args: readonly unknown[],
  site: number,
  kwargs: KwArgs = NO_KEYWORDS,
): unknown {
  defined(obj);
  if (obj instanceof PyObject) return objectMethod(obj, method, args, kwargs, site);
  if (typeof obj === "string") {
    const fn = Object.hasOwn(STR_METHODS, method) ? STR_METHODS[method] : undefined;
    if (fn) return fn(obj, args, kwargs, site);
  } else if (Array.isArray(obj)) {
    const fn = Object.hasOwn(LIST_METHODS, method) ? LIST_METHODS[method] : undefined;
    if (fn) {
      positionalOnly(method, kwargs, site);
      return fn(obj, args, site);
    }
  } else if (isDict(obj)) {
    const fn = Object.hasOwn(DICT_METHODS, method) ? DICT_METHODS[method] : undefined;
    if (fn) {
      positionalOnly(method, kwargs, site);
      return fn(obj, args, site);
    }
    const held = Object.hasOwn(obj, method) ? obj[method] : undefined;
    if (held instanceof PyCallable || typeof held === "function") return callValue(held, args, kwargs, site);
  }
  throw noMethod(obj, method, site);
}
