import { didYouMean } from "../errors/did-you-mean.ts";
import type { Expr, Keyword } from "./ast.ts";
import { FILTER_NAMES, FILTER_SIGNATURES, bindArguments } from "./catalog.ts";
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
    return typeof bound === "string" ? [{ message: bound, at }] : [];
  }
  if (name === "map") {
    const filter = literal(args[0]);
    if (args.length === 0 && !kwargs.some((k) => k.name === "attribute")) return [{ message: "`map` needs a filter name or `attribute=`", at }];
    if (filter && !Object.hasOwn(FILTER_SIGNATURES, filter.value)) {
      return [{ message: `unknown filter \`${filter.value}\`${didYouMean(filter.value, FILTER_NAMES)}`, at: filter.at }];
    }
    return [];
  }
  if (args.length === 0) return [{ message: `\`${name}\` needs the attribute to look at`, at }];
  const test = literal(args[1]);
  if (test && !Object.hasOwn(SELECT_TESTS, test.value)) {
    return [{ message: `unknown test \`${test.value}\`${didYouMean(test.value, Object.keys(SELECT_TESTS))}`, at: test.at }];
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
  if (kwargs.length) return { message: `method \`.${method}()\` takes no keyword arguments`, at: kwargs[0]!.at };
  if (argCount < arity[0] || argCount > arity[1]) {
    const want = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
    return { message: `method \`.${method}()\` takes ${want} argument${arity[1] === 1 ? "" : "s"} (${argCount} given)`, at: callAt };
  }
  return undefined;
}
