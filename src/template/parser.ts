/**
 * The template parser: the lexer's segments read into statements, every load-time problem
 * collected (the tag a problem breaks is reported once), and the entry points for a whole
 * template and for a bare expression. Each tag's expression is read by `expression-parser.ts`;
 * `if`/`for`/`set` are read by `parser-control.ts`, the capture and scope blocks by
 * `parser-blocks.ts`.
 */
import { didYouMean } from "../errors/did-you-mean.ts";
import type { Expr, Stmt } from "./ast.ts";
import { STATEMENTS } from "./catalog.ts";
import { TemplateSyntaxError, locate } from "./errors.ts";
import { ExpressionParser } from "./expression-parser.ts";
import { lex, tokenize, type Segment, type TagSegment, type Token } from "./lexer.ts";
import { BlockParser, type BlockKeyword } from "./parser-blocks.ts";
import { ControlParser, placeholder, type ControlHost, type OpenBlock, type StopTag } from "./parser-control.ts";
import { UNSUPPORTED_STATEMENTS, trailingTokenHint } from "./syntax-hints.ts";

/** A parsed template: its statements, every load-time problem, and its shape. */
export interface ParsedTemplate {
  body: Stmt[];
  errors: TemplateSyntaxError[];
  /** The whole text is one `{{ expr }}` (whitespace around it allowed). */
  isSingleExpression: boolean;
}

type StatementSegment = TagSegment;

/** `{% set x %}` or `{% set x | filter %}`: the block form, closed by `{% endset %}`. */
const isBlockSet = (seg: StatementSegment) => {
  const [, target, next] = seg.tokens;
  return target?.type === "name" && (next?.type === "end" || (next?.type === "op" && next.value === "|"));
};
const CLOSER: Record<BlockKeyword, string> = {
  if: "endif",
  for: "endfor",
  set: "endset",
  filter: "endfilter",
  with: "endwith",
  macro: "endmacro",
  call: "endcall",
};

