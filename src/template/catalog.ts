import { didYouMean } from "../errors/did-you-mean.ts";
import type { Refusal } from "./method-catalog.ts";

/** Parameters of a filter after the piped value, in Python order. */
export interface FilterSignature {
  readonly params: readonly string[];
  /** How many leading params have no default. */
  readonly required?: number;
  /** Takes any positional and keyword arguments (map, selectattr, rejectattr). */
  readonly variadic?: boolean;
}

const none: FilterSignature = { params: [] };

/**
 * Every filter of Jinja2 (`jinja2.defaults.DEFAULT_FILTERS`) with Jinja2's parameter
 * names, except the refused ones (REFUSED_FILTERS). `raw` is aiorch's own.
 */
export const FILTER_SIGNATURES: Readonly<Record<string, FilterSignature>> = {
  abs: none,
  attr: { params: ["name"], required: 1 },
  batch: { params: ["linecount", "fill_with"], required: 1 },
  center: { params: ["width"] },
  e: none,
  escape: none,
  filesizeformat: { params: ["binary"] },
  forceescape: none,
  format: { params: [], variadic: true },
  groupby: { params: ["attribute", "default", "case_sensitive"], required: 1 },
  pprint: none,
  reject: { params: [], variadic: true },
  safe: none,
  select: { params: [], variadic: true },
  slice: { params: ["slices", "fill_with"], required: 1 },
  striptags: none,
  urlencode: none,
  urlize: { params: ["trim_url_limit", "nofollow", "target", "rel", "extra_schemes"] },
  wordwrap: { params: ["width", "break_long_words", "wrapstring", "break_on_hyphens"] },
  xmlattr: { params: ["autospace"] },
  capitalize: none,
  count: none,
  d: { params: ["default_value", "boolean"] },
  default: { params: ["default_value", "boolean"] },
  dictsort: { params: ["case_sensitive", "by", "reverse"] },
  first: none,
  float: { params: ["default"] },
  indent: { params: ["width", "first", "blank"] },
  int: { params: ["default", "base"] },
  items: none,
  join: { params: ["d", "attribute"] },
  last: none,
  length: none,
  list: none,
  lower: none,
  map: { params: [], variadic: true },
  max: { params: ["case_sensitive", "attribute"] },
  min: { params: ["case_sensitive", "attribute"] },
  raw: none,
  rejectattr: { params: [], variadic: true },
  replace: { params: ["old", "new", "count"], required: 2 },
  reverse: none,
  round: { params: ["precision", "method"] },
  selectattr: { params: [], variadic: true },
  sort: { params: ["reverse", "case_sensitive", "attribute"] },
  string: none,
  sum: { params: ["attribute", "start"] },
  title: none,
  tojson: { params: ["indent"] },
  trim: { params: ["chars"] },
  truncate: { params: ["length", "killwords", "end", "leeway"] },
  unique: { params: ["case_sensitive", "attribute"] },
  upper: none,
  wordcount: none,
};

/** Filters of Jinja2 refused at load time: why they make no sense in a pipeline (the message), what to use instead (the hint). */
export const REFUSED_FILTERS: Readonly<Record<string, Refusal>> = {
  random: {
    message:
      "filter `random` is not supported: a random pick changes from run to run, so a resumed run would differ and a prompt using it would miss the response cache",
    hint: "pick in a python: step (seeded), or index with a value you have: `items[n % (items | length)]`",
  },
};

/** The names of all supported filters, sorted. */
export const FILTER_NAMES: readonly string[] = Object.keys(FILTER_SIGNATURES).sort();

/** Statement keywords that may open a `{% %}` tag. */
export const STATEMENTS: readonly string[] = [
  "if",
  "elif",
  "else",
  "endif",
  "for",
  "endfor",
  "set",
  "endset",
  "with",
  "endwith",
  "filter",
  "endfilter",
  "macro",
  "endmacro",
  "call",
  "endcall",
  "raw",
  "endraw",
];

/**
 * Maps positional and keyword arguments onto a filter's parameters. Returns, for each
 * parameter, the index of the argument that fills it (positional first, then keyword
 * arguments numbered after them) or -1; or an error message.
 */
export function bindArguments(filter: string, positional: number, keywords: readonly string[]): number[] | string {
  const sig = Object.hasOwn(FILTER_SIGNATURES, filter) ? FILTER_SIGNATURES[filter] : undefined;
  if (!sig)
    return Object.hasOwn(REFUSED_FILTERS, filter)
      ? REFUSED_FILTERS[filter]!.message
      : `unknown filter \`${filter}\`${didYouMean(filter, FILTER_NAMES)}`;
  const slots = sig.params.map(() => -1);
  if (positional > sig.params.length) {
    if (sig.params.length === 0) return `filter \`${filter}\` takes no arguments (${positional} given)`;
    return `filter \`${filter}\` takes at most ${sig.params.length} argument${sig.params.length === 1 ? "" : "s"} (${positional} given)`;
  }
  for (let i = 0; i < positional; i++) slots[i] = i;
  for (let k = 0; k < keywords.length; k++) {
    const kw = keywords[k]!;
    const index = sig.params.indexOf(kw);
    if (index < 0) {
      const known = sig.params.length ? `; it takes ${sig.params.join(", ")}` : "; it takes no arguments";
      return `filter \`${filter}\` has no argument \`${kw}\`${didYouMean(kw, sig.params)}${known}`;
    }
    if (slots[index] !== -1) return `filter \`${filter}\` got two values for argument \`${kw}\``;
    slots[index] = positional + k;
  }
  const required = sig.required ?? 0;
  for (let i = 0; i < required; i++) {
    if (slots[i] === -1) return `filter \`${filter}\` is missing its argument \`${sig.params[i]}\``;
  }
  return slots;
}
