/** Jinja2's filters that lay text out: `center`, `wordwrap` (Python's textwrap), `filesizeformat`, `pprint`. */
import { RenderFault } from "./errors.ts";
import { intParam, type FilterFn } from "./filters-text.ts";
import { STR_METHODS } from "./methods-str.ts";
import { defined, truthy } from "./operators.ts";
import { fixedDigits } from "./py-format-number.ts";
import { parsePyFloat } from "./py-number.ts";
import { pyRepr, strRepr } from "./py-repr.ts";
import { compareStrings, pyLen, pySplitlines } from "./py-string.ts";
import { toText } from "./to-text.ts";
import { isDict, isNumeric, numberOf, pyType } from "./values.ts";

const NO_KW = Object.freeze({});

const WS = "[\\t\\n\\x0b\\x0c\\r ]";
const NWS = "[^\\t\\n\\x0b\\x0c\\r ]";
const WP = "[\\p{L}\\p{N}_!\"'&.,?]";
const LT = "[\\p{L}_]";
/** textwrap.TextWrapper.wordsep_re: words, whitespace runs, and hyphenated words split after the hyphen. */
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WP})-{2,}(?=[\\p{L}\\p{N}_])|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})|(?=${WS}|$)|(?<=${WP})(?=-{2,}[\\p{L}\\p{N}_])))`,
  "u",
);
const WORDSEP_SIMPLE = new RegExp(`(${WS}+)`, "u");

/** `textwrap.wrap(text, width, expand_tabs=False, replace_whitespace=False, …)`. */
function wrap(text: string, width: number, breakLong: boolean, breakHyphens: boolean): string[] {
  const chunks = text.split(breakHyphens ? WORDSEP : WORDSEP_SIMPLE).filter((c) => c);
  chunks.reverse();
  const lines: string[] = [];
  const len = pyLen;
  while (chunks.length) {
    const line: string[] = [];
    let size = 0;
    if (lines.length && chunks[chunks.length - 1]!.trim() === "") chunks.pop();
    while (chunks.length) {
      const l = len(chunks[chunks.length - 1]!);
      if (size + l > width) break;
      line.push(chunks.pop()!);
      size += l;
    }
    if (chunks.length && len(chunks[chunks.length - 1]!) > width) {
      const room = width < 1 ? 1 : width - size;
      if (breakLong) {
        const chunk = [...chunks[chunks.length - 1]!];
        let end = room;
        if (breakHyphens && chunk.length > room) {
          const hyphen = chunk.slice(0, room).lastIndexOf("-");
          if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== "-")) end = hyphen + 1;
        }
        line.push(chunk.slice(0, end).join(""));
        chunks[chunks.length - 1] = chunk.slice(end).join("");
      } else if (!line.length) line.push(chunks.pop()!);
    }
    if (line.length && line[line.length - 1]!.trim() === "") line.pop();
    if (line.length) lines.push(line.join(""));
  }
  return lines;
}

function wordwrap(
  site: number,
  value: unknown,
  width?: unknown,
  breakLong?: unknown,
  wrapstring?: unknown,
  breakHyphens?: unknown,
): string {
  const w = width === undefined ? 79 : intParam(width, "width", site);
  if (w <= 0) throw new RenderFault(`invalid width ${w} (must be > 0)`, site);
  const sep = wrapstring === undefined || wrapstring === null ? "\n" : toText(wrapstring);
  const long = breakLong === undefined || truthy(breakLong);
  const hyphens = breakHyphens === undefined || truthy(breakHyphens);
  return pySplitlines(toText(value))
    .map((line) => wrap(line, w, long, hyphens).join(sep))
    .join(sep);
}

const DECIMAL = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

function oneDecimal(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  return (x < 0 ? "-" : "") + fixedDigits(Math.abs(x), 1);
}

function filesizeformat(site: number, value: unknown, binary?: unknown): string {
  defined(value);
  const bytes = typeof value === "string" ? parsePyFloat(value) : isNumeric(value) ? numberOf(value) : undefined;
  if (bytes === undefined)
    throw new RenderFault(`could not convert ${pyType(value)} to float: ${strRepr(toText(value))}`, site);
  const bin = binary !== undefined && truthy(binary);
  const base = bin ? 1024 : 1000;
  const prefixes = bin ? BINARY : DECIMAL;
  if (bytes === 1) return "1 Byte";
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = 0;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    if (bytes < unit) return `${oneDecimal((base * bytes) / unit)} ${prefixes[i]}`;
  }
  return `${oneDecimal((base * bytes) / unit)} ${prefixes[prefixes.length - 1]}`;
}

/**
 * `pprint.pformat(v)` (width 80, dicts sorted), ported from Python's PrettyPrinter: a value
 * whose repr does not fit is split (lists and dicts one item per line, long strings into
 * adjacent literals), `allowance` being the room the closing brackets after it need.
 */
function pformat(v: unknown): string {
  const out: string[] = [];
  format(v, out, 0, 0, 0);
  return out.join("");
}

const WIDTH = 80;

function format(v: unknown, out: string[], indent: number, allowance: number, level: number): void {
  const rep = sortedRepr(v);
  if (rep.length > WIDTH - indent - allowance) {
    if (Array.isArray(v) && v.length) {
      out.push("[");
      formatItems(v, out, indent, allowance + 1, level + 1);
      out.push("]");
      return;
    }
    if (isDict(v)) {
      const keys = Object.keys(v)
        .filter((k) => v[k] !== undefined)
        .sort(compareStrings);
      if (keys.length) {
        out.push("{");
        const inner = indent + 1;
        keys.forEach((k, i) => {
          const last = i === keys.length - 1;
          const key = strRepr(k);
          out.push(key, ": ");
          format(v[k], out, inner + key.length + 2, last ? allowance + 1 : 1, level + 1);
          if (!last) out.push(`,\n${" ".repeat(inner)}`);
        });
        out.push("}");
        return;
      }
    }
    if (typeof v === "string" && v.length) return formatString(v, out, indent, allowance, level + 1);
  }
  out.push(rep);
}

function formatItems(items: readonly unknown[], out: string[], indent: number, allowance: number, level: number): void {
  const inner = indent + 1;
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    if (i) out.push(`,\n${" ".repeat(inner)}`);
    format(item, out, inner, last ? allowance : 1, level);
  });
}

/** PrettyPrinter._pprint_str: lines, then words, packed into literals that fit. */
function formatString(s: string, out: string[], indentIn: number, allowanceIn: number, level: number): void {
  const chunks: string[] = [];
  const lines = s.match(
    /[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+$/gu,
  ) ?? [s];
  const indent = level === 1 ? indentIn + 1 : indentIn;
  const allowance = level === 1 ? allowanceIn + 1 : allowanceIn;
  const maxWidth = WIDTH - indent;
  let rep = "";
  lines.forEach((line, i) => {
    rep = strRepr(line);
    const lastLine = i === lines.length - 1;
    if (rep.length <= maxWidth - (lastLine ? allowance : 0)) chunks.push(rep);
    else {
      const parts = line.match(/\S*\s*/gu)!.filter((p) => p !== "");
      let current = "";
      parts.forEach((part, j) => {
        const candidate = current + part;
        const room = maxWidth - (j === parts.length - 1 && lastLine ? allowance : 0);
        if (strRepr(candidate).length > room) {
          if (current) chunks.push(strRepr(current));
          current = part;
        } else current = candidate;
      });
      if (current) chunks.push(strRepr(current));
    }
  });
  if (chunks.length === 1) {
    out.push(rep);
    return;
  }
  const body = chunks.join(`\n${" ".repeat(indent)}`);
  out.push(level === 1 ? `(${body})` : body);
}

function sortedRepr(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedRepr).join(", ")}]`;
  if (isDict(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort(compareStrings);
    return `{${keys.map((k) => `${strRepr(k)}: ${sortedRepr(v[k])}`).join(", ")}}`;
  }
  return pyRepr(v);
}

export const LAYOUT_FILTERS: Readonly<Record<string, FilterFn>> = {
  center: (site, v, width) => STR_METHODS.center!(toText(v), [width === undefined ? 80 : width], NO_KW, site),
  wordwrap,
  filesizeformat,
  pprint: (_s, v) => pformat(defined(v)),
};
