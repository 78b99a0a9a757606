/** Jinja2's filters that cut and group sequences: `batch`, `slice`, `groupby`, and `attr`. */
import { RenderFault } from "./errors.ts";
import { attributeGetter, sortBy } from "./filters-collection.ts";
import { intParam, type FilterFn } from "./filters-text.ts";
import { iterate } from "./lookup.ts";
import { defined, eq, truthy } from "./operators.ts";
import { PyObject } from "./py-object.ts";
import { Undefined } from "./values.ts";
import { namedTuple } from "./named-tuple.ts";

function batch(site: number, value: unknown, linecount: unknown, fill?: unknown): unknown[][] {
  const size = intParam(linecount, "linecount", site);
  const out: unknown[][] = [];
  let current: unknown[] = [];
  for (const item of iterate(value, site)) {
    if (current.length === size) {
      out.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length) {
    if (fill !== undefined && fill !== null) while (current.length < size) current.push(fill);
    out.push(current);
  }
  return out;
}

function slices(site: number, value: unknown, count: unknown, fill?: unknown): unknown[][] {
  const seq = [...iterate(value, site)];
  const n = intParam(count, "slices", site);
  if (n <= 0) throw new RenderFault(n === 0 ? "integer division or modulo by zero" : "slices must be positive", site);
  const per = Math.floor(seq.length / n);
  const extra = seq.length % n;
  const out: unknown[][] = [];
  let offset = 0;
  for (let k = 0; k < n; k++) {
    const start = offset + k * per;
    if (k < extra) offset += 1;
    const part = seq.slice(start, offset + (k + 1) * per);
    if (fill !== undefined && fill !== null && k >= extra) part.push(fill);
    out.push(part);
  }
  return out;
}

/**
 * `groupby(attribute, default, case_sensitive)`: sorted by the key, then runs of equal
 * keys; each group is a `(grouper, list)` tuple that also answers `.grouper` and `.list`.
 * Without case sensitivity the grouper is the first item's real key (Jinja 3.1).
 */
function groupby(
  site: number,
  value: unknown,
  attribute: unknown,
  fallback?: unknown,
  caseSensitive?: unknown,
): unknown[] {
  const sensitive = caseSensitive !== undefined && truthy(caseSensitive);
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
  const key = attributeGetter(attribute, site, sensitive ? undefined : lower, fallback);
  const real = attributeGetter(attribute, site, undefined, fallback);
  const sorted = sortBy(iterate(value, site), key, false, site);
  const groups: Array<{ key: unknown; items: unknown[] }> = [];
  for (const item of sorted) {
    const k = defined(key(item));
    const last = groups[groups.length - 1];
    if (last && eq(last.key, k)) last.items.push(item);
    else groups.push({ key: k, items: [item] });
  }
  return groups.map((g) => namedTuple(["grouper", "list"], [sensitive ? g.key : real(g.items[0]), g.items]));
}

/** `attr(name)`: an attribute only, never a key (a dict has none: undefined), as Jinja2's `getattr`. */
function attrFilter(site: number, value: unknown, name: unknown): unknown {
  defined(value);
  const key = typeof name === "string" ? name : String(name);
  if (value instanceof PyObject) {
    const v = value.getAttr(key);
    if (v !== undefined) return v;
  }
  return new Undefined(site, { kind: "attr", key, container: value });
}

export const SEQUENCE_FILTERS: Readonly<Record<string, FilterFn>> = {
  batch,
  slice: slices,
  groupby,
  attr: attrFilter,
};
