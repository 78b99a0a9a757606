import type { CmdCtx, Dialect } from "./shell-state.ts";

/** `[[ … ]]` operators that make bash evaluate both sides as arithmetic. */
export const ARITH_OPS: ReadonlySet<string> = new Set(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);
/** Commands whose arguments are assignments (and with `-i`, arithmetic; with `-n`, variable names). */
export const DECLARATIONS: ReadonlySet<string> = new Set(["declare", "typeset", "local", "export", "readonly"]);
/** Reserved words after which the next word is again in command position. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "!",
  "{",
  "}",
  "then",
  "do",
  "else",
  "elif",
  "if",
  "while",
  "until",
  "time",
  "for",
]);
/**
 * Builtins whose arguments the shell reads as more than data: code (`eval`, `trap`),
 * arithmetic (`let`), variable names (`read`, `unset`, `printf -v`, `test -v`), and
 * `command` / `builtin`, which run the builtin named next.
 */
export const COMMANDS: ReadonlySet<string> = new Set([
  ...["eval", "trap", "let", "read", "unset", "printf", "test", "["],
  ...["command", "builtin"],
]);
/** Bytes that end an unquoted word. */
export const METACHARS = " \t\n;&|<>()";

/** `name=`, `name+=`, `name[]=`: the word is an assignment (once matched, any longer word still is). */
export const ASSIGNMENT = /^[A-Za-z_]\w*(\[\])?\+?=/;

const SPECIAL = [...ARITH_OPS, ...DECLARATIONS, ...KEYWORDS, ...COMMANDS, "case", "esac", "in", "[[", "]]", "-v"];
/** Every prefix of a special word, for a lookup per character read. */
const PREFIXES: ReadonlySet<string> = new Set(
  SPECIAL.flatMap((k) => Array.from({ length: k.length + 1 }, (_, n) => k.slice(0, n))),
);
const isSpecialPrefix = (w: string) => PREFIXES.has(w);
/** A name, then what can still follow on the way to `ASSIGNMENT`: `[`, `[]`, `[]+`, `+`. */
const ASSIGNABLE = /^[A-Za-z_]\w*(\[\]?|\[\]\+|\+)?$/;

/** How a character joins the current word: unquoted, quoted or escaped (still literal), or from an expansion or output. */
export type WordMode = "plain" | "quoted" | "opaque";

/** An option word reduced to its letters (sorted, once each) and its last letter: all that is asked of it. */
function canonOption(word: string): string {
  const letters = word.slice(1);
  if (letters === "") return word;
  return `${word[0]}${[...new Set(letters)].sort().join("")}${letters[letters.length - 1]}`;
}

/**
 * The current word reduced to what the lexer will ever ask of it, so that the scan of
 * a loop reaches a fixed point: `a,b,` and `a,b,c,` are the same word to the lexer.
 *
 * The lexer asks, of a plain word, whether it is one of the reserved words, a builtin
 * of `COMMANDS` or `DECLARATIONS`, a `[[` operator, an option (which letters, which
 * last), a name (a `[` after it starts a subscript; `keep` names are kept: variables
 * declared `-i`), or an assignment (`ASSIGNMENT`); of a word with quoting in it, only
 * its literal text when that can spell a builtin (`ev""al`, `\eval` run eval) — written
 * `~text` so it never passes for a reserved word or an assignment. Each class keeps a
 * representative: a name that is not the start of a special word becomes `zzzzzzzzzz`,
 * an assignment `a=`, a word that can no longer be any of these `/`.
 */
export function canonWord(word: string, mode: WordMode, keep?: ReadonlySet<string>): string {
  if (word === "") return mode === "quoted" ? "~" : mode === "opaque" ? "/" : word;
  if (ASSIGNMENT.test(word)) return "a=";
  if (mode === "opaque" || word.startsWith("/")) return "/";
  if (mode === "quoted" || word.startsWith("~")) {
    const lit = word.startsWith("~") ? word.slice(1) : word;
    return lit === "" || isSpecialPrefix(lit) ? `~${lit}` : "/";
  }
  if (ASSIGNABLE.test(word)) {
    const name = /^[A-Za-z_]\w*/.exec(word)![0];
    if (isSpecialPrefix(word) || (keep && keep.size > 0 && [...keep].some((k) => k.startsWith(name)))) return word;
    return `zzzzzzzzzz${word.slice(name.length)}`;
  }
  if (/^[-+][A-Za-z]*$/.test(word)) return isSpecialPrefix(word) ? word : canonOption(word);
  return isSpecialPrefix(word) ? word : "/";
}

