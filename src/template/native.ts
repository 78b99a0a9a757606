import { undefinedFault } from "./to-text.ts";
import { IntegralFloat, RawValue, Undefined, isDict } from "./values.ts";

/**
 * A value leaving the template engine: `raw` wrappers are dropped, an undefined value
 * raises. Containers are copied only when something inside them changes. Integral floats
 * stay `IntegralFloat` and big ints stay bigints: the rest of aiorch shares this value
 * model (`src/model/py-value.ts`), so `{{ 8 / 2 }}` reaches a python step as `4.0`.
 */
export function toNative(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof IntegralFloat) return v;
  if (v instanceof RawValue) return toNative(v.value);
  if (v instanceof Undefined) {
    if (v.lenient) return null;
    throw undefinedFault(v);
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const n = toNative(v[i]);
      if (n !== v[i]) (out ??= v.slice())[i] = n;
    }
    return out ?? v;
  }
  if (isDict(v)) {
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(v)) {
      const n = toNative(v[key]);
      if (n !== v[key]) (out ??= { ...v })[key] = n;
    }
    return out ?? v;
  }
  return v;
}
