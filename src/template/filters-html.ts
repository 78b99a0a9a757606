/**
 * Jinja2's HTML and URL filters as they behave without autoescaping (aiorch renders
 * prompts and commands, not HTML): `escape`/`e`/`forceescape` return the escaped text,
 * `safe` the text unchanged. There is no Markup type, so escaping escaped text escapes it
 * again and `is escaped` is false: the deliberate differences listed in docs/templates.md.
 */
import { RenderFault } from "./errors.ts";
import type { FilterFn } from "./filters-text.ts";
import { iterate } from "./lookup.ts";
import { defined, truthy } from "./operators.ts";
import { pySplit } from "./py-string.ts";
import { toText } from "./to-text.ts";
import { Undefined, isDict } from "./values.ts";

/** markupsafe's escape: `& < > " '`. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&#34;" : "&#39;",
  );
}

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** markupsafe's `unescape` for the common named and numeric entities. */
function htmlUnescape(s: string): string {
  return s.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/giu, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Jinja's `striptags`: comments and tags removed, entities decoded, whitespace collapsed. */
function striptags(s: string): string {
  const stripped = s.replace(/<!--[\s\S]*?-->/gu, "").replace(/<[^>]*>/gu, "");
  return htmlUnescape(pySplit(stripped).join(" "));
}

/** Python's `urllib.parse.quote(s, safe)` on UTF-8 bytes. */
function urlQuote(s: string, safe: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/u.test(c) || safe.includes(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Jinja's `url_quote(obj, for_qs)`: text quoted, `/` kept except in query strings, spaces as `+` there. */
function urlQuoteValue(v: unknown, forQs: boolean): string {
  const text = typeof v === "string" ? v : toText(v);
  const quoted = urlQuote(text, forQs ? "" : "/");
  return forQs ? quoted.replace(/%20/g, "+") : quoted;
}

function urlencode(site: number, value: unknown): string {
  defined(value);
  if (typeof value === "string" || !(isDict(value) || Array.isArray(value))) return urlQuoteValue(value, false);
  const pairs = isDict(value)
    ? Object.keys(value)
        .filter((k) => value[k] !== undefined)
        .map((k) => [k, value[k]])
    : iterate(value, site);
  return pairs
    .map((pair) => {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new RenderFault("urlencode needs a dict or a list of pairs", site);
      return `${urlQuoteValue(pair[0], true)}=${urlQuoteValue(pair[1], true)}`;
    })
    .join("&");
}

function xmlattr(site: number, value: unknown, autospace?: unknown): string {
  defined(value);
  if (!isDict(value)) throw new RenderFault("xmlattr needs a dict", site);
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined || v === null || v instanceof Undefined) continue;
    if (/[\s/>=]/u.test(key))
      throw new RenderFault(`Invalid character in attribute name: ${JSON.stringify(key)}`, site);
    parts.push(`${htmlEscape(key)}="${htmlEscape(toText(v))}"`);
  }
  const out = parts.join(" ");
  return out && (autospace === undefined || truthy(autospace)) ? ` ${out}` : out;
}

/** The HTML and URL filters. `urlize` is in filters-urlize.ts. */
export const HTML_FILTERS: Readonly<Record<string, FilterFn>> = {
  escape: (_s, v) => htmlEscape(toText(v)),
  e: (_s, v) => htmlEscape(toText(v)),
  forceescape: (_s, v) => htmlEscape(toText(v)),
  safe: (_s, v) => toText(v),
  striptags: (_s, v) => striptags(toText(v)),
  urlencode,
  xmlattr,
};
