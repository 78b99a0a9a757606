import type { CmdCtx, Dialect } from "./shell-state.ts";

/** `[[ … ]]` operators that make bash evaluate both sides as arithmetic. */
export const ARITH_OPS: ReadonlySet<string> = new Set(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);
/** Commands whose arguments are assignments (and with `-i`, arithmetic). */
export const DECLARATIONS: ReadonlySet<string> = new Set(["declare", "typeset", "local", "export", "readonly"]);
/** Reserved words after which the next word is again in command position. */
export const KEYWORDS: ReadonlySet<string> = new Set(["!", "{", "}", "then", "do", "else", "elif", "if", "while", "until", "time", "for"]);
/** Bytes that end an unquoted word. */
export const METACHARS = " \t\n;&|<>()";

/** `name=`, `name+=`, `name[]=`: the word is an assignment (once matched, any longer word still is). */
export const ASSIGNMENT = /^[A-Za-z_]\w*(\[\])?\+?=/;

const SPECIAL = [...ARITH_OPS, ...DECLARATIONS, ...KEYWORDS, "let", "eval", "case", "esac", "in", "[[", "]]"];
const isSpecialPrefix = (w: string) => SPECIAL.some((k) => k.startsWith(w));
/** A name, then what can still follow on the way to `ASSIGNMENT`: `[`, `[]`, `[]+`, `+`. */
const ASSIGNABLE = /^[A-Za-z_]\w*(\[\]?|\[\]\+|\+)?$/;

/**
 * The current word reduced to what the lexer will ever ask of it, so that the scan of
 * a loop reaches a fixed point: `a,b,` and `a,b,c,` are the same word to the lexer.
 *
 * The lexer asks, of a plain word, whether it is one of the reserved words, `let`,
 * `eval`, a declaration command, a `[[` operator, a `-…i` option, a name (a `[` after it
 * starts a subscript), or an assignment (`ASSIGNMENT`); of a word with quoting in it,
 * only whether it is an assignment. Each class keeps a representative that answers every
 * question, for every continuation, the same way the word does: a name that is not the
 * start of a reserved word becomes `zzzzzzzzzz`, an assignment `a=`, a word that can no
 * longer be any of these `/`.
 */
export function canonWord(word: string, plain: boolean): string {
  if (word === "") return word;
  if (ASSIGNMENT.test(word)) return "a=";
  if (ASSIGNABLE.test(word)) {
    if (plain && isSpecialPrefix(word)) return word;
    return `zzzzzzzzzz${word.slice(/^[A-Za-z_]\w*/.exec(word)![0].length)}`;
  }
  if (!plain) return "/";
  if (/^[-+][A-Za-z]*i/.test(word)) return "-zi";
  if (/^[-+][A-Za-z]*$/.test(word)) return isSpecialPrefix(word) ? word : "-z";
  return isSpecialPrefix(word) ? word : "/";
}

/**
 * The end of the current word of command text: what it meant (a reserved word, `case`
 * … `in` … `esac`, `[[ … ]]`, `let`/`eval`/`declare -i`, an assignment) for the words
 * after it. Returns the outputs of a `[[ … ]]` that this `]]` closes after an arithmetic
 * operator: bash evaluates them as code.
 */
export function endWord(ctx: CmdCtx, dialect: Dialect): number[] {
  if (!ctx.inWord) return [];
  const word = ctx.plain ? ctx.word : undefined;
  ctx.afterAssign = (ctx.cmdPos || ctx.afterAssign) && ASSIGNMENT.test(ctx.word);
  if (ctx.cmdPos && (word === "let" || word === "eval")) ctx.evaluates = true;
  if (ctx.cmdPos && word !== undefined && DECLARATIONS.has(word)) ctx.declaring = true;
  else if (ctx.declaring && word !== undefined && /^[-+][A-Za-z]*i/.test(word)) ctx.evaluates = true;
  ctx.inWord = false;
  ctx.word = "";
  ctx.plain = true;
  ctx.brace = 0;
  ctx.subscript = false;
  const top = ctx.cases[ctx.cases.length - 1];
  if (ctx.test) {
    const refused = word === "]]" && ctx.test.arith ? ctx.test.outs : [];
    if (word === "]]") ctx.test = undefined;
    else if (word !== undefined && ARITH_OPS.has(word)) ctx.test.arith = true;
    return refused;
  }
  if (word === "[[" && ctx.cmdPos && dialect === "bash") {
    ctx.test = { arith: false, outs: [] };
    ctx.cmdPos = false;
  } else if (top?.phase === "subject") top.phase = "in";
  else if (top?.phase === "in") {
    if (word === "in") top.phase = "pattern";
  } else if (top?.phase === "pattern") {
    if (word === "esac") {
      ctx.cases.pop();
      ctx.cmdPos = false;
    }
  } else if (!ctx.cmdPos) return [];
  else if (word === "case") {
    ctx.cases.push({ baseline: ctx.paren, phase: "subject" });
    ctx.cmdPos = false;
  } else if (word === "esac" && top?.phase === "body") {
    ctx.cases.pop();
    ctx.cmdPos = false;
  } else ctx.cmdPos = word !== undefined && KEYWORDS.has(word);
  return [];
}
