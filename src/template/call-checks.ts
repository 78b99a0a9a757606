import { didYouMean } from "../errors/did-you-mean.ts";
import type { Expr, Keyword } from "./ast.ts";
import { FILTER_NAMES, FILTER_SIGNATURES, REFUSED_FILTERS, bindArguments, type FilterSignature } from "./catalog.ts";
import { GLOBALS, REFUSED_GLOBALS } from "./globals.ts";
import { KEYWORD_METHODS, METHOD_ARITY, REFUSED_METHODS } from "./method-catalog.ts";
import { SELECT_TESTS, TEST_ARITY, TEST_KEYWORDS, TESTS } from "./predicates.ts";

/** A load-time problem with a call, at an offset in the template. */
export interface CallProblem {
  message: string;
  at: number;
  hint?: string;
}

/** The methods templates may call, sorted. */
export const METHODS: readonly string[] = Object.keys(METHOD_ARITY).sort();

/** How a filter is called: `x | replace(old, new, count)`; `count` is optional. */
function filterUsage(name: string, sig: FilterSignature): string {
  if (!sig.params.length) return `write \`x | ${name}\``;
  const optional = sig.params.slice(sig.required ?? 0).map((p) => `\`${p}\``);
  const note =
    optional.length === sig.params.length
      ? "; all are optional"
      : optional.length
        ? `; ${optional.join(", ")} ${optional.length === 1 ? "is" : "are"} optional`
        : "";
  return `write \`x | ${name}(${sig.params.join(", ")})\`${note}`;
}

/** How some methods are called, for hints. */
const METHOD_USAGE: Readonly<Record<string, string>> = {
  get: "`.get(key)` or `.get(key, default)`",
  strip: "`.strip()` or `.strip(chars)`",
  split: "`.split()`, `.split(sep)` or `.split(sep, maxsplit)`",
  startswith: "`.startswith(prefix)`",
  endswith: "`.endswith(suffix)`",
  replace: "`.replace(old, new)` or `.replace(old, new, count)`",
};

/** A refused filter, or an unknown one, named at `at`. */
function unknownFilter(name: string, at: number): CallProblem {
  if (Object.hasOwn(REFUSED_FILTERS, name)) return { ...REFUSED_FILTERS[name]!, at };
  return {
    message: `unknown filter \`${name}\`${didYouMean(name, FILTER_NAMES)}`,
    at,
    hint: `supported filters: ${FILTER_NAMES.join(", ")}`,
  };
}

/** A refused test or an unknown one, for `is name` and the tests `select`… name. */
function unknownTest(name: string, at: number): CallProblem {
  const names = Object.keys(TESTS);
  return {
    message: `unknown test \`${name}\`${didYouMean(name, names)}`,
    at,
    hint: `supported tests: ${names.join(", ")} (each also as \`is not …\`)`,
  };
}

const literal = (e: Expr | undefined) =>
  e?.kind === "const" && typeof e.value === "string" ? { value: e.value, at: e.at } : undefined;

/**
 * Problems with `value | name(args)`: an unknown filter, arguments that do not bind,
 * and for `map`/`selectattr`/`rejectattr` an unknown filter or test named by a literal.
 */
export function checkFilterCall(
  name: string,
  at: number,
  args: readonly Expr[],
  kwargs: readonly Keyword[],
): CallProblem[] {
  const sig = Object.hasOwn(FILTER_SIGNATURES, name) ? FILTER_SIGNATURES[name] : undefined;
  if (!sig) return [unknownFilter(name, at)];
  if (!sig.variadic) {
    const bound = bindArguments(
      name,
      args.length,
      kwargs.map((k) => k.name),
    );
    return typeof bound === "string" ? [{ message: bound, at, hint: filterUsage(name, sig) }] : [];
  }
  if (name === "map") {
    const filter = literal(args[0]);
    if (args.length === 0 && !kwargs.some((k) => k.name === "attribute")) {
      return [
        {
          message: "`map` needs a filter name or `attribute=`",
          at,
          hint: "e.g. `users | map(attribute='name')` or `names | map('upper')`",
        },
      ];
    }
    if (filter && !Object.hasOwn(FILTER_SIGNATURES, filter.value)) return [unknownFilter(filter.value, filter.at)];
    return [];
  }
  if (name === "format") {
    if (args.length && kwargs.length)
      return [
        {
          message: "filter `format` takes positional or keyword arguments, not both",
          at,
          hint: "e.g. `'%s-%s' | format(a, b)` or `'%(a)s' | format(a=1)`",
        },
      ];
    return [];
  }
  if (name === "select" || name === "reject") {
    const test = literal(args[0]);
    return test && !Object.hasOwn(SELECT_TESTS, test.value) ? [unknownTest(test.value, test.at)] : [];
  }
  if (args.length === 0) {
    return [
      {
        message: `\`${name}\` needs the attribute to look at`,
        at,
        hint: `e.g. \`users | ${name}('active')\` or \`users | ${name}('role', 'equalto', 'admin')\``,
      },
    ];
  }
  const test = literal(args[1]);
  return test && !Object.hasOwn(SELECT_TESTS, test.value) ? [unknownTest(test.value, test.at)] : [];
}

