/**
 * The methods of Python's `str` that templates may call (all but `encode`, `maketrans` and
 * `translate`, which need bytes or int-keyed tables: see REFUSED_METHODS). Indexes and
 * widths count code points, as Python does.
 */
import { RenderFault } from "./errors.ts";
import { iterate } from "./lookup.ts";
import { defined, truthy } from "./operators.ts";
import type { KwArgs } from "./py-callable.ts";
import { sliceIndexes } from "./slices.ts";
import { strFormat } from "./py-format.ts";
import { STR_CLASS_TESTS, isCased } from "./py-string-class.ts";
import { pyCapitalize, pyLen, titleChar, pyReplace, pySplit, pySplitlines, pyStrip } from "./py-string.ts";
import { IntegralFloat, isDict, pyType } from "./values.ts";

/** A method on `self` with positional arguments (keywords bound by the caller). */
export type StrMethod = (self: string, args: readonly unknown[], kwargs: KwArgs, site: number) => unknown;

export function strArg(v: unknown, method: string, site: number): string {
  defined(v);
  if (typeof v !== "string") throw new RenderFault(`${method}() argument must be str, not ${pyType(v)}`, site);
  return v;
}

export function intArg(v: unknown, _method: string, site: number): number {
  defined(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (v instanceof IntegralFloat || typeof v === "number")
    throw new RenderFault(`'float' object cannot be interpreted as an integer`, site);
  throw new RenderFault(`'${pyType(v)}' object cannot be interpreted as an integer`, site);
}

const optStr = (v: unknown, method: string, site: number): string | null =>
  v === undefined || v === null ? null : strArg(v, method, site);

/** Refuses keyword arguments, for methods Python declares positional-only. */
export function positionalOnly(method: string, kwargs: KwArgs, site: number): void {
  for (const key in kwargs) throw new RenderFault(`${method}() takes no keyword arguments (got \`${key}\`)`, site);
}

/** The arguments bound to `params` from positions and keywords; undefined for the missing. */
function bind(
  method: string,
  params: readonly string[],
  args: readonly unknown[],
  kwargs: KwArgs,
  site: number,
): unknown[] {
  const out = params.map((_, i) => args[i]);
  for (const key of Object.keys(kwargs)) {
    const i = params.indexOf(key);
    if (i < 0) throw new RenderFault(`${method}() got an unexpected keyword argument '${key}'`, site);
    if (i < args.length) throw new RenderFault(`${method}() got multiple values for argument '${key}'`, site);
    out[i] = kwargs[key];
  }
  return out;
}

/** The code points of `s[start:end]` (Python's optional start/end of find, count…) and where they start. */
function window(
  s: string,
  start: unknown,
  end: unknown,
  site: number,
): { chars: string[]; offset: number; text: string } {
  const all = [...s];
  const from = start === undefined || start === null ? 0 : intArg(start, "slice", site);
  const to = end === undefined || end === null ? all.length : intArg(end, "slice", site);
  const idx = sliceIndexes(all.length, from, to, 1, site);
  const chars = idx.map((i) => all[i]!);
  const offset = idx.length ? idx[0]! : Math.min(Math.max(from < 0 ? from + all.length : from, 0), all.length);
  return { chars, offset, text: chars.join("") };
}

/** Code-point index of the UTF-16 index `i` in `s`. */
const cpIndex = (s: string, i: number): number => pyLen(s.slice(0, i));

function find(self: string, args: readonly unknown[], method: string, site: number, last: boolean): number {
  const sub = strArg(args[0], method, site);
  const all = pyLen(self);
  const from = args[1] === undefined || args[1] === null ? 0 : intArg(args[1], method, site);
  const start = from < 0 ? Math.max(0, from + all) : from;
  if (start > all) return -1;
  const w = window(self, args[1], args[2], site);
  const at = last ? w.text.lastIndexOf(sub) : w.text.indexOf(sub);
  return at < 0 ? -1 : cpIndex(w.text, at) + w.offset;
}

function count(self: string, args: readonly unknown[], site: number): number {
  const sub = strArg(args[0], "count", site);
  const all = pyLen(self);
  const from = args[1] === undefined || args[1] === null ? 0 : intArg(args[1], "count", site);
  if ((from < 0 ? Math.max(0, from + all) : from) > all) return 0;
  const w = window(self, args[1], args[2], site);
  if (sub === "") return w.chars.length + 1;
  return w.text.split(sub).length - 1;
}

function justify(self: string, args: readonly unknown[], method: string, site: number): string {
  const width = intArg(args[0], method, site);
  const fill = args[1] === undefined ? " " : strArg(args[1], method, site);
  if (pyLen(fill) !== 1) throw new RenderFault("The fill character must be exactly one character long", site);
  const n = width - pyLen(self);
  if (n <= 0) return self;
  if (method === "ljust") return self + fill.repeat(n);
  if (method === "rjust") return fill.repeat(n) + self;
  const left = Math.floor(n / 2) + (n & width & 1);
  return fill.repeat(left) + self + fill.repeat(n - left);
}

function affix(self: string, args: readonly unknown[], method: "startswith" | "endswith", site: number): boolean {
  const w = window(self, args[1], args[2], site);
  if (args[1] !== undefined && intArg(args[1], method, site) > pyLen(self)) return false;
  const options = Array.isArray(args[0]) ? args[0] : [args[0]];
  return options.some((o) => {
    if (typeof o !== "string")
      throw new RenderFault(`${method} first arg must be str or a tuple of str, not ${pyType(o)}`, site);
    return method === "startswith" ? w.text.startsWith(o) : w.text.endsWith(o);
  });
}

function pyTitle(s: string): string {
  let out = "";
  let previousCased = false;
  for (const c of s) {
    const t = previousCased ? c.toLowerCase() : titleChar(c);
    out += t;
    previousCased = isCased(t);
  }
  return out;
}

function partition(self: string, sepArg: unknown, method: string, site: number, last: boolean): string[] {
  const sep = strArg(sepArg, method, site);
  if (sep === "") throw new RenderFault("empty separator", site);
  const at = last ? self.lastIndexOf(sep) : self.indexOf(sep);
  if (at < 0) return last ? ["", "", self] : [self, "", ""];
  return [self.slice(0, at), sep, self.slice(at + sep.length)];
}

function rsplit(s: string, sep: string | null, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  const reversed = (t: string) => [...t].reverse().join("");
  return pySplit(reversed(s), sep === null ? null : reversed(sep), maxsplit)
    .map(reversed)
    .reverse();
}

function expandtabs(s: string, size: number): string {
  let out = "";
  let column = 0;
  for (const c of s) {
    if (c === "\t") {
      const n = size > 0 ? size - (column % size) : 0;
      out += " ".repeat(n);
      column += n;
    } else {
      out += c;
      column = c === "\n" || c === "\r" ? 0 : column + 1;
    }
  }
  return out;
}

function split(self: string, args: readonly unknown[], kwargs: KwArgs, method: string, site: number): string[] {
  const [sepArg, maxArg] = bind(method, ["sep", "maxsplit"], args, kwargs, site);
  const sep = optStr(sepArg, method, site);
  if (sep === "") throw new RenderFault("empty separator", site);
  const max = maxArg === undefined ? -1 : intArg(maxArg, method, site);
  return method === "split" ? pySplit(self, sep, max) : rsplit(self, sep, max);
}

function join(self: string, iterable: unknown, site: number): string {
  return iterate(defined(iterable), site)
    .map((v, i) => {
      if (typeof v !== "string")
        throw new RenderFault(`sequence item ${i}: expected str instance, ${pyType(v)} found`, site);
      return v;
    })
    .join(self);
}

const pos =
  (fn: (self: string, args: readonly unknown[], site: number, method: string) => unknown, method: string): StrMethod =>
  (self, args, kwargs, site) => {
    positionalOnly(method, kwargs, site);
    return fn(self, args, site, method);
  };

const classTests: Record<string, StrMethod> = Object.fromEntries(
  Object.entries(STR_CLASS_TESTS).map(([name, test]) => [name, pos((self) => test(self), name)]),
);

/** Python's str methods, by name. */
export const STR_METHODS: Readonly<Record<string, StrMethod>> = {
  ...classTests,
  capitalize: pos((s) => pyCapitalize(s), "capitalize"),
  casefold: pos((s) => s.toUpperCase().toLowerCase(), "casefold"),
  center: pos((s, a, site, m) => justify(s, a, m, site), "center"),
  ljust: pos((s, a, site, m) => justify(s, a, m, site), "ljust"),
  rjust: pos((s, a, site, m) => justify(s, a, m, site), "rjust"),
  count: pos((s, a, site) => count(s, a, site), "count"),
  endswith: pos((s, a, site) => affix(s, a, "endswith", site), "endswith"),
  startswith: pos((s, a, site) => affix(s, a, "startswith", site), "startswith"),
  expandtabs: (s, a, kw, site) =>
    expandtabs(s, intArg(bind("expandtabs", ["tabsize"], a, kw, site)[0] ?? 8, "expandtabs", site)),
  find: pos((s, a, site, m) => find(s, a, m, site, false), "find"),
  rfind: pos((s, a, site, m) => find(s, a, m, site, true), "rfind"),
  index: pos((s, a, site, m) => {
    const at = find(s, a, m, site, false);
    if (at < 0) throw new RenderFault("substring not found", site);
    return at;
  }, "index"),
  rindex: pos((s, a, site, m) => {
    const at = find(s, a, m, site, true);
    if (at < 0) throw new RenderFault("substring not found", site);
    return at;
  }, "rindex"),
  format: (s, a, kw, site) => strFormat(s, a, kw, site),
  format_map: pos((s, a, site) => {
    if (!isDict(defined(a[0])))
      throw new RenderFault(`format_map() argument must be a mapping, not ${pyType(a[0])}`, site);
    return strFormat(s, [], a[0] as Record<string, unknown>, site);
  }, "format_map"),
  join: pos((s, a, site) => join(s, a[0], site), "join"),
  lower: pos((s) => s.toLowerCase(), "lower"),
  upper: pos((s) => s.toUpperCase(), "upper"),
  swapcase: pos(
    (s) =>
      [...s].map((c) => (/\p{Lt}/u.test(c) ? c : c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(""),
    "swapcase",
  ),
  title: pos((s) => pyTitle(s), "title"),
  strip: pos((s, a, site, m) => pyStrip(s, optStr(a[0], m, site)), "strip"),
  lstrip: pos((s, a, site, m) => pyStrip(s, optStr(a[0], m, site), "left"), "lstrip"),
  rstrip: pos((s, a, site, m) => pyStrip(s, optStr(a[0], m, site), "right"), "rstrip"),
  partition: pos((s, a, site, m) => partition(s, a[0], m, site, false), "partition"),
  rpartition: pos((s, a, site, m) => partition(s, a[0], m, site, true), "rpartition"),
  removeprefix: pos((s, a, site, m) => {
    const p = strArg(a[0], m, site);
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  }, "removeprefix"),
  removesuffix: pos((s, a, site, m) => {
    const p = strArg(a[0], m, site);
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  }, "removesuffix"),
  replace: pos(
    (s, a, site, m) =>
      pyReplace(s, strArg(a[0], m, site), strArg(a[1], m, site), a[2] === undefined ? -1 : intArg(a[2], m, site)),
    "replace",
  ),
  split: (s, a, kw, site) => split(s, a, kw, "split", site),
  rsplit: (s, a, kw, site) => split(s, a, kw, "rsplit", site),
  splitlines: (s, a, kw, site) => {
    const keep = bind("splitlines", ["keepends"], a, kw, site)[0];
    if (keep === undefined || !truthy(keep)) return pySplitlines(s);
    return (
      s.match(
        /[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+$/gu,
      ) ?? []
    );
  },
  zfill: pos((s, a, site) => {
    const width = intArg(a[0], "zfill", site);
    const n = width - pyLen(s);
    if (n <= 0) return s;
    const signed = s[0] === "+" || s[0] === "-";
    return signed ? s[0] + "0".repeat(n) + s.slice(1) : "0".repeat(n) + s;
  }, "zfill"),
};
