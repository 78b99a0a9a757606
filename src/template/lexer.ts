import { TemplateSyntaxError } from "./errors.ts";
import { pyStrip } from "./py-string.ts";
import { unexpectedCharacterHint } from "./syntax-hints.ts";

/** One token of an expression inside `{{ }}` / `{% %}` (or of a bare condition). */
export interface Token {
  type: "name" | "string" | "integer" | "float" | "op" | "end";
  /** Source text for names and operators, the decoded value for strings. */
  value: string;
  /** The number of an integer or float token. */
  num: number;
  at: number;
  end: number;
}

/** A `{{ }}` or `{% %}` tag; `broken` when its tokens could not all be read (already reported). */
export interface TagSegment {
  kind: "output" | "statement";
  tokens: Token[];
  at: number;
  end: number;
  broken: boolean;
}

/** The template cut into literal text, tags and comments. */
export type Segment =
  /** Literal text after whitespace control, newlines normalised to `\n`. */
  { kind: "text"; text: string; at: number } | TagSegment | { kind: "comment"; at: number };

const WS = /[ \t\n\r\v\f\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/y;
const FLOAT = /(?<!\.)(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?e[+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/iy;
const INTEGER = /0b(?:_?[01])+|0o(?:_?[0-7])+|0x(?:_?[\da-f])+|[1-9](?:_?\d)*|0(?:_?0)*/iy;
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy;
const STRING = /'[^'\\]*(?:\\[\s\S][^'\\]*)*'|"[^"\\]*(?:\\[\s\S][^"\\]*)*"/y;
const OPERATOR = /\/\/|\*\*|==|!=|>=|<=|[-+/*%~[\](){}><=.:|,;]/y;
const CLOSING: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
/** Deeper literals would exhaust the parser's stack; no real template comes near. */
export const MAX_NESTING = 100;
const CLOSER_OF: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
/** The `{% endraw %}` that ends a `{% raw %}` block (whitespace control allowed). */
const END_RAW = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;
const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};

const normalizeNewlines = (s: string) => s.replace(/\r\n?/g, "\n");

function match(re: RegExp, source: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(source)?.[0];
}

/** Decodes a string literal's body like Python's `unicode-escape`; a message on a bad escape. */
function decodeString(body: string): string | { error: string } {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = body[++i] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) out += simple;
    else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length - 1;
    } else if (next === "x" || next === "u" || next === "U") {
      const width = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return { error: `truncated \\${next} escape in a string` };
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return { error: "illegal Unicode character in a string" };
      out += String.fromCodePoint(code);
      i += width;
    } else out += `\\${next}`;
  }
  return out;
}

/** The result of reading the tokens of one tag (or a whole bare expression). */
interface TagTokens {
  tokens: Token[];
  /** Offset just after the closing delimiter (or the end of the text). */
  next: number;
  stripAfter: boolean;
  error?: TemplateSyntaxError;
  /** The closing delimiter was never found. */
  unclosed: boolean;
}

/**
 * Reads expression tokens from `start` up to `closer` (`}}` or `%}`) outside brackets,
 * or to the end of the text when `closer` is null. Stops at the first error, but still
 * finds the tag's end so the caller can go on.
 */
export function tokenize(source: string, start: number, closer: "}}" | "%}" | null): TagTokens {
  const tokens: Token[] = [];
  const stack: Array<{ bracket: string; at: number }> = [];
  let p = start;
  const fail = (message: string, at: number, hint: string): TagTokens => {
    const error = new TemplateSyntaxError(message, source, at, hint);
    tokens.push({ type: "end", value: "", num: 0, at, end: at });
    if (closer === null) return { tokens, next: source.length, stripAfter: false, error, unclosed: false };
    const close = source.indexOf(closer, at);
    if (close === -1) return { tokens, next: source.length, stripAfter: false, error, unclosed: true };
    return { tokens, next: close + 2, stripAfter: source[close - 1] === "-", error, unclosed: false };
  };
  for (;;) {
    const ws = match(WS, source, p);
    if (ws) p += ws.length;
    if (p >= source.length) {
      if (closer !== null) return { tokens, next: p, stripAfter: false, unclosed: true };
      const open = stack[stack.length - 1];
      if (open)
        return fail(`\`${open.bracket}\` is never closed`, open.at, `add the closing \`${CLOSER_OF[open.bracket]}\``);
      tokens.push({ type: "end", value: "", num: 0, at: p, end: p });
      return { tokens, next: p, stripAfter: false, unclosed: false };
    }
    if (closer !== null && stack.length === 0) {
      let length = 0;
      let strip = false;
      if (source.startsWith(`-${closer}`, p)) [length, strip] = [3, true];
      else if (closer === "%}" && source.startsWith("+%}", p)) length = 3;
      else if (source.startsWith(closer, p)) length = 2;
      if (length) {
        tokens.push({ type: "end", value: closer, num: 0, at: p, end: p + length });
        return { tokens, next: p + length, stripAfter: strip, unclosed: false };
      }
    }
    let text: string | undefined;
    const digit = source[p]! >= "0" && source[p]! <= "9"; // numbers start with one; most tokens do not
    if (digit && (text = match(FLOAT, source, p))) {
      tokens.push({ type: "float", value: text, num: Number(text.replace(/_/g, "")), at: p, end: p + text.length });
    } else if (digit && (text = match(INTEGER, source, p))) {
      const clean = text.replace(/_/g, "").toLowerCase();
      const radix = clean.startsWith("0b") ? 2 : clean.startsWith("0o") ? 8 : clean.startsWith("0x") ? 16 : 10;
      const num = radix === 10 ? Number(clean) : parseInt(clean.slice(2), radix);
      tokens.push({ type: "integer", value: text, num, at: p, end: p + text.length });
    } else if ((text = match(NAME, source, p))) {
      tokens.push({ type: "name", value: text, num: 0, at: p, end: p + text.length });
    } else if ((text = match(STRING, source, p))) {
      const decoded = decodeString(normalizeNewlines(text.slice(1, -1)));
      if (typeof decoded !== "string") return fail(decoded.error, p, "write `\\\\` for a backslash inside a string");
      tokens.push({ type: "string", value: decoded, num: 0, at: p, end: p + text.length });
    } else if ((text = match(OPERATOR, source, p))) {
      if (text === "(" || text === "[" || text === "{") {
        if (stack.length >= MAX_NESTING)
          return fail(
            `brackets nested more than ${MAX_NESTING} deep`,
            p,
            "build deep data in a python: step and read its result",
          );
        stack.push({ bracket: text, at: p });
      } else if (CLOSING[text]) {
        const open = stack.pop();
        if (!open)
          return fail(`unexpected \`${text}\``, p, `remove it, or add the opening \`${CLOSING[text]}\` before it`);
        if (open.bracket !== CLOSING[text]) {
          return fail(
            `unexpected \`${text}\`, expected the closing bracket of \`${open.bracket}\``,
            p,
            `close \`${open.bracket}\` with \`${CLOSER_OF[open.bracket]}\` first`,
          );
        }
      }
      tokens.push({ type: "op", value: text, num: 0, at: p, end: p + text.length });
    } else {
      const c = String.fromCodePoint(source.codePointAt(p)!);
      if (c === '"' || c === "'")
        return fail("this string is never closed", p, `add the closing ${c === '"' ? '`"`' : "`'`"}`);
      return fail(`unexpected character \`${c}\``, p, unexpectedCharacterHint(c));
    }
    p += text.length;
  }
}

const isRaw = (tokens: readonly Token[]) =>
  tokens.length === 2 && tokens[0]!.type === "name" && tokens[0]!.value === "raw";

/**
 * Cuts a template into text, tags and comments, applying whitespace control
 * (`{{-`, `-}}`, `{%-`, `-%}`, `{#-`, `-#}`) to the text around them. Reports every
 * tag it cannot read and keeps going.
 */
export function lex(source: string): { segments: Segment[]; errors: TemplateSyntaxError[] } {
  const segments: Segment[] = [];
  const errors: TemplateSyntaxError[] = [];
  const opener = /\{[{%#]/g;
  let pos = 0;
  let stripNext = false;
  const pushText = (raw: string, at: number, stripEnd: boolean) => {
    let text = raw;
    let start = at;
    if (stripNext) {
      const kept = pyStrip(text, null, "left");
      start += text.length - kept.length;
      text = kept;
    }
    if (stripEnd) text = pyStrip(text, null, "right");
    stripNext = false;
    if (text) segments.push({ kind: "text", text: normalizeNewlines(text), at: start });
  };
  while (pos < source.length) {
    opener.lastIndex = pos;
    const found = opener.exec(source);
    if (!found) {
      pushText(source.slice(pos), pos, false);
      break;
    }
    const open = found.index;
    const kind = source[open + 1];
    const next = source[open + 2] ?? "";
    const sign = next === "-" || next === "+" ? next : "";
    pushText(source.slice(pos, open), pos, sign === "-");
    const inner = open + 2 + sign.length;
    if (kind === "#") {
      const close = source.indexOf("#}", inner);
      if (close === -1) {
        errors.push(
          new TemplateSyntaxError("this comment is never closed (missing `#}`)", source, open, "close it with `#}`"),
        );
        break;
      }
      segments.push({ kind: "comment", at: open });
      stripNext = close > inner && source[close - 1] === "-";
      pos = close + 2;
      continue;
    }
    const closer = kind === "{" ? "}}" : "%}";
    const read = tokenize(source, inner, closer);
    if (read.unclosed) {
      errors.push(
        read.error ??
          new TemplateSyntaxError(
            `\`{${kind}\` is never closed (missing \`${closer}\`)`,
            source,
            open,
            `close it with \`${closer}\``,
          ),
      );
      break;
    }
    if (read.error) errors.push(read.error);
    segments.push({
      kind: kind === "{" ? "output" : "statement",
      tokens: read.tokens,
      at: open,
      end: read.next,
      broken: read.error !== undefined,
    });
    stripNext = read.stripAfter;
    pos = read.next;
    if (kind === "%" && isRaw(read.tokens)) {
      // the content up to `{% endraw %}` is literal text; the parser drops the `raw` tag and
      // reports a `raw` block that is never closed
      END_RAW.lastIndex = pos;
      const end = END_RAW.exec(source);
      if (end) {
        pushText(source.slice(pos, end.index), pos, end[1] === "-");
        segments.push({ kind: "comment", at: end.index });
        stripNext = end[2] === "-";
        pos = end.index + end[0].length;
      } else {
        errors.push(
          new TemplateSyntaxError(
            "this `{% raw %}` is never closed (missing `{% endraw %}`)",
            source,
            open,
            "add `{% endraw %}` after the literal text",
          ),
        );
        break;
      }
    }
  }
  return { segments, errors };
}
