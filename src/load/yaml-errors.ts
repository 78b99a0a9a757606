import type { YAMLError } from "yaml";

/** A YAML syntax problem in the user's words, placed where the reader should look. */
export interface YamlProblem {
  offset: number;
  message: string;
  hint: string;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isContent = (line: string) => line.trim() !== "" && !line.trimStart().startsWith("#");

/** Offset of the start of each line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function lineIndexAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Translates one error of the `yaml` library; positions move to the token at fault. */
export function describeYamlError(text: string, error: YAMLError): YamlProblem {
  const lines = text.split("\n");
  const starts = lineStarts(text);
  const pos = Math.min(error.pos[0], Math.max(0, text.length - 1));
  const lineIndex = lineIndexAt(starts, pos);
  const line = lines[lineIndex] ?? "";
  const firstToken = starts[lineIndex]! + indentOf(line);

  switch (error.code) {
    case "DUPLICATE_KEY": {
      const key =
        /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:#\n]+?)\s*:/.exec(text.slice(pos))?.[1]?.replace(/^["']|["']$/g, "") ??
        text.slice(pos, pos + 1);
      const indent = indentOf(line);
      let first = -1;
      for (let i = lineIndex - 1; i >= 0; i--) {
        const candidate = lines[i]!;
        if (!isContent(candidate)) continue;
        if (indentOf(candidate) < indent) break;
        if (
          indentOf(candidate) === indent &&
          new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*:`).test(candidate)
        )
          first = i;
      }
      return {
        offset: pos,
        message: `duplicate key \`${key}\`${first >= 0 ? ` (first set on line ${first + 1})` : ""}: a key may appear only once in a mapping`,
        hint: "remove or rename one of the two entries",
      };
    }
    case "TAB_AS_INDENT":
      return {
        offset: firstToken > pos ? pos : starts[lineIndex]!,
        message: "a tab is used for indentation",
        hint: "indent with spaces; YAML does not allow tabs",
      };
    case "MISSING_CHAR": {
      const quote = /closing "quote/.test(error.message) ? '"' : /closing 'quote/.test(error.message) ? "'" : undefined;
      if (quote) {
        const opening = text.lastIndexOf(quote, Math.min(error.pos[0], text.length) - 1);
        return {
          offset: opening >= 0 ? opening : pos,
          message: `this ${quote === '"' ? "double" : "single"}-quoted string is never closed`,
          hint: `add the closing ${quote} at the end of the value, or remove the opening one`,
        };
      }
      break;
    }
    case "BAD_INDENT": {
      const bracket = /end with a ([\]}])/.exec(error.message)?.[1];
      if (bracket) {
        const open = bracket === "]" ? "[" : "{";
        const opening = unclosedBracket(text, error.pos[0], open, bracket);
        const kind = open === "[" ? "list" : "mapping";
        return {
          offset: opening ?? pos,
          message: `the ${kind} opened with \`${open}\` is never closed`,
          hint: `close it with \`${bracket}\` on the same line, e.g. ${open === "[" ? "`depends: [fetch, parse]`" : "`env: {LANG: C}`"}`,
        };
      }
      if (/same column/.test(error.message)) {
        let previous = lineIndex - 1;
        while (previous >= 0 && !isContent(lines[previous]!)) previous--;
        const here = indentOf(line);
        const there = previous >= 0 ? indentOf(lines[previous]!) : 0;
        return {
          offset: firstToken,
          message: `this line is indented ${here} space${here === 1 ? "" : "s"} but line ${previous + 1} is indented ${there}; keys of one mapping must line up`,
          hint: "indent the keys of one mapping by the same number of spaces",
        };
      }
      break;
    }
  }
  const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return {
    offset: pos,
    message: `YAML syntax error: ${message}`,
    hint: "check the indentation and the brackets and quotes around this position",
  };
}

/** The last `[`/`{` before `end` that is not closed before it (quoted text skipped). */
function unclosedBracket(text: string, end: number, open: string, close: string): number | undefined {
  const stack: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(end, text.length); i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!)))
      i = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    else if (c === open) stack.push(i);
    else if (c === close) stack.pop();
  }
  return stack.at(-1);
}
