import { END, OUT, type TextCursor } from "./shell-cursor.ts";
import { splitProblem } from "./shell-messages.ts";
import type { Dialect } from "./shell-state.ts";
import { METACHARS } from "./shell-words.ts";

/** A heredoc delimiter as the shell reads it after `<<` / `<<-`. */
export interface Delimiter {
  /** The terminator line, quotes removed. */
  word: string;
  /** Any quoting in it (`'EOF'`, `"EOF"`, `\EOF`, `E"O"F`): the body is not expanded. */
  quoted: boolean;
  /** It cannot be read statically (an expansion, a bash `>(`, an output, a quote left open). */
  unreadable: boolean;
  /** It runs into the next output: that output is refused as part of the delimiter. */
  output: boolean;
}

/**
 * Reads the delimiter word at `cur.i` (after `<<` / `<<-`), leaving `cur.i` past it.
 * When the text ends before the word does, what follows the tag must end it: a
 * metachar (or, before the word started, a newline), an output or the end; otherwise
 * the tag splits the delimiter, a problem at the tag.
 */
export function readDelimiter(cur: TextCursor, dialect: Dialect): Delimiter {
  const src = cur.src;
  for (let l = cur.look(cur.i, ""); l.ch === " " || l.ch === "\t"; l = cur.look(cur.i, "")) cur.i = l.pos + 1;
  let word = "";
  let quoted = false;
  let unreadable = false;
  let quote = "";
  let trailing = false;
  while (cur.i < cur.end) {
    const c = src[cur.i]!;
    const last = cur.i + 1 === cur.end;
    if (quote === "'") {
      if (c === "'") quote = "";
      else word += c;
    } else if ((c === "\\" || c === "$") && last) {
      trailing = true; // its meaning depends on what follows the tag
      quoted ||= c === "\\";
    } else if (c === "\\" && (quote === "" || '\\"$`\n'.includes(src[cur.i + 1]!))) {
      if (src[cur.i + 1] !== "\n" || quote !== "") {
        quoted = true;
        word += src[cur.i + 1]!;
      }
      cur.i++;
    } else if (quote === '"') {
      if (c === '"') quote = "";
      else word += c;
    } else if (dialect === "bash" && (c === "<" || c === ">") && cur.look(cur.i + 1, "(").ch === "(") {
      unreadable = true; // bash reads `a>(x)` as one delimiter word
    } else if (METACHARS.includes(c)) {
      return { word, quoted, unreadable, output: false };
    } else if (c === "'" || c === '"') {
      quote = c;
      quoted = true;
    } else if (c === "`" || (c === "$" && "'\"({".includes(src[cur.i + 1]!))) {
      unreadable = true;
    } else word += c;
    cur.i++;
  }
  const notStarted = word === "" && !quoted && quote === "";
  const open = quote !== "" || trailing;
  const ends = (c: string) => c === OUT || c === END || (!open && (notStarted ? c === "\n" : METACHARS.includes(c)));
  if (cur.tagAt !== undefined && [...cur.follow].some((c) => !ends(c)))
    cur.problems.push(splitProblem(cur.tagAt, "", true));
  const output = cur.follow.has(OUT);
  return { word, quoted, unreadable: unreadable || output || quote !== "", output };
}