function sortErrors(errors: TemplateSyntaxError[]): TemplateSyntaxError[] {
  const seen = new Set<string>();
  return errors
    .sort((a, b) => a.offset - b.offset)
    .filter((e) => {
      const key = `${e.offset}\0${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

class StatementParser implements ControlHost {
  private i = 0;
  private readonly blocks = new BlockParser(this);
  private readonly control = new ControlParser(this);
  constructor(
    readonly source: string,
    private readonly segments: Segment[],
    readonly errors: TemplateSyntaxError[],
  ) {}

  private report(e: unknown, broken: boolean): void {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    if (!broken) this.errors.push(e);
  }

  /** Runs `fn` on a tag's parser; a hard error is recorded (unless the tag was already reported) and yields the fallback. */
  guard<T>(segment: { broken: boolean; at: number }, parser: ExpressionParser, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      this.report(e, segment.broken);
      return fallback;
    } finally {
      if (!segment.broken) this.errors.push(...parser.problems.splice(0));
      else parser.problems.length = 0;
    }
  }

  expectEnd(p: ExpressionParser, closer: string): void {
    if (!p.atEnd())
      p.fail(
        `expected \`${closer}\`, got ${p.describe(p.current)}`,
        p.current.at,
        trailingTokenHint(p.describe(p.current), `\`${closer}\``),
      );
  }

  parserOver(tokens: Token[]): ExpressionParser {
    return new ExpressionParser(this.source, tokens, [], "`%}`");
  }

  blockBody(keyword: BlockKeyword, segment: TagSegment): { body: Stmt[]; end: number } {
    const open: OpenBlock = { keyword, at: segment.at };
    this.i++;
    const part = this.parseBody([CLOSER[keyword]], open);
    const stop = part.stop;
    if (!stop) {
      this.errors.push(this.unclosed(open));
      return { body: part.body, end: this.source.length };
    }
    stop.parser.advance();
    this.guard(stop.segment, stop.parser, () => this.expectEnd(stop.parser, "%}"), undefined);
    this.i++;
    return { body: part.body, end: stop.segment.end };
  }

  skipTag(): void {
    this.i++;
  }

  parseBody(until: readonly string[], open?: OpenBlock): { body: Stmt[]; stop?: StopTag } {
    const body: Stmt[] = [];
    while (this.i < this.segments.length) {
      const seg = this.segments[this.i]!;
      if (seg.kind === "text") {
        body.push({ kind: "text", text: seg.text, at: seg.at });
        this.i++;
      } else if (seg.kind === "comment") this.i++;
      else if (seg.kind === "output") {
        const p = new ExpressionParser(this.source, seg.tokens, [], "`}}`");
        const expr = this.guard(
          seg,
          p,
          () => {
            const e = p.parseTuple();
            this.expectEnd(p, "}}");
            return e;
          },
          placeholder(seg.at),
        );
        body.push({ kind: "output", expr, at: seg.at, end: seg.end });
        this.i++;
      } else {
        const p = new ExpressionParser(this.source, seg.tokens, [], "`%}`");
        const head = seg.tokens[0]!;
        if (head.type !== "name") {
          const hint = "write `{% if … %}`, `{% for … in … %}` or `{% set … = … %}`; to output a value, use `{{ … }}`";
          if (!seg.broken)
            this.errors.push(
              new TemplateSyntaxError(
                `expected a statement (${STATEMENTS.join(", ")}) after \`{%\`, got ${p.describe(head)}`,
                this.source,
                head.at,
                hint,
              ),
            );
          this.i++;
          continue;
        }
        const keyword = head.value;
        if (until.includes(keyword)) return { body, stop: { keyword, segment: seg, parser: p } };
        p.advance();
        if (keyword === "if") body.push(this.control.parseIf(seg, p));
        else if (keyword === "for") body.push(this.control.parseFor(seg, p));
        else if (keyword === "raw" && seg.tokens.length === 2)
          this.i++; // the lexer made its content text
        else if (keyword === "set") {
          const stmt = isBlockSet(seg) ? this.blocks.parseBlockSet(seg, p) : this.control.parseSet(seg, p);
          if (stmt) body.push(stmt);
        } else if (keyword === "filter") body.push(this.blocks.parseFilterBlock(seg, p));
        else if (keyword === "with") body.push(this.blocks.parseWith(seg, p));
        else if (keyword === "macro") body.push(this.blocks.parseMacro(seg, p));
        else if (keyword === "call") body.push(...this.blocks.parseCall(seg, p));
        else if (Object.hasOwn(UNSUPPORTED_STATEMENTS, keyword)) {
          this.unsupported(keyword, seg, open);
        } else {
          if (!seg.broken) this.errors.push(this.unexpected(keyword, head.at, open));
          this.i++;
        }
      }
    }
    return { body };
  }

  /**
   * A Jinja statement this engine does not support: one error at the tag, with what to
   * write instead. A block statement's body is still checked, and its `{% end… %}` is
   * consumed with it, when there is one.
   */
  private unsupported(keyword: string, seg: StatementSegment, open?: OpenBlock): void {
    const { hint, block } = UNSUPPORTED_STATEMENTS[keyword]!;
    const at = seg.tokens[0]!.at;
    if (!seg.broken)
      this.errors.push(new TemplateSyntaxError(`\`{% ${keyword} %}\` is not supported`, this.source, at, hint));
    this.i++;
    if (block) this.skipBlock(keyword, open);
  }

  /** After a refused `{% keyword %}` block tag: its body (still checked, then dropped) and its `{% end… %}`, if there is one. */
  private skipBlock(keyword: string, open?: OpenBlock): void {
    const end = `end${keyword}`;
    if (this.findEnd(keyword, end) === undefined) return;
    this.parseBody([end], open);
    this.i++; // the end tag
  }

  /** The index of the `{% end %}` that closes the `{% keyword %}` just read (nested ones counted). */
  private findEnd(keyword: string, end: string): number | undefined {
    let depth = 0;
    for (let k = this.i; k < this.segments.length; k++) {
      const seg = this.segments[k]!;
      if (seg.kind !== "statement") continue;
      const head = seg.tokens[0]!;
      if (head.type !== "name") continue;
      if (head.value === keyword && (keyword !== "set" || isBlockSet(seg))) depth++;
      else if (head.value === end && depth-- === 0) return k;
    }
    return undefined;
  }

  private unexpected(keyword: string, at: number, open?: OpenBlock): TemplateSyntaxError {
    const tag = `\`{% ${keyword} %}\``;
    if (!STATEMENTS.includes(keyword)) {
      const hint = `supported statements: ${STATEMENTS.join(", ")}`;
      return new TemplateSyntaxError(
        `unknown statement \`${keyword}\`${didYouMean(keyword, STATEMENTS)}`,
        this.source,
        at,
        hint,
      );
    }
    if (open) {
      const line = locate(this.source, open.at).line;
      return new TemplateSyntaxError(
        `unexpected ${tag}: the innermost open block is the \`{% ${open.keyword} %}\` on line ${line}, which needs \`{% ${CLOSER[open.keyword]} %}\` first`,
        this.source,
        at,
        `add \`{% ${CLOSER[open.keyword]} %}\` before this tag, or remove the tag`,
      );
    }
    const owner =
      keyword === "endfor" ? "`{% for %}`" : keyword === "else" ? "`{% if %}` or `{% for %}`" : "`{% if %}`";
    const opener = keyword === "endfor" ? "`{% for x in items %}`" : "`{% if condition %}`";
    return new TemplateSyntaxError(
      `unexpected ${tag}: there is no open ${owner}`,
      this.source,
      at,
      `remove it, or add ${opener} before it`,
    );
  }

  unclosed(open: OpenBlock): TemplateSyntaxError {
    const closer = `\`{% ${CLOSER[open.keyword]} %}\``;
    return new TemplateSyntaxError(
      `this \`{% ${open.keyword} %}\` is never closed (missing ${closer})`,
      this.source,
      open.at,
      `add ${closer}`,
    );
  }
}

