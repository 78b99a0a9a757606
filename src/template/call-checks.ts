import { didYouMean } from "../errors/did-you-mean.ts";
import type { Expr, Keyword } from "./ast.ts";
import { FILTER_NAMES, FILTER_SIGNATURES, bindArguments, type FilterSignature } from "./catalog.ts";
import { METHOD_ARITY } from "./methods.ts";
import { SELECT_TESTS } from "./predicates.ts";

/** A load-time problem with a call, at an offset in the template. */
export interface CallProblem {
  message: string;
  at: number;
  hint?: string;
}

/** The methods templates may call. */
export const METHODS: readonly string[] = Object.keys(METHOD_ARITY);

/** How a filter is called: `x | replace(old, new, count)`; `count` is optional. */
function filterUsage(name: string, sig: FilterSignature): string {
  if (!sig.params.length) return `write \`x | ${name}\``;
  const optional = sig.params.slice(sig.required ?? 0).map((p) => `\`${p}\``);
  const note = optional.length === sig.params.length ? "; all are optional" : optional.length ? `; ${optional.join(", ")} ${optional.length === 1 ? "is" : "are"} optional` : "";
  return `write \`x | ${name}(${sig.params.join(", ")})\`${note}`;
}

/** How each method is called, for hints. */
const METHOD_USAGE: Readonly<Record<string, string>> = {
  get: "`.get(key)` or `.get(key, default)`",
  strip: "`.strip()` or `.strip(chars)`",
  split: "`.split()`, `.split(sep)` or `.split(sep, maxsplit)`",
  startswith: "`.startswith(prefix)`",
  endswith: "`.endswith(suffix)`",
  replace: "`.replace(old, new)` or `.replace(old, new, count)`",
};

const literal = (e: Expr | undefined) => (e?.kind === "const" && typeof e.value === "string" ? { value: e.value, at: e.at } : undefined);

/**
 * Problems with `value | name(args)`: an unknown filter, arguments that do not bind,
 * and for `map`/`selectattr`/`rejectattr` an unknown filter or test named by a literal.
 */
export function checkFilterCall(name: string, at: number, args: readonly Expr[], kwargs: readonly Keyword[]): CallProblem[] {
  const sig = Object.hasOwn(FILTER_SIGNATURES, name) ? FILTER_SIGNATURES[name] : undefined;
  if (!sig) return [{ message: `unknown filter \`${name}\`${didYouMean(name, FILTER_NAMES)}`, at, hint: `supported filters: ${FILTER_NAMES.join(", ")}` }];
  if (!sig.variadic) {
    const bound = bindArguments(name, args.length, kwargs.map((k) => k.name));
    return typeof bound === "string" ? [{ message: bound, at, hint: filterUsage(name, sig) }] : [];
  }
  if (name === "map") {
    const filter = literal(args[0]);
    if (args.length === 0 && !kwargs.some((k) => k.name === "attribute")) {
      return [{ message: "`map` needs a filter name or `attribute=`", at, hint: "e.g. `users | map(attribute='name')` or `names | map('upper')`" }];
    }
    if (filter && !Object.hasOwn(FILTER_SIGNATURES, filter.value)) {
      return [{ message: `unknown filter \`${filter.value}\`${didYouMean(filter.value, FILTER_NAMES)}`, at: filter.at, hint: `supported filters: ${FILTER_NAMES.join(", ")}` }];
    }
    return [];
  }
  if (args.length === 0) {
    return [{ message: `\`${name}\` needs the attribute to look at`, at, hint: `e.g. \`users | ${name}('active')\` or \`users | ${name}('role', 'equalto', 'admin')\`` }];
  }
  const test = literal(args[1]);
  if (test && !Object.hasOwn(SELECT_TESTS, test.value)) {
    const names = Object.keys(SELECT_TESTS);
    return [{ message: `unknown test \`${test.value}\`${didYouMean(test.value, names)}`, at: test.at, hint: `supported tests: ${names.join(", ")}` }];
  }
  return [];
}

/** A problem with `obj.method(args)`: an unknown method, keywords, or a wrong number of arguments. */
export function checkMethodCall(method: string, nameAt: number, callAt: number, argCount: number, kwargs: readonly Keyword[]): CallProblem | undefined {
  const arity = Object.hasOwn(METHOD_ARITY, method) ? METHOD_ARITY[method] : undefined;
  if (!arity) {
    const suggestion = didYouMean(method, METHODS).replace(/`([^`]+)`/, "`.$1()`");
    return { message: `unknown method \`.${method}()\`${suggestion}`, at: nameAt, hint: `supported methods: ${METHODS.map((m) => `.${m}()`).join(" ")}` };
  }
  const usage = `write ${METHOD_USAGE[method] ?? `\`.${method}()\``}`;
  if (kwargs.length) return { message: `method \`.${method}()\` takes no keyword arguments`, at: kwargs[0]!.at, hint: `pass the values in order: ${usage.slice(6)}` };
  if (argCount < arity[0] || argCount > arity[1]) {
    const want = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
    return { message: `method \`.${method}()\` takes ${want} argument${arity[1] === 1 ? "" : "s"} (${argCount} given)`, at: callAt, hint: usage };
  }
  return undefined;
}
