/**
 * Jinja2's global functions (`jinja2.defaults.DEFAULT_NAMESPACE`): `range`, `dict`,
 * `namespace`, `cycler`, `joiner`. A name resolves to a global only when the context does
 * not define it (the context wins, as in Jinja2). `lipsum` is refused at load time: it
 * draws random words, so the text would change from run to run (see REFUSED_GLOBALS).
 */
import { RenderFault } from "./errors.ts";
import { toText } from "./to-text.ts";
import { PyCallable, noKeywords, type KwArgs } from "./py-callable.ts";
import type { Refusal } from "./method-catalog.ts";
import { PyObject } from "./py-object.ts";
import { Undefined, isDict, pyType } from "./values.ts";

/** The most items `range()` makes: it builds a list (Python's is lazy), so a huge range would exhaust memory. */
const MAX_RANGE = 1_000_000;

function rangeInt(v: unknown, site: number): number {
  if (v instanceof Undefined) throw new RenderFault("range() got an undefined value", site);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new RenderFault(`'${pyType(v)}' object cannot be interpreted as an integer`, site);
}

/** `range(stop)`, `range(start, stop[, step])`: a list of ints (Python's range, materialised). */
class RangeFunction extends PyCallable {
  readonly typeName = "builtin_function_or_method";
  call(args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
    noKeywords("range()", kwargs, site);
    if (args.length < 1 || args.length > 3)
      throw new RenderFault(`range expected at most 3 arguments, got ${args.length}`, site);
    const [start, stop, step] =
      args.length === 1
        ? [0, rangeInt(args[0], site), 1]
        : [rangeInt(args[0], site), rangeInt(args[1], site), args.length > 2 ? rangeInt(args[2], site) : 1];
    if (step === 0) throw new RenderFault("range() arg 3 must not be zero", site);
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count > MAX_RANGE)
      throw new RenderFault(`range() of ${count} items is more than a template can build (at most ${MAX_RANGE})`, site);
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = start + i * step;
    return out;
  }
}

/** The pairs of `dict(x)` / `namespace(x)`: a dict, or a list of two-item lists. */
function initialPairs(what: string, args: readonly unknown[], kwargs: KwArgs, site: number): Array<[string, unknown]> {
  if (args.length > 1) throw new RenderFault(`${what} expected at most 1 argument, got ${args.length}`, site);
  const pairs: Array<[string, unknown]> = [];
  const first = args[0];
  if (first instanceof Undefined) throw new RenderFault(`${what} got an undefined value`, site);
  if (isDict(first)) {
    for (const k of Object.keys(first)) if (first[k] !== undefined) pairs.push([k, first[k]]);
  } else if (Array.isArray(first)) {
    first.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new RenderFault(
          `dictionary update sequence element #${i} has length ${Array.isArray(pair) ? pair.length : 1}; 2 is required`,
          site,
        );
      pairs.push([typeof pair[0] === "string" ? pair[0] : toText(pair[0]), pair[1]]);
    });
  } else if (first !== undefined) throw new RenderFault(`'${pyType(first)}' object is not iterable`, site);
  for (const k of Object.keys(kwargs)) pairs.push([k, kwargs[k]]);
  return pairs;
}

