import { bindArguments } from "./catalog.ts";
import { RenderFault } from "./errors.ts";
import { COLLECTION_FILTERS, attributeGetter, variadic } from "./filters-collection.ts";
import { TEXT_FILTERS, type FilterFn } from "./filters-text.ts";
import { iterate } from "./lookup.ts";
import { truthy } from "./operators.ts";
import { HTML_FILTERS } from "./filters-html.ts";
import { LAYOUT_FILTERS } from "./filters-layout.ts";
import { SEQUENCE_FILTERS } from "./filters-sequence.ts";
import { urlizeFilter } from "./filters-urlize.ts";
import { testByName } from "./predicates.ts";
import { percentFormat } from "./py-format.ts";
import { toText } from "./to-text.ts";

export type { FilterFn } from "./filters-text.ts";

/** Runs the filter `name` with runtime arguments, binding keywords like a call site would. */
function callByName(
  name: string,
  site: number,
  value: unknown,
  positional: unknown[],
  keywords: Map<string, unknown>,
): unknown {
  const bound = bindArguments(name, positional.length, [...keywords.keys()]);
  if (typeof bound === "string") throw new RenderFault(bound, site);
  const all = [...positional, ...keywords.values()];
  const fn = FILTERS[name]!;
  if (VARIADIC.has(name)) {
    return fn(site, value, positional, [...keywords].flat());
  }
  return fn(site, value, ...bound.map((i) => (i < 0 ? undefined : all[i])));
}

const VARIADIC = new Set(["map", "selectattr", "rejectattr", "select", "reject", "format"]);

/** `select(test, args…)` / `reject(…)`: items for which the named test (or truthiness) holds, or not. */
function selectByTest(site: number, value: unknown, args: unknown[], keep: boolean): unknown[] {
  const { positional, keywords } = variadic(args);
  if (keywords.size && !positional.length)
    throw new RenderFault(`unexpected keyword argument \`${[...keywords.keys()][0]}\``, site);
  const test = positional.length
    ? (v: unknown) => testByName(positional[0], site, v, positional.slice(1), keywords)
    : truthy;
  return iterate(value, site).filter((v) => test(v) === keep);
}

/** `'%s and %s' | format(a, b)` / `'%(x)s' | format(x=1)`: printf-style, as Jinja2's `format`. */
function formatFilter(site: number, value: unknown, args: unknown[]): string {
  const { positional, keywords } = variadic(args);
  if (positional.length && keywords.size)
    throw new RenderFault("can't handle positional and keyword arguments at the same time", site);
  const text = toText(value);
  return keywords.size
    ? percentFormat(text, Object.fromEntries(keywords), false, site)
    : percentFormat(text, positional, true, site);
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
 * Every supported filter (catalog.ts), called as `fn(site, value, ...args)` with the arguments
 * already bound to parameter positions (`undefined` = not given). The variadic
 * filters (`map`, `select`, `reject`, `selectattr`, `rejectattr`, `format`) take `(positional[], keywordPairs[])`.
 */
export const FILTERS: Readonly<Record<string, FilterFn>> = {
  ...TEXT_FILTERS,
  ...COLLECTION_FILTERS,
  ...SEQUENCE_FILTERS,
  ...LAYOUT_FILTERS,
  ...HTML_FILTERS,
  urlize: urlizeFilter,
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
    if (typeof name !== "string" || !Object.hasOwn(FILTERS, name))
      throw new RenderFault(`map(): no filter named '${String(name)}'`, site);
    return items.map((x) => callByName(name, site, x, positional.slice(1), keywords));
  },
  select: (site, v, ...args) => selectByTest(site, v, args, true),
  reject: (site, v, ...args) => selectByTest(site, v, args, false),
  format: (site, v, ...args) => formatFilter(site, v, args),
  selectattr: (site, v, ...args) => selectOrReject(site, v, args, true),
  rejectattr: (site, v, ...args) => selectOrReject(site, v, args, false),
};
