/**
 * `{% macro %}` at run time: a callable that binds Python-style arguments to the
 * parameters, then renders its body (the generated function) to text. Missing
 * parameters without a default are undefined (an error only when the body uses them),
 * extra positional arguments go to `varargs` and unknown keywords to `kwargs` when the
 * body reads those names, as in Jinja2; otherwise they are errors.
 */
import { RenderFault } from "./errors.ts";
import { Namespace } from "./globals.ts";
import { PyCallable, type KwArgs } from "./py-callable.ts";
import { Undefined } from "./values.ts";

/** The generated body: bound parameters (MISSING where not given), extra positionals, extra keywords, the caller. */
export type MacroBody = (
  args: unknown[],
  varargs: unknown[],
  kwargs: Record<string, unknown>,
  caller: unknown,
) => string;

/** What the body reads of the special names (decided from the template at compile time). */
export interface MacroCatches {
  varargs: boolean;
  kwargs: boolean;
  caller: boolean;
}

export class Macro extends PyCallable {
  readonly typeName = "Macro";
  constructor(
    readonly name: string,
    private readonly params: readonly string[],
    private readonly catches: MacroCatches,
    private readonly missing: symbol,
    private readonly definedAt: number,
    private readonly body: MacroBody,
  ) {
    super();
  }

  override getAttr(name: string): unknown {
    switch (name) {
      case "name":
        return this.name;
      case "arguments":
        return [...this.params];
      case "catch_kwargs":
        return this.catches.kwargs;
      case "catch_varargs":
        return this.catches.varargs;
      case "caller":
        return this.catches.caller;
      default:
        return undefined;
    }
  }

  call(args: readonly unknown[], kwargs: KwArgs, site: number): string {
    const { params, catches } = this;
    const bound: unknown[] = params.map((_, i) => (i < args.length ? args[i] : this.missing));
    const varargs = args.slice(params.length);
    if (varargs.length && !catches.varargs) {
      throw new RenderFault(`macro '${this.name}' takes not more than ${params.length} argument(s)`, site);
    }
    const extra: Record<string, unknown> = {};
    let caller: unknown = new Undefined(this.definedAt, { kind: "name", name: "caller" });
    for (const key of Object.keys(kwargs)) {
      const i = params.indexOf(key);
      if (i >= 0 && bound[i] === this.missing) bound[i] = kwargs[key];
      else if (i >= 0) throw new RenderFault(`macro '${this.name}' got multiple values for argument '${key}'`, site);
      else if (key === "caller" && catches.caller) caller = kwargs[key];
      else if (catches.kwargs)
        Object.defineProperty(extra, key, { value: kwargs[key], enumerable: true, writable: true, configurable: true });
      else throw new RenderFault(`macro '${this.name}' takes no keyword argument '${key}'`, site);
    }
    return this.body(bound, varargs, extra, caller);
  }

  override toString(): string {
    return `<Macro '${this.name}'>`;
  }
}

/** The value of a parameter that was not given and has no default. */
export function missingParameter(name: string, site: number): Undefined {
  return new Undefined(site, { kind: "empty", note: `parameter '${name}' was not provided` });
}

/** `{% set ns.attr = value %}`: only a `namespace()` takes attributes. */
export function setAttribute(obj: unknown, attr: string, value: unknown, site: number): void {
  if (!(obj instanceof Namespace)) throw new RenderFault("cannot assign attribute on non-namespace object", site);
  obj.set(attr, value);
}