/** A problem with `x is name(args)`: an unknown test, or the wrong number of arguments. */
export function checkTest(
  name: string,
  at: number,
  argCount: number,
  kwargs: readonly Keyword[],
): CallProblem | undefined {
  if (!Object.hasOwn(TESTS, name)) return unknownTest(name, at);
  const stray = kwargs.find((k) => TEST_KEYWORDS[name] !== k.name);
  if (stray)
    return {
      message: `test \`${name}\` has no argument \`${stray.name}\``,
      at: stray.at,
      hint: `pass it in order: \`x is ${name}(y)\``,
    };
  const want = TEST_ARITY[name] ?? 0;
  const given = argCount + kwargs.length;
  if (given === want) return undefined;
  if (want === 0) return { message: `test \`${name}\` takes no arguments`, at, hint: `write \`x is ${name}\`` };
  return {
    message: `test \`${name}\` takes 1 argument (${given} given)`,
    at,
    hint: `write \`x is ${name}(y)\` or \`x is ${name} y\``,
  };
}

/** A problem with a plain call `f(args)`: a refused global (`lipsum`), or a global called wrongly. */
export function checkPlainCall(callee: Expr, argCount: number, kwargs: readonly Keyword[]): CallProblem | undefined {
  if (callee.kind !== "name") return undefined;
  if (Object.hasOwn(REFUSED_GLOBALS, callee.name)) return { ...REFUSED_GLOBALS[callee.name]!, at: callee.at };
  if (callee.name === "range" && Object.hasOwn(GLOBALS, "range") && (argCount < 1 || argCount > 3 || kwargs.length)) {
    return {
      message: `\`range()\` takes 1 to 3 positional arguments (${argCount} given${kwargs.length ? ", and keywords" : ""})`,
      at: callee.at,
      hint: "`range(stop)`, `range(start, stop)` or `range(start, stop, step)`",
    };
  }
  return undefined;
}

/** A problem with `obj.method(args)`: an unknown or refused method, keywords it does not take, or a wrong number of arguments. */
export function checkMethodCall(
  method: string,
  nameAt: number,
  callAt: number,
  argCount: number,
  kwargs: readonly Keyword[],
): CallProblem | undefined {
  if (Object.hasOwn(REFUSED_METHODS, method)) return { ...REFUSED_METHODS[method]!, at: nameAt };
  const arity = Object.hasOwn(METHOD_ARITY, method) ? METHOD_ARITY[method] : undefined;
  if (!arity) {
    const suggestion = didYouMean(method, METHODS).replace(/`([^`]+)`/, "`.$1()`");
    return {
      message: `unknown method \`.${method}()\`${suggestion}`,
      at: nameAt,
      hint: `supported methods: ${METHODS.map((m) => `.${m}()`).join(" ")}`,
    };
  }
  const usage = `write ${METHOD_USAGE[method] ?? `\`.${method}()\``}`;
  if (kwargs.length && !KEYWORD_METHODS.has(method))
    return {
      message: `method \`.${method}()\` takes no keyword arguments`,
      at: kwargs[0]!.at,
      hint: `pass the values in order: ${usage.slice(6)}`,
    };
  const given = argCount + (arity[1] === Infinity ? 0 : kwargs.length);
  if (argCount > arity[1] || given < arity[0]) {
    const want =
      arity[0] === arity[1]
        ? `${arity[0]}`
        : arity[1] === Infinity
          ? `at least ${arity[0]}`
          : `${arity[0]} to ${arity[1]}`;
    return {
      message: `method \`.${method}()\` takes ${want} argument${arity[1] === 1 ? "" : "s"} (${argCount} given)`,
      at: callAt,
      hint: usage,
    };
  }
  return undefined;
}
