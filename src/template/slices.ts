/** Python slicing, `x[start:stop:step]`, on lists (and tuples) and strings. */
import { RenderFault } from "./errors.ts";
import { undefinedFault } from "./to-text.ts";
import { RawValue, Undefined, pyType } from "./values.ts";

function bound(v: unknown, site: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Undefined) throw undefinedFault(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new RenderFault("slice indices must be integers or None or have an __index__ method", site);
}

/** Python's `slice.indices(length)`: the indexes a slice visits, clamped as Python clamps them. */
export function sliceIndexes(length: number, start: unknown, stop: unknown, step: unknown, site: number): number[] {
  const st = bound(step, site) ?? 1;
  if (st === 0) throw new RenderFault("slice step cannot be zero", site);
  const clamp = (v: number | undefined, fallback: number): number => {
    if (v === undefined) return fallback;
    if (v < 0) return Math.max(v + length, st < 0 ? -1 : 0);
    return Math.min(v, st < 0 ? length - 1 : length);
  };
  const from = clamp(bound(start, site), st < 0 ? length - 1 : 0);
  const to = clamp(bound(stop, site), st < 0 ? -1 : length);
  const out: number[] = [];
  if (st > 0) for (let i = from; i < to; i += st) out.push(i);
  else for (let i = from; i > to; i += st) out.push(i);
  return out;
}

/** `obj[start:stop:step]`: a new list, or a new string (by code point). Undefined parts mean "omitted". */
export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown, site: number): unknown {
  if (obj instanceof Undefined) throw undefinedFault(obj);
  if (obj instanceof RawValue) return slice(obj.value, start, stop, step, site);
  if (Array.isArray(obj)) return sliceIndexes(obj.length, start, stop, step, site).map((i) => obj[i]);
  if (typeof obj === "string") {
    const chars = [...obj];
    return sliceIndexes(chars.length, start, stop, step, site)
      .map((i) => chars[i])
      .join("");
  }
  throw new RenderFault(`'${pyType(obj)}' object is not subscriptable`, site);
}
