/** Jinja2's `urlize` (jinja2/utils.py, 3.1), ported line by line: the links it makes depend on these exact rules. */
import { RenderFault } from "./errors.ts";
import { htmlEscape } from "./filters-html.ts";
import { iterate } from "./lookup.ts";
import { intParam } from "./filters-text.ts";
import { truthy } from "./operators.ts";
import { toText } from "./to-text.ts";

const HTTP =
  /^((https?:\/\/|www\.)(([\p{L}\p{N}_%-]+\.)+)?([a-z]{2,63}|xn--[\p{L}\p{N}_%]{2,59})|([\p{L}\p{N}_%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil)|(https?:\/\/)((\d{1,3})(\.\d{1,3}){3}|\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}\]))(?::\d{1,5})?(?:[/?#]\S*)?$/iu;
const EMAIL = /^\S+@[\p{L}\p{N}_][\p{L}\p{N}_.-]*\.[\p{L}\p{N}_]+$/u;
const SCHEME = /^[a-zA-Z][\w+.-]*:(\/\/)?$/u;

function occurrences(s: string, sub: string): number {
  return s.split(sub).length - 1;
}

function urlize(
  text: string,
  limit: number | undefined,
  rel: string | undefined,
  target: string | undefined,
  schemes: readonly string[],
): string {
  const trim = (x: string) =>
    limit !== undefined && [...x].length > limit ? `${[...x].slice(0, limit).join("")}...` : x;
  const words = htmlEscape(text).split(/(\s+)/u);
  const relAttr = rel ? ` rel="${htmlEscape(rel)}"` : "";
  const targetAttr = target ? ` target="${htmlEscape(target)}"` : "";
  return words
    .map((word) => {
      let head = "";
      let middle = word;
      let tail = "";
      const lead = /^([(<]|&lt;)+/u.exec(middle);
      if (lead) {
        head = lead[0];
        middle = middle.slice(lead[0].length);
      }
      if (/[)>.,\n]$|&gt;$/u.test(middle)) {
        const end = /([)>.,\n]|&gt;)+$/u.exec(middle);
        if (end) {
          tail = end[0];
          middle = middle.slice(0, end.index);
        }
      }
      for (const [open, close] of [
        ["(", ")"],
        ["<", ">"],
        ["&lt;", "&gt;"],
      ] as const) {
        const starts = occurrences(middle, open);
        if (starts <= occurrences(middle, close)) continue;
        for (let k = Math.min(starts, occurrences(tail, close)); k > 0; k--) {
          const endIndex = tail.indexOf(close) + close.length;
          middle += tail.slice(0, endIndex);
          tail = tail.slice(endIndex);
        }
      }
      if (HTTP.test(middle)) {
        const href = middle.startsWith("https://") || middle.startsWith("http://") ? middle : `https://${middle}`;
        middle = `<a href="${href}"${relAttr}${targetAttr}>${trim(middle)}</a>`;
      } else if (middle.startsWith("mailto:") && EMAIL.test(middle.slice(7))) {
        middle = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (
        middle.includes("@") &&
        !middle.startsWith("www.") &&
        !middle.startsWith("@") &&
        !middle.includes(":") &&
        EMAIL.test(middle)
      ) {
        middle = `<a href="mailto:${middle}">${middle}</a>`;
      } else {
        for (const scheme of schemes)
          if (middle !== scheme && middle.startsWith(scheme))
            middle = `<a href="${middle}"${relAttr}${targetAttr}>${middle}</a>`;
      }
      return `${head}${middle}${tail}`;
    })
    .join("");
}

/** `value | urlize(trim_url_limit, nofollow, target, rel, extra_schemes)` with Jinja2's default policy (`rel="noopener"`). */
export function urlizeFilter(
  site: number,
  value: unknown,
  limit?: unknown,
  nofollow?: unknown,
  target?: unknown,
  rel?: unknown,
  extra?: unknown,
): string {
  const parts = new Set((rel === undefined || rel === null ? "" : toText(rel)).split(/\s+/u).filter(Boolean));
  if (nofollow !== undefined && truthy(nofollow)) parts.add("nofollow");
  parts.add("noopener");
  const schemes = extra === undefined || extra === null ? [] : iterate(extra, site).map((s) => toText(s));
  for (const scheme of schemes)
    if (!SCHEME.test(scheme))
      throw new RenderFault(`${JSON.stringify(scheme)} is not a valid URI scheme prefix.`, site);
  const max = limit === undefined || limit === null ? undefined : intParam(limit, "trim_url_limit", site);
  const to = target === undefined || target === null ? undefined : toText(target);
  return urlize(toText(value), max, [...parts].sort().join(" "), to, schemes);
}
