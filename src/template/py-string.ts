/** Python `str` semantics the template filters and methods need. */

/** Characters `str.isspace()` accepts. */
const WS =
  " \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
const WS_SET = new Set(WS);

/** `c.isspace()` for one UTF-16 unit. */
export function isPySpace(c: string): boolean {
  return WS_SET.has(c);
}

/** `s.strip(chars)`, `s.lstrip(chars)`, `s.rstrip(chars)`; `chars` undefined/null means whitespace. */
export function pyStrip(s: string, chars?: string | null, side: "both" | "left" | "right" = "both"): string {
  const set = chars === undefined || chars === null ? WS_SET : new Set(chars);
  let start = 0;
  let end = s.length;
  if (side !== "right") while (start < end && set.has(s[start]!)) start++;
  if (side !== "left") while (end > start && set.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** `s.split(sep, maxsplit)`; `sep` undefined/null splits on whitespace runs. */
export function pySplit(s: string, sep?: string | null, maxsplit = -1): string[] {
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let i = 0;
    while (i < s.length) {
      while (i < s.length && WS_SET.has(s[i]!)) i++;
      if (i >= s.length) break;
      if (maxsplit >= 0 && out.length === maxsplit) {
        out.push(s.slice(i));
        break;
      }
      let j = i;
      while (j < s.length && !WS_SET.has(s[j]!)) j++;
      out.push(s.slice(i, j));
      i = j;
    }
    return out;
  }
  if (sep === "") throw new Error("empty separator");
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

/** `s.splitlines()` (line boundaries of Python, without keepends). */
export function pySplitlines(s: string): string[] {
  const out: string[] = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

/** `s.replace(old, new, count)`; a negative count replaces all. */
export function pyReplace(s: string, old: string, replacement: string, count = -1): string {
  if (count < 0 && old !== "") return s.split(old).join(replacement);
  if (old === "") {
    const chars = [...s];
    let out = "";
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (count < 0 || done < count) {
        out += replacement;
        done++;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  let out = "";
  let from = 0;
  for (let done = 0; done < count; done++) {
    const at = s.indexOf(old, from);
    if (at === -1) break;
    out += s.slice(from, at) + replacement;
    from = at + old.length;
  }
  return out + s.slice(from);
}

/** Jinja's `title`: each run after `-`, whitespace, `(`, `{`, `[`, `<` starts upper, the rest lower. */
export function jinjaTitle(s: string): string {
  return s
    .split(/([-\s({[<]+)/u)
    .filter((item) => item !== "")
    .map((item) => {
      const [first = "", ...rest] = item;
      return first.toUpperCase() + rest.join("").toLowerCase();
    })
    .join("");
}

/** The four titlecase digraphs (Unicode category Lt), from any of their case forms. */
const TITLE_DIGRAPHS: Readonly<Record<string, string>> = {
  "\u01c4": "\u01c5",
  "\u01c5": "\u01c5",
  "\u01c6": "\u01c5",
  "\u01c7": "\u01c8",
  "\u01c8": "\u01c8",
  "\u01c9": "\u01c8",
  "\u01ca": "\u01cb",
  "\u01cb": "\u01cb",
  "\u01cc": "\u01cb",
  "\u01f1": "\u01f2",
  "\u01f2": "\u01f2",
  "\u01f3": "\u01f2",
};

/** Python's titlecase of one character: `ß` → `Ss`, `ǆ` → `ǅ` (JS only knows upper and lower case). */
export function titleChar(c: string): string {
  const digraph = TITLE_DIGRAPHS[c];
  if (digraph) return digraph;
  const upper = c.toUpperCase();
  return upper.length > 1 && [...upper].length > 1 ? upper[0] + upper.slice(1).toLowerCase() : upper;
}

/** `s.capitalize()`: first character titlecased, the rest lower. */
export function pyCapitalize(s: string): string {
  const [first = "", ...rest] = s;
  return titleChar(first) + rest.join("").toLowerCase();
}

/** `len(s)`: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

/** Compares two strings by code point, as Python does. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff);
    if (!surrogate) return x < y ? -1 : 1;
    return a.codePointAt(i)! < b.codePointAt(i)! ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Jinja's `wordcount`: the number of `\w+` runs (Unicode letters, digits, underscore). */
export function wordCount(s: string): number {
  return s.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}
