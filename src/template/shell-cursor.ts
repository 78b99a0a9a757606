import { splitProblem, type ShellProblem } from "./shell-messages.ts";

/** In a `Follow` set: an output comes next. */
export const OUT = "output";
/** In a `Follow` set: the template ends. */
export const END = "end";
/**
 * What can come right after a piece of text on some path through the template: single
 * characters, `OUT` and `END`. A `\` stands for anything (it may start a `\`-newline).
 */
export type Follow = ReadonlySet<string>;

/**
 * A position in one piece of a template's literal text, and what may follow the piece.
 * The lexer reads a piece at a time; where it would look past the end of a piece (to
 * tell `$(` from `$`, `<<` from `<`, `;;` from `;`, a delimiter's end), what comes next
 * depends on the path through the template, so a token the tag splits is a problem
 * reported at the tag, unless no path continues it.
 */
export class TextCursor {
  src = "";
  i = 0;
  end = 0;
  follow: Follow = new Set([END]);
  /** The offset of the tag right after the text; undefined at the end of the template. */
  tagAt: number | undefined;
  readonly problems: ShellProblem[] = [];

  /** Starts on a new piece of text. */
  protected start(text: string, follow: Follow, tagAt: number | undefined): void {
    [this.src, this.i, this.end, this.follow, this.tagAt] = [text, 0, text.length, follow, tagAt];
  }

  /**
   * At the end of the text, the token may go on in what follows the tag: a problem when
   * some path continues with one of `wanted` (or, when `wild`, with a `\` that may hide a
   * `\`-newline before one).
   */
  boundary(wanted: string, wild = true): void {
    if (wanted === "" || this.tagAt === undefined) return;
    if ([...this.follow].some((c) => (wild && c === "\\") || wanted.includes(c))) {
      const operator = /[$<>;&|()\\]+$/.exec(this.src)?.[0] ?? this.src.slice(-1);
      this.problems.push(splitProblem(this.tagAt, operator.slice(-3), false));
    }
  }

  /**
   * The next significant char at or after `pos`, skipping `\`-newline; "" at the end of
   * the text. `wanted` are the chars the caller would act on: if the text ends first and
   * a path goes on with one of them, the tag splits the token.
   */
  look(pos: number, wanted: string): { ch: string; pos: number } {
    while (this.src[pos] === "\\" && this.src[pos + 1] === "\n" && pos + 1 < this.end) pos += 2;
    if (pos === this.end - 1 && this.src[pos] === "\\") this.boundary(wanted === "" ? "" : "\n");
    if (pos >= this.end) {
      this.boundary(wanted);
      return { ch: "", pos };
    }
    return { ch: this.src[pos]!, pos };
  }
}
