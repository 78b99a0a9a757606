import { RenderFault } from "./errors.ts";
import { defined, truthy } from "./operators.ts";
import { parsePyFloat, parsePyInt, roundHalfEven } from "./py-number.ts";
import { jinjaTitle, pyCapitalize, pyReplace, pySplitlines, pyStrip, wordCount } from "./py-string.ts";
import { pyJsonDumps, toText } from "./to-text.ts";
import { IntegralFloat, Undefined, isNumeric, numberOf, pyFloat, pyType } from "./values.ts";

/** A filter: `value | name(args…)`; `undefined` in `args` means "not given". */
export type FilterFn = (site: number, value: unknown, ...args: unknown[]) => unknown;

/** A Python int argument (bool counts), or a fault naming the parameter. */
export function intParam(v: unknown, param: string, site: number): number {
  defined(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new RenderFault(`\`${param}\` must be an integer, not ${pyType(v)}`, site);
}

function stringValue(v: unknown, filter: string, site: number): string {
  defined(v);
  if (typeof v !== "string") throw new RenderFault(`filter \`${filter}\` needs a string, not ${pyType(v)}`, site);
  return v;
}

function toInt(value: unknown, base: number): number | undefined {
  if (typeof value === "string") {
    const parsed = parsePyInt(value, base);
    if (parsed !== undefined) return parsed;
    const f = parsePyFloat(value);
    return f === undefined || !Number.isFinite(f) ? undefined : Math.trunc(f) || 0;
  }
  if (isNumeric(value)) {
    const n = numberOf(value);
    return Number.isFinite(n) ? Math.trunc(n) || 0 : undefined;
  }
  return undefined;
}

function roundFilter(site: number, value: unknown, precision?: unknown, method?: unknown): unknown {
  const how = method === undefined ? "common" : method;
  if (how !== "common" && how !== "ceil" && how !== "floor")
    throw new RenderFault("method must be common, ceil or floor", site);
  defined(value);
  if (!isNumeric(value)) throw new RenderFault(`type ${pyType(value)} doesn't define __round__ method`, site);
  const digits = precision === undefined ? 0 : intParam(precision, "precision", site);
  const x = numberOf(value);
  const float = value instanceof IntegralFloat || (typeof value === "number" && !Number.isInteger(value));
  if (how === "common") {
    if (float) return pyFloat(roundHalfEven(x, digits));
    return digits >= 0 ? x : roundHalfEven(x, digits);
  }
  const scale = 10 ** digits;
  const scaled = x * scale;
  if (!Number.isFinite(scaled)) throw new RenderFault("cannot convert float infinity to integer", site);
  return pyFloat((how === "ceil" ? Math.ceil(scaled) : Math.floor(scaled)) / scale);
}

function truncate(
  site: number,
  value: unknown,
  length?: unknown,
  killwords?: unknown,
  end?: unknown,
  leeway?: unknown,
): unknown {
  const chars = [...stringValue(value, "truncate", site)];
  const max = length === undefined ? 255 : intParam(length, "length", site);
  const ending = end === undefined ? "..." : stringValue(end, "truncate", site);
  const slack = leeway === undefined || leeway === null ? 5 : intParam(leeway, "leeway", site);
  const endLength = [...ending].length;
  if (max < endLength) throw new RenderFault(`expected length >= ${endLength}, got ${max}`, site);
  if (slack < 0) throw new RenderFault(`expected leeway >= 0, got ${slack}`, site);
  if (chars.length <= max + slack) return value;
  const head = chars.slice(0, max - endLength).join("");
  if (killwords !== undefined && truthy(killwords)) return head + ending;
  const space = head.lastIndexOf(" ");
  return (space === -1 ? head : head.slice(0, space)) + ending;
}

function indent(site: number, value: unknown, width?: unknown, first?: unknown, blank?: unknown): unknown {
  const s = `${stringValue(value, "indent", site)}\n`;
  defined(width);
  const pad =
    typeof width === "string"
      ? width
      : " ".repeat(Math.max(0, width === undefined ? 4 : intParam(width, "width", site)));
  const lines = pySplitlines(s);
  let out: string;
  if (blank !== undefined && truthy(blank)) out = lines.join(`\n${pad}`);
  else {
    out = lines.shift() ?? "";
    if (lines.length) out += `\n${lines.map((line) => (line ? pad + line : line)).join("\n")}`;
  }
  return first !== undefined && truthy(first) ? pad + out : out;
}

function tojson(site: number, value: unknown, indentBy?: unknown): string {
  let pad: string | null = null;
  if (indentBy !== undefined && indentBy !== null)
    pad = typeof indentBy === "string" ? indentBy : " ".repeat(Math.max(0, intParam(indentBy, "indent", site)));
  return pyJsonDumps(value, pad)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/'/g, "\\u0027");
}

/** The filters that work on one value (text and numbers). */
export const TEXT_FILTERS: Readonly<Record<string, FilterFn>> = {
  upper: (_s, v) => toText(v).toUpperCase(),
  lower: (_s, v) => toText(v).toLowerCase(),
  title: (_s, v) => jinjaTitle(toText(v)),
  capitalize: (_s, v) => pyCapitalize(toText(v)),
  trim: (site, v, chars) =>
    pyStrip(toText(v), chars === undefined || chars === null ? null : stringValue(chars, "trim", site)),
  string: (_s, v) => toText(v),
  wordcount: (_s, v) => wordCount(toText(v)),
  default: (_s, v, fallback, boolean) =>
    v instanceof Undefined || (boolean !== undefined && truthy(boolean) && !truthy(v))
      ? fallback === undefined
        ? ""
        : fallback
      : v,
  int: (site, v, fallback, base) => {
    defined(v);
    const b = base === undefined ? 10 : intParam(base, "base", site);
    const n = toInt(v, b);
    return n === undefined ? (fallback === undefined ? 0 : fallback) : n;
  },
  float: (_s, v, fallback) => {
    defined(v);
    const n = typeof v === "string" ? parsePyFloat(v) : isNumeric(v) ? numberOf(v) : undefined;
    return n === undefined ? (fallback === undefined ? new IntegralFloat(0) : fallback) : pyFloat(n);
  },
  abs: (site, v) => {
    defined(v);
    if (v instanceof IntegralFloat) return new IntegralFloat(Math.abs(v.value));
    if (isNumeric(v)) return Math.abs(numberOf(v));
    throw new RenderFault(`bad operand type for abs(): '${pyType(v)}'`, site);
  },
  round: roundFilter,
  replace: (site, v, old, replacement, count) =>
    pyReplace(
      toText(v),
      toText(old),
      toText(replacement),
      count === undefined || count === null ? -1 : intParam(count, "count", site),
    ),
  truncate,
  indent,
  tojson,
  raw: (_s, v) => v,
};