/** The literal text of a canonical word, when it is known (a plain word or a `~` quoted one). */
export const literalWord = (word: string): string | undefined =>
  word.startsWith("~") ? word.slice(1) : word === "/" ? undefined : word;

const isOption = (w: string | undefined): w is string => w !== undefined && /^[-+][A-Za-z]+$/.test(w);

/** A word of a simple command after its name: an option of a declaration, the previous option. */
function argument(ctx: CmdCtx, lit: string | undefined): void {
  if (DECLARATIONS.has(ctx.cmd) && isOption(lit)) {
    const letters = new Set([...ctx.opts, ...[...lit.slice(1)].filter((c) => c === "i" || c === "n")]);
    ctx.opts = [...letters].sort().join("");
  }
  ctx.prev = isOption(lit) || lit === "-v" ? lit : "";
}

/** Reserved words that never name a command (besides `KEYWORDS`, after which a command follows). */
const RESERVED: ReadonlySet<string> = new Set([
  "case",
  "esac",
  "in",
  "[[",
  "]]",
  "done",
  "fi",
  "function",
  "select",
  "coproc",
]);

/** The first word of a simple command that is not an assignment or a reserved word: the command name. */
function commandName(ctx: CmdCtx, lit: string | undefined, plain: boolean): void {
  if (plain && lit !== undefined && RESERVED.has(lit)) return;
  if (lit === "command" || lit === "builtin") ctx.cmd = "command";
  else if (ctx.cmd === "command" && isOption(lit))
    return; // `command -p eval`
  else ctx.cmd = lit !== undefined && (COMMANDS.has(lit) || DECLARATIONS.has(lit)) ? lit : "?";
}

/**
 * The end of the current word of command text: what it meant (a reserved word, `case`
 * … `in` … `esac`, `[[ … ]]`, the command name and its options, an assignment) for the
 * words after it. Returns the outputs that turn out to be the left operand of a
 * `[[ … ]]` arithmetic operator: bash evaluates them as arithmetic.
 */
export function endWord(ctx: CmdCtx, dialect: Dialect): number[] {
  if (!ctx.inWord) return [];
  const word = ctx.plain ? ctx.word : undefined;
  const lit = literalWord(ctx.word);
  const wasCmdPos = ctx.cmdPos;
  const assignment = ctx.word === "a=";
  if (ctx.redir) ctx.redir = false;
  else if (!ctx.test) {
    const leading = ctx.cmd === "" && (wasCmdPos || ctx.afterAssign);
    if (leading && assignment) {
      // a prefix assignment: the command name is still to come
    } else if ((leading && !(word !== undefined && KEYWORDS.has(word))) || ctx.cmd === "command") {
      commandName(ctx, lit, word !== undefined);
    } else if (ctx.cmd !== "") argument(ctx, lit);
  }
  ctx.afterAssign = (wasCmdPos || ctx.afterAssign) && assignment;
  ctx.inWord = false;
  ctx.word = "";
  ctx.plain = true;
  ctx.brace = 0;
  ctx.subscript = false;
  ctx.assignInt = false;
  const top = ctx.cases[ctx.cases.length - 1];
  if (ctx.test) {
    const t = ctx.test;
    let numbers: number[] = [];
    if (word === "]]") ctx.test = undefined;
    else if (word !== undefined && ARITH_OPS.has(word)) {
      numbers = t.lastOuts;
      t.arith = true;
    } else t.arith = false;
    t.prev = lit === "-v" ? lit : "";
    t.lastOuts = t.outs;
    t.outs = [];
    return numbers;
  }
  if (word === "[[" && ctx.cmdPos && dialect === "bash") {
    ctx.test = { arith: false, prev: "", outs: [], lastOuts: [] };
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

/** The end of a simple command (`;`, `&`, `|`, `(`, `)`, a newline): the next word may name a command again. */
export function endCommand(ctx: CmdCtx): void {
  ctx.afterAssign = false;
  ctx.cmd = ctx.prev = ctx.opts = "";
  ctx.redir = false;
}
