/**
 * Which slot an output gets in unquoted command text: a word, unless the command reads
 * its arguments as more than data. The rule (docs/templates.md, "Shell commands"):
 *
 * - `eval` and `trap` run their arguments as code: refused at load (no value is data there).
 * - Arithmetic — `let`, `[[ … -eq … ]]` operands, a subscript where a builtin reads a
 *   variable name (`unset a[i]`), an assignment to a variable declared `-i` — takes an
 *   integer literal, checked at render.
 * - A variable name — `read`, `unset`, `printf -v`, `test -v` / `[ -v` / `[[ -v`, the
 *   names of `declare`/`local`/`export`/…, the value of `declare -n` — takes a plain
 *   name, checked at render: bash evaluates the subscript of `a[$(cmd)]` there.
 * - Everywhere else `[` is a glob bracket and the value one quoted word.
 */
import { ERR, renderSlot } from "./shell-messages.ts";
import type { ShellSlot } from "./shell-slot.ts";
import type { CmdCtx, Ctx, LexState } from "./shell-state.ts";
import { DECLARATIONS } from "./shell-words.ts";

const number = (place: string): ShellSlot => ({ kind: "number", place });
const name = (place: string): ShellSlot => ({ kind: "name", place });

/** The options of `read` that take an argument (the word after them is data, not a name). */
const READ_ARG = /^-[A-Za-z]*[dinNptu]$/;
/** The option letter of a canonical option word (see `canonWord`): its last one. */
const lastLetter = (opt: string) => opt[opt.length - 1];

/** The slot of an output at the current point of command text `ctx`. */
export function commandSlot(ctx: CmdCtx): ShellSlot {
  if (ctx.redir) return { kind: "word", force: ctx.inWord };
  const cmd = ctx.cmd;
  if (cmd === "eval" || cmd === "trap") return ERR.evaluates;
  if (ctx.test?.arith) return number("a `[[ … -eq … ]]` comparison (arithmetic)");
  if (ctx.test?.prev === "-v") return name("`[[ -v … ]]`");
  if (cmd === "let") return number("`let` (arithmetic)");
  if (ctx.array && ctx.subscript) return number("an array subscript `[k]=` (arithmetic)");
  const assignment = ctx.word === "a=";
  if (assignment && ctx.assignInt) return number("an assignment to a variable declared -i (arithmetic)");
  if (DECLARATIONS.has(cmd)) {
    if (!assignment) return ctx.subscript ? number(`an array subscript in \`${cmd}\``) : name(`\`${cmd}\``);
    if (ctx.opts.includes("i")) return number(`\`${cmd} -i\` (arithmetic)`);
    if (ctx.opts.includes("n")) return name(`\`${cmd} -n\``);
    return { kind: "word", force: true, array: true }; // `declare -a v='(…)'` re-reads the value as code
  }
  const readsName =
    (cmd === "read" && !READ_ARG.test(ctx.prev)) ||
    cmd === "unset" ||
    (cmd === "printf" && ctx.prev !== "" && lastLetter(ctx.prev) === "v") ||
    ((cmd === "test" || cmd === "[") && ctx.prev === "-v");
  if (readsName) return ctx.subscript ? number(`an array subscript in \`${cmd}\``) : name(`\`${cmd}\``);
  const commandWord = ctx.cmd === "" || ctx.cmd === "command";
  return { kind: "word", force: ctx.inWord || (commandWord && (ctx.cmdPos || ctx.afterAssign)) };
}

/** The heredoc slot of the body being read; `joined` when text on the line could join the value into the terminator. */
export const heredocSlot = (s: LexState, joined: boolean, afterName = false): ShellSlot => {
  const h = s.body!.heredoc;
  const flags = { ...(joined && { joined }), ...(afterName && { afterName }) };
  return { kind: "heredoc", terminator: h.terminator, expands: h.expands, strip: h.strip, ...flags };
};

/** `${` text after which the rest of the expansion is arithmetic: an offset `${v:` or a subscript `${a[`. */
const PARAM_ARITH = /^[#!]?([A-Za-z_]\w*|[0-9]+|[@*#?$!-])(\[|:([^-=?+]|$))/;
const ARITH_PLACE: Record<string, string> = {
  arith: "shell arithmetic (`$(( ))`, `(( ))`, `$[ ]`, `for ((…))`)",
  subscript: "an array subscript (arithmetic)",
};

/** Where an output goes in state `s` (top context `ctx`), outside a quoted heredoc body; `assocs` are the `-A` arrays. */
export function outputSlot(s: LexState, ctx: Ctx, assocs: ReadonlySet<string>): ShellSlot {
  const body = s.body;
  if (s.poison) return renderSlot(s.poison);
  if (s.escaped) return ERR.backslash;
  if (s.dollar === "bare") return ERR.dollar;
  switch (ctx.kind) {
    case "sq":
    case "dq":
    case "ansi":
    case "bq":
      return ERR[ctx.kind];
    case "comment":
      return { kind: "comment" };
    case "subscript":
      if (ctx.assoc) return { kind: "word", force: true }; // an associative array's key is a string
      return { kind: "number", place: ARITH_PLACE[ctx.kind]! };
    case "arith":
      return { kind: "number", place: ARITH_PLACE[ctx.kind]! };
    case "param":
      if (ctx.inDq) return body ? ERR.bodySubst : ERR.dq;
      if (!PARAM_ARITH.test(ctx.head) || isAssocSubscript(ctx.head, assocs)) return { kind: "word", force: true };
      return { kind: "number", place: "a `${ … }` offset or subscript (arithmetic)" };
    case "hdbody":
      return heredocSlot(s, body!.line.danger, s.dollar === "name");
    case "cmd":
      return body ? ERR.bodySubst : commandSlot(ctx);
  }
}

/** `${m[` of an associative array `m` (declared `-A`): its key is a string, not arithmetic. */
function isAssocSubscript(head: string, assocs: ReadonlySet<string>): boolean {
  const m = /^([A-Za-z_]\w*)\[/.exec(head);
  return m !== null && assocs.has(m[1]!);
}