/** Stores `pairs` in a fresh plain object; `__proto__` becomes an ordinary key. */
function objectOf(pairs: ReadonlyArray<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** `dict(mapping_or_pairs, **kw)`: a new dict. */
class DictFunction extends PyCallable {
  readonly typeName = "type";
  call(args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
    return objectOf(initialPairs("dict", args, kwargs, site));
  }
}

/**
 * A `namespace(…)`: the one mutable object of a template, so that a value set inside a
 * loop is seen after it. `{% set ns.x = v %}` calls `set("x", v)`; `ns.x` reads it.
 */
export class Namespace extends PyObject {
  readonly typeName = "Namespace";
  private readonly attrs: Record<string, unknown>;
  constructor(pairs: ReadonlyArray<[string, unknown]>) {
    super();
    this.attrs = objectOf(pairs);
  }
  getAttr(name: string): unknown {
    return Object.hasOwn(this.attrs, name) ? this.attrs[name] : undefined;
  }
  /** `{% set ns.name = value %}`. */
  set(name: string, value: unknown): void {
    Object.defineProperty(this.attrs, name, { value, enumerable: true, writable: true, configurable: true });
  }
}

class NamespaceFunction extends PyCallable {
  readonly typeName = "type";
  call(args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
    return new Namespace(initialPairs("namespace", args, kwargs, site));
  }
}

/** `cycler(a, b, …)`: `next()` returns the items in turn, `current` is the next one, `reset()` starts over. */
export class Cycler extends PyObject {
  readonly typeName = "Cycler";
  private pos = 0;
  constructor(private readonly items: readonly unknown[]) {
    super();
  }
  getAttr(name: string): unknown {
    switch (name) {
      case "current":
        return this.items[this.pos];
      case "items":
        return this.items;
      case "next":
        return () => {
          const value = this.items[this.pos];
          this.pos = (this.pos + 1) % this.items.length;
          return value;
        };
      case "reset":
        return () => {
          this.pos = 0;
          return null;
        };
      default:
        return undefined;
    }
  }
}

class CyclerFunction extends PyCallable {
  readonly typeName = "type";
  call(args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
    noKeywords("cycler()", kwargs, site);
    if (!args.length) throw new RenderFault("at least one item has to be provided", site);
    return new Cycler([...args]);
  }
}

/** `joiner(sep)`: called, returns "" the first time and `sep` after. */
export class Joiner extends PyCallable {
  readonly typeName = "Joiner";
  private used = false;
  constructor(private readonly sep: unknown) {
    super();
  }
  call(args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
    noKeywords("joiner", kwargs, site);
    if (args.length)
      throw new RenderFault(`Joiner.__call__() takes 1 positional argument but ${args.length + 1} were given`, site);
    if (!this.used) {
      this.used = true;
      return "";
    }
    return this.sep;
  }
}

class JoinerFunction extends PyCallable {
  readonly typeName = "type";
  call(args: readonly unknown[], kwargs: KwArgs, site: number): unknown {
    if (args.length > 1)
      throw new RenderFault(`joiner() takes from 0 to 1 positional arguments but ${args.length} were given`, site);
    const extra = Object.keys(kwargs).find((k) => k !== "sep");
    if (extra) throw new RenderFault(`joiner() got an unexpected keyword argument '${extra}'`, site);
    if (args.length && Object.hasOwn(kwargs, "sep"))
      throw new RenderFault("joiner() got multiple values for argument 'sep'", site);
    return new Joiner(args.length ? args[0] : Object.hasOwn(kwargs, "sep") ? kwargs.sep : ", ");
  }
}

/** The supported globals, by name. */
export const GLOBALS: Readonly<Record<string, PyCallable>> = {
  range: new RangeFunction(),
  dict: new DictFunction(),
  namespace: new NamespaceFunction(),
  cycler: new CyclerFunction(),
  joiner: new JoinerFunction(),
};

/** Globals of Jinja2 refused at load time: why (the message) and what to write instead (the hint). */
export const REFUSED_GLOBALS: Readonly<Record<string, Refusal>> = {
  lipsum: {
    message:
      "`lipsum()` is not supported: it draws random words, so the text would differ on every run (and a prompt using it would never hit the response cache)",
    hint: "write the placeholder text, or generate it in a python: step",
  },
};

/** True for a supported or refused global name: such a name is never reported as an unknown input. */
export function isGlobalName(name: string): boolean {
  return Object.hasOwn(GLOBALS, name) || Object.hasOwn(REFUSED_GLOBALS, name);
}

/** A free name that is also a global: the context's value when it has one, else the global. */
export function globalName(context: Record<string, unknown>, key: string, site: number): unknown {
  const v = Object.hasOwn(context, key) ? context[key] : undefined;
  if (v !== undefined) return v;
  return Object.hasOwn(GLOBALS, key) ? GLOBALS[key] : new Undefined(site, { kind: "name", name: key });
}
