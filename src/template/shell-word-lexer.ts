import { TextCursor } from "./shell-cursor.ts";
import { renderSlot, slotError } from "./shell-messages.ts";
import { sameSlot, type ShellSlot } from "./shell-slot.ts";
import type { CmdCtx, Ctx, Dialect, LexState } from "./shell-state.ts";
import { METACHARS, canonWord, endWord, type WordMode } from "./shell-words.ts";

/** The innermost context of a state. */
export const top = (s: LexState): Ctx => s.stack[s.stack.length - 1]!;

/**
 * The bookkeeping half of the shell lexer (`shell-lexer.ts` reads the characters): the
 * slot recorded for each output over every path, the outputs glued to word text, and
 * the current word of command text — built a character at a time, as the lexer meets
 * it unquoted, quoted or from an expansion (`canonWord`).
 */
export abstract class WordLexer extends TextCursor {
  readonly slots: ShellSlot[] = [];
  /** Outputs followed by word text: their value is always quoted (`force`). */
  readonly glued = new Set<number>();
  protected s!: LexState;

  /** Names kept whole in canonical words: the declared integer and associative-array variables. */
  protected readonly keep: ReadonlySet<string>;

  /**
   * `ints`: variables the text declares `-i` (`*` for names it cannot read): assigning to
   * them is arithmetic. `assocs`: declared `-A`: their subscripts are string keys.
   */
  constructor(
    readonly dialect: Dialect,
    protected readonly ints: ReadonlySet<string> = new Set(),
    protected readonly assocs: ReadonlySet<string> = new Set(),
  ) {
    super();
    this.keep = new Set([...ints, ...assocs]);
  }

  /** Records `slot` for output `ord` on one path: an error on any path wins. */
  protected record(ord: number, slot: ShellSlot): void {
    const old = this.slots[ord];
    const rank = (x: ShellSlot) => (x.kind === "error" ? 2 : x.kind === "render" ? 1 : 0);
    if (old === undefined || rank(slot) > rank(old)) this.slots[ord] = slot;
    else if (rank(old) === 0 && !sameSlot(old, slot)) this.slots[ord] = renderSlot(); // different places on different paths
  }

  /** What follows output `ord` on some path (`follow`, see `TextCursor`): word text glues it. */
  gluedTo(ord: number, follow: ReadonlySet<string>): void {
    for (const c of follow) if (c.length === 1 ? !METACHARS.includes(c) : c === "output") this.glued.add(ord);
  }

  /** Outputs on a heredoc line that could spell the terminator with the text around them: checked on the rendered line. */
  protected flag(ords: readonly number[]): void {
    for (const ord of ords) {
      const slot = this.slots[ord];
      if (slot?.kind === "heredoc") this.slots[ord] = { ...slot, joined: true };
    }
  }

  protected setPoison(message: string, hint: string): void {
    this.s.poison ??= slotError(message, hint);
  }

  /** Adds `c` (read as `mode`) to the current word of `ctx`; notes an assignment to a `-i` variable. */
  protected markWord(ctx: CmdCtx, c: string, mode: WordMode = "plain"): void {
    ctx.inWord = true;
    if (mode !== "plain") ctx.plain = false;
    const before = ctx.word;
    ctx.word = canonWord(before + c, ctx.plain ? "plain" : mode === "opaque" ? "opaque" : "quoted", this.keep);
    if (ctx.word === "a=" && before !== "a=" && mode === "plain") {
      const name = /^[A-Za-z_]\w*/.exec(before)?.[0];
      ctx.assignInt = this.ints.has("*") || (name !== undefined && this.ints.has(name));
    }
  }

  /** A character inside a quote (`mode` quoted) or an expansion in one (`opaque`): part of the word of the command text below. */
  protected feed(c: string, mode: WordMode): void {
    const below = this.s.stack[this.s.stack.length - 2];
    const here = top(this.s);
    if (below?.kind === "cmd" && (here.kind === "sq" || here.kind === "dq" || here.kind === "ansi"))
      this.markWord(below, c, mode);
  }

  protected endWord(ctx: CmdCtx): void {
    const refused = endWord(ctx, this.dialect);
    for (const ord of refused) {
      if (this.slots[ord]?.kind === "error") continue;
      this.slots[ord] = this.s.poison
        ? renderSlot(this.s.poison)
        : { kind: "number", place: "a `[[ … -eq … ]]` comparison (arithmetic)" };
    }
  }
}
