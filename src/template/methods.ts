import { RenderFault } from "./errors.ts";
import { defined } from "./operators.ts";
import { pyReplace, pySplit, pyStrip } from "./py-string.ts";
import { toText } from "./to-text.ts";
import { isDict, pyType } from "./values.ts";

/** Argument count bounds of each supported method, `[min, max]`. */
export const METHOD_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  items: [0, 0],
  keys: [0, 0],
  values: [0, 0],
  get: [1, 2],
  upper: [0, 0],
  lower: [0, 0],
  strip: [0, 1],
  split: [0, 2],
  startswith: [1, 1],
  endswith: [1, 1],
  replace: [2, 3],
};

const DICT_METHODS = new Set(["items", "keys", "values", "get"]);

function noMethod(obj: unknown, method: string, site: number): RenderFault {
  return new RenderFault(`'${pyType(obj)}' object has no method '${method}'`, site);
}

function textArg(v: unknown, method: string, site: number): string {
  defined(v);
  if (typeof v !== "string") throw new RenderFault(`${method}() argument must be str, not ${pyType(v)}`, site);
  return v;
}

function intArg(v: unknown, method: string, site: number): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new RenderFault(`${method}() expects an integer, not ${pyType(v)}`, site);
}

function affix(s: string, arg: unknown, method: "startswith" | "endswith", site: number): boolean {
  const options = Array.isArray(arg) ? arg : [arg];
  return options.some((o) => {
    const text = textArg(o, method, site);
    return method === "startswith" ? s.startsWith(text) : s.endsWith(text);
  });
}

/** `obj.method(args)` for the methods of SPEC §4.1. */
export function callMethod(obj: unknown, method: string, args: readonly unknown[], site: number): unknown {
  defined(obj);
  if (DICT_METHODS.has(method)) {
    if (!isDict(obj)) throw noMethod(obj, method, site);
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
    if (method === "items") return keys.map((k) => [k, obj[k]]);
    if (method === "keys") return keys;
    if (method === "values") return keys.map((k) => obj[k]);
    const key = defined(args[0]);
    const found = typeof key === "string" && Object.hasOwn(obj, key) ? obj[key] : undefined;
    return found === undefined ? (args.length > 1 ? args[1] : null) : found;
  }
  if (typeof obj !== "string") throw noMethod(obj, method, site);
  switch (method) {
    case "upper":
      return obj.toUpperCase();
    case "lower":
      return obj.toLowerCase();
    case "strip": {
      const chars = args[0] === undefined || args[0] === null ? null : textArg(args[0], method, site);
      return pyStrip(obj, chars);
    }
    case "split": {
      const sep = args[0] === undefined || args[0] === null ? null : textArg(args[0], method, site);
      if (sep === "") throw new RenderFault("split(): empty separator", site);
      return pySplit(obj, sep, args.length > 1 ? intArg(args[1], method, site) : -1);
    }
    case "startswith":
    case "endswith":
      return affix(obj, args[0], method, site);
    case "replace":
      return pyReplace(obj, toText(textArg(args[0], method, site)), textArg(args[1], method, site), args.length > 2 ? intArg(args[2], method, site) : -1);
    default:
      throw noMethod(obj, method, site);
  }
}
