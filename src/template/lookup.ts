import { RenderFault } from "./errors.ts";
import { tupleField } from "./named-tuple.ts";
import { PyObject } from "./py-object.ts";
import { toText, undefinedFault } from "./to-text.ts";
import { IntegralFloat, RawValue, Undefined, isDict, pyType } from "./values.ts";

/** A free name: the context value, or an Undefined that raises when used. */
export function name(context: Record<string, unknown>, key: string, site: number): unknown {
  const v = Object.hasOwn(context, key) ? context[key] : undefined;
  return v === undefined ? new Undefined(site, { kind: "name", name: key }) : v;
}

/** `obj.key` (Jinja's getattr: a dict's key; nothing else has attributes here). */
export function attr(obj: unknown, key: string, site: number): unknown {
  if (isDict(obj)) {
    const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
    return v === undefined ? new Undefined(site, { kind: "key", key, container: obj }) : v;
  }
  if (obj instanceof PyObject) {
    const v = obj.getAttr(key);
    return v === undefined ? new Undefined(site, { kind: "attr", key, container: obj }) : v;
  }
  if (obj instanceof Undefined) throw undefinedFault(obj);
  if (obj instanceof RawValue) return attr(obj.value, key, site);
  const field = Array.isArray(obj) ? tupleField(obj, key) : undefined;
  if (field !== undefined) return field;
  return new Undefined(site, { kind: "attr", key, container: obj });
}

/** `obj.key` under `default`/`is defined`: an undefined object gives undefined, never raises. */
export function attrGuarded(obj: unknown, key: string, site: number): unknown {
  return obj instanceof Undefined ? obj : attr(obj, key, site);
}

function sequenceIndex(index: unknown, size: number): number | undefined {
  let i: number;
  if (typeof index === "boolean") i = index ? 1 : 0;
  else if (typeof index === "number" && Number.isInteger(index)) i = index;
  else return undefined;
  if (i < 0) i += size;
  return i >= 0 && i < size ? i : undefined;
}

/** `obj[key]`: list and string indexes (negative from the end), dict keys. */
export function item(obj: unknown, key: unknown, site: number): unknown {
  if (Array.isArray(obj)) {
    if (typeof key === "string") return attr(obj, key, site);
    const i = sequenceIndex(key, obj.length);
    return i === undefined ? new Undefined(site, { kind: "index", index: key, container: obj }) : obj[i];
  }
  if (typeof key === "string") return attr(obj, key, site);
  if (obj instanceof Undefined) throw undefinedFault(obj);
  if (key instanceof Undefined) throw undefinedFault(key);
  if (typeof obj === "string") {
    const chars = [...obj];
    const i = sequenceIndex(key, chars.length);
    return i === undefined ? new Undefined(site, { kind: "index", index: key, container: obj }) : chars[i];
  }
  if (obj instanceof RawValue) return item(obj.value, key, site);
  return new Undefined(site, { kind: "index", index: key, container: obj });
}

/** `obj[key]` under `default`/`is defined`. */
export function itemGuarded(obj: unknown, key: unknown, site: number): unknown {
  return obj instanceof Undefined ? obj : item(obj, key, site);
}

/** What a `for` loop iterates: list items, dict keys, string characters. */
export function iterate(v: unknown, site: number): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (isDict(v)) return Object.keys(v).filter((k) => v[k] !== undefined);
  if (typeof v === "string") return [...v];
  if (v instanceof Undefined) {
    if (v.lenient) return [];
    throw undefinedFault(v);
  }
  if (v instanceof RawValue) return iterate(v.value, site);
  throw new RenderFault(`'${pyType(v)}' object is not iterable`, site);
}

/** Unpacks `v` into `n` targets (`for k, v in …`, `set a, b = …`). */
export function unpack(v: unknown, n: number, site: number): readonly unknown[] {
  const items = iterate(v, site);
  if (items.length !== n) {
    const problem =
      items.length > n
        ? `too many values to unpack (expected ${n})`
        : `not enough values to unpack (expected ${n}, got ${items.length})`;
    throw new RenderFault(problem, site);
  }
  return items;
}

/** A dict literal from alternating keys and values; keys become text (JS keys are strings). */
export function dict(pairs: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i];
    const text = key instanceof IntegralFloat || typeof key !== "string" ? toText(key) : key;
    if (text === "__proto__")
      Object.defineProperty(out, text, { value: pairs[i + 1], enumerable: true, writable: true, configurable: true });
    else out[text] = pairs[i + 1];
  }
  return out;
}
