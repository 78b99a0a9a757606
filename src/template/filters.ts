import { bindArguments } from "./catalog.ts";
import { RenderFault } from "./errors.ts";
import { COLLECTION_FILTERS, attributeGetter, variadic } from "./filters-collection.ts";
import { TEXT_FILTERS, type FilterFn } from "./filters-text.ts";
import { iterate } from "./lookup.ts";
import { truthy } from "./operators.ts";
import { SELECT_TESTS } from "./predicates.ts";

export type { FilterFn } from "./filters-text.ts";

/** Runs the filter `name` with runtime arguments, binding keywords like a call site would. */
function callByName(name: string, site: number, value: unknown, positional: unknown[], keywords: Map<string, unknown>): unknown {
  const bound = bindArguments(name, positional.length, [...keywords.keys()]);
  if (typeof bound === "string") throw new RenderFault(bound, site);
  const all = [...positional, ...keywords.values()];
  const fn = FILTERS[name]!;
  if (name === "map" || name === "selectattr" || name === "rejectattr") {
    return fn(site, value, positional, [...keywords].flat());
  }
  return fn(site, value, ...bound.map((i) => (i < 0 ? undefined : all[i])));
}

/** Runs the select test `name` (a runtime value) on `value`. */
function testByName(name: unknown, site: number, value: unknown, args: unknown[]): boolean {
  const test = typeof name === "string" && Object.hasOwn(SELECT_TESTS, name) ? SELECT_TESTS[name] : undefined;
  if (!test) throw new RenderFault(`no test named '${String(name)}'`, site);
  return test(value, args, site);
}

function selectOrReject(site: number, value: unknown, args: unknown[], keep: boolean): unknown[] {
  const { positional, keywords } = variadic(args);
  if (positional.length === 0) throw new RenderFault("Missing parameter for attribute name", site);
  if (keywords.size) throw new RenderFault(`unexpected keyword argument \`${[...keywords.keys()][0]}\``, site);
  const get = attributeGetter(positional[0], site);
  const test = positional.length > 1 ? (v: unknown) => testByName(positional[1], site, v, positional.slice(2)) : truthy;
  return iterate(value, site).filter((v) => test(get(v)) === keep);
}

/**
 * Every filter of SPEC §4.1, called as `fn(site, value, ...args)` with the arguments
 * already bound to parameter positions (`undefined` = not given). The variadic
 * filters (`map`, `selectattr`, `rejectattr`) take `(positional[], keywordPairs[])`.
 */
export const FILTERS: Readonly<Record<string, FilterFn>> = {
  ...TEXT_FILTERS,
  ...COLLECTION_FILTERS,
  d: TEXT_FILTERS.default!,
  count: COLLECTION_FILTERS.length!,
  map: (site, v, ...args) => {
    const { positional, keywords } = variadic(args);
    const items = iterate(v, site);
    if (positional.length === 0 && keywords.has("attribute")) {
      for (const k of keywords.keys()) {
        if (k !== "attribute" && k !== "default") throw new RenderFault(`Unexpected keyword argument '${k}'`, site);
      }
      return items.map(attributeGetter(keywords.get("attribute"), site, undefined, keywords.get("default")));
    }
    if (positional.length === 0) throw new RenderFault("map requires a filter argument", site);
    const name = positional[0];
    if (typeof name !== "string" || !Object.hasOwn(FILTERS, name)) throw new RenderFault(`map(): no filter named '${String(name)}'`, site);
    return items.map((x) => callByName(name, site, x, positional.slice(1), keywords));
  },
  selectattr: (site, v, ...args) => selectOrReject(site, v, args, true),
  rejectattr: (site, v, ...args) => selectOrReject(site, v, args, false),
};