/** A parse that ran out of stack (e.g. `not not not …` thousands deep) as a syntax error. */
function tooDeep(source: string): TemplateSyntaxError {
  return new TemplateSyntaxError(
    "the template is nested too deeply to read",
    source,
    0,
    "split it, or build the value in a python: step",
  );
}

/** Parses a template, collecting every problem it can find. */
export function parseTemplate(source: string): ParsedTemplate {
  const { segments, errors } = lex(source);
  const parser = new StatementParser(source, segments, errors);
  let body: Stmt[];
  try {
    body = parser.parseBody([]).body;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { body: [], errors: [tooDeep(source)], isSingleExpression: false };
  }
  let outputs = 0;
  let other = false;
  for (const seg of segments) {
    if (seg.kind === "output") outputs++;
    else if (seg.kind === "text") other ||= seg.text.trim() !== "";
    else other = true;
  }
  return { body, errors: sortErrors(parser.errors), isSingleExpression: outputs === 1 && !other };
}

/** Parses a bare expression (a condition, or a rendered compatibility condition). */
export function parseExpression(source: string): { expr: Expr; errors: TemplateSyntaxError[] } {
  const read = tokenize(source, 0, null);
  const errors: TemplateSyntaxError[] = read.error ? [read.error] : [];
  const p = new ExpressionParser(source, read.tokens, [], "the end of the condition");
  let expr: Expr = placeholder(0);
  if (!read.error) {
    try {
      expr = p.parseTuple();
      if (!p.atEnd())
        p.fail(`unexpected ${p.describe(p.current)}`, p.current.at, trailingTokenHint(p.describe(p.current)));
    } catch (e) {
      if (e instanceof RangeError) return { expr, errors: [tooDeep(source)] };
      if (!(e instanceof TemplateSyntaxError)) throw e;
      errors.push(e);
    }
    errors.push(...p.problems);
  }
  return { expr, errors: sortErrors(errors) };
}
