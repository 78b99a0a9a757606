import { RenderFault } from "./errors.ts";
import type { FilterFn } from "./filters-text.ts";
import { item, iterate } from "./lookup.ts";
import { add, compare, defined, length, truthy } from "./operators.ts";
import { toText } from "./to-text.ts";
import { Undefined, isDict, isNumeric, numberOf, pyType } from "./values.ts";

type Getter = (value: unknown) => unknown;

const ignoreCase = (v: unknown): unknown => (typeof v === "string" ? v.toLowerCase() : v);

function attributeParts(attribute: unknown): unknown[] {
  if (attribute === undefined || attribute === null) return [];
  if (typeof attribute === "string")
    return attribute.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return [attribute];
}

/** Jinja's `make_attrgetter`: dotted path, integer parts index lists. */
export function attributeGetter(attribute: unknown, site: number, postprocess?: Getter, fallback?: unknown): Getter {
  const parts = attributeParts(attribute);
  return (value) => {
    let v = value;
    for (const part of parts) {
      v = item(v, part, site);
      if (fallback !== undefined && fallback !== null && v instanceof Undefined) v = fallback;
    }
    return postprocess ? postprocess(v) : v;
  };
}

/** Jinja's `make_multi_attrgetter` (`sort(attribute="a,b")`): a list of keys. */
function multiGetter(attribute: unknown, site: number, postprocess?: Getter): Getter {
  const getters = (typeof attribute === "string" ? attribute.split(",") : [attribute]).map((a) =>
    attributeGetter(a, site, postprocess),
  );
  return (value) => getters.map((g) => g(value));
}

const flag = (v: unknown): boolean => v !== undefined && truthy(v);

export function sortBy(values: readonly unknown[], key: Getter, reverse: boolean, site: number): unknown[] {
  const keyed = values.map((value) => ({ value, key: key(value) }));
  const sign = reverse ? -1 : 1;
  keyed.sort((a, b) => sign * (compare(a.key, b.key, "<", site) || 0));
  return keyed.map((k) => k.value);
}

function hashKey(v: unknown, site: number): string {
  defined(v);
  if (typeof v === "string") return `s${v}`;
  if (v === null) return "n";
  if (isNumeric(v)) return `#${numberOf(v)}`;
  throw new RenderFault(`unhashable type: '${pyType(v)}'`, site);
}

function extreme(site: number, value: unknown, caseSensitive: unknown, attribute: unknown, sign: 1 | -1): unknown {
  const items = iterate(value, site);
  if (items.length === 0) return new Undefined(site, { kind: "empty", note: "the sequence was empty" });
  const key = attributeGetter(attribute, site, flag(caseSensitive) ? undefined : ignoreCase);
  let best = items[0];
  let bestKey = key(best);
  for (let i = 1; i < items.length; i++) {
    const k = key(items[i]);
    if (sign * compare(k, bestKey, sign < 0 ? "<" : ">", site) > 0) {
      best = items[i];
      bestKey = k;
    }
  }
  return best;
}

/** Splits variadic arguments `[positional[], keywordPairs[]]` into a list and a map. */
export function variadic(args: readonly unknown[]): { positional: unknown[]; keywords: Map<string, unknown> } {
  const positional = (args[0] as unknown[] | undefined) ?? [];
  const pairs = (args[1] as unknown[] | undefined) ?? [];
  const keywords = new Map<string, unknown>();
  for (let i = 0; i < pairs.length; i += 2) keywords.set(pairs[i] as string, pairs[i + 1]);
  return { positional, keywords };
}

/** The filters that work on lists and dicts. */
export const COLLECTION_FILTERS: Readonly<Record<string, FilterFn>> = {
  length: (site, v) => length(v, site),
  list: (site, v) => [...iterate(v, site)],
  first: (site, v) => {
    const items = iterate(v, site);
    return items.length ? items[0] : new Undefined(site, { kind: "empty", note: "the sequence was empty" });
  },
  last: (site, v) => {
    const items = iterate(v, site);
    return items.length
      ? items[items.length - 1]
      : new Undefined(site, { kind: "empty", note: "the sequence was empty" });
  },
  reverse: (site, v) => (typeof v === "string" ? [...v].reverse().join("") : [...iterate(v, site)].reverse()),
  join: (site, v, sep, attribute) => {
    const items = iterate(v, site);
    const mapped = attribute === undefined || attribute === null ? items : items.map(attributeGetter(attribute, site));
    return mapped.map(toText).join(sep === undefined ? "" : toText(sep));
  },
  sort: (site, v, reverse, caseSensitive, attribute) =>
    sortBy(
      iterate(v, site),
      multiGetter(attribute ?? null, site, flag(caseSensitive) ? undefined : ignoreCase),
      flag(reverse),
      site,
    ),
  unique: (site, v, caseSensitive, attribute) => {
    const key = attributeGetter(attribute, site, flag(caseSensitive) ? undefined : ignoreCase);
    const seen = new Set<string>();
    return iterate(v, site).filter((x) => {
      const k = hashKey(key(x), site);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  },
  sum: (site, v, attribute, start) => {
    defined(start);
    if (typeof start === "string") throw new RenderFault("sum() can't sum strings [use ''.join(seq) instead]", site);
    const get = attribute === undefined || attribute === null ? undefined : attributeGetter(attribute, site);
    let total: unknown = start === undefined ? 0 : start;
    for (const x of iterate(v, site)) total = add(total, get ? get(x) : x, site);
    return total;
  },
  min: (site, v, caseSensitive, attribute) => extreme(site, v, caseSensitive, attribute, -1),
  max: (site, v, caseSensitive, attribute) => extreme(site, v, caseSensitive, attribute, 1),
  items: (site, v) => {
    if (v instanceof Undefined) return [];
    if (!isDict(v)) throw new RenderFault("Can only get item pairs from a mapping.", site);
    return Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .map((k) => [k, v[k]]);
  },
  dictsort: (site, v, caseSensitive, by, reverse) => {
    defined(v);
    const position = by === undefined || by === "key" ? 0 : by === "value" ? 1 : -1;
    if (position < 0) throw new RenderFault('You can only sort by either "key" or "value"', site);
    if (!isDict(v)) throw new RenderFault(`'${pyType(v)}' object has no attribute 'items'`, site);
    const pairs = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .map((k) => [k, v[k]]);
    const post = flag(caseSensitive) ? (x: unknown) => x : ignoreCase;
    return sortBy(pairs, (pair) => post((pair as unknown[])[position]), flag(reverse), site);
  },
};
