import { TemplateSyntaxError } from "./errors.ts";
import type { Token } from "./lexer.ts";
import type { Advice } from "./syntax-hints.ts";

/** Names that are operators in expressions, never variables. */
export const EXPRESSION_KEYWORDS: ReadonlySet<string> = new Set(["and", "or", "not", "in", "is", "if", "else"]);

/**
 * A position in one tag's tokens, with the checks and errors every parse of them needs:
 * looking at and consuming tokens, naming a token in a message, failing with a hint.
 */
export class TokenCursor {
  protected i = 0;
  constructor(
    protected readonly source: string,
    protected readonly tokens: readonly Token[],
    readonly problems: TemplateSyntaxError[],
    /** What the end token means in messages: "`}}`", "`%}`", "the end of the condition". */
    private readonly endLabel: string,
  ) {}

  get current(): Token {
    return this.tokens[this.i]!;
  }
  look(k = 1): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }
  advance(): Token {
    const t = this.current;
    if (t.type !== "end") this.i++;
    return t;
  }
  isOp(value: string, t: Token = this.current): boolean {
    return t.type === "op" && t.value === value;
  }
  isName(value: string, t: Token = this.current): boolean {
    return t.type === "name" && t.value === value;
  }
  atEnd(): boolean {
    return this.current.type === "end";
  }

  describe(t: Token): string {
    if (t.type === "end") return this.endLabel;
    if (t.type === "string") return "a string";
    return `\`${this.source.slice(t.at, t.end)}\``;
  }
  fail(message: string, at: number = this.current.at, hint?: string): never {
    throw new TemplateSyntaxError(message, this.source, at, hint);
  }
  protected advise(advice: Advice, at: number): never {
    return this.fail(advice.message, at, advice.hint);
  }
  soft(message: string, at: number, hint?: string): void {
    this.problems.push(new TemplateSyntaxError(message, this.source, at, hint));
  }
  expectOp(value: string, context?: string, hint?: string): Token {
    if (!this.isOp(value))
      this.fail(
        `expected \`${value}\`${context ? ` ${context}` : ""}, got ${this.describe(this.current)}`,
        this.current.at,
        hint,
      );
    return this.advance();
  }
  expectName(context: string, hint?: string): Token {
    if (this.current.type !== "name")
      this.fail(`expected a name ${context}, got ${this.describe(this.current)}`, this.current.at, hint);
    return this.advance();
  }
}
