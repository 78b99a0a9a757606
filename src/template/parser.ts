import { didYouMean } from "../errors/did-you-mean.ts";
import { targetNames, type Expr, type IfBranch, type Stmt, type Target } from "./ast.ts";
import { STATEMENTS } from "./catalog.ts";
import { TemplateSyntaxError, locate } from "./errors.ts";
import { ExpressionParser } from "./expression-parser.ts";
import { lex, tokenize, type Segment, type TagSegment } from "./lexer.ts";

/** A parsed template: its statements, every load-time problem, and its shape. */
export interface ParsedTemplate {
  body: Stmt[];
  errors: TemplateSyntaxError[];
  /** The whole text is one `{{ expr }}` (whitespace around it allowed). */
  isSingleExpression: boolean;
}

type StatementSegment = TagSegment;
interface Stop {
  keyword: string;
  segment: StatementSegment;
  parser: ExpressionParser;
}
interface Open {
  keyword: "if" | "for";
  at: number;
}

const placeholder = (at: number): Expr => ({ kind: "const", value: null, at, end: at });
const RESERVED_TARGETS = new Set(["true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if", "else"]);
const CLOSER: Record<Open["keyword"], string> = { if: "endif", for: "endfor" };

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

class StatementParser {
  private i = 0;
  constructor(
    private readonly source: string,
    private readonly segments: Segment[],
    readonly errors: TemplateSyntaxError[],
  ) {}

  private report(e: unknown, broken: boolean): void {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    if (!broken) this.errors.push(e);
  }

  /** Runs `fn` on a tag's parser; a hard error is recorded (unless the tag was already reported) and yields the fallback. */
  private guard<T>(segment: { broken: boolean; at: number }, parser: ExpressionParser, fn: () => T, fallback: T): T {
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

  private expectEnd(p: ExpressionParser, closer: string): void {
    if (!p.atEnd()) p.fail(`expected \`${closer}\`, got ${p.describe(p.current)}`);
  }

  parseBody(until: readonly string[], open?: Open): { body: Stmt[]; stop?: Stop } {
    const body: Stmt[] = [];
    while (this.i < this.segments.length) {
      const seg = this.segments[this.i]!;
      if (seg.kind === "text") {
        body.push({ kind: "text", text: seg.text, at: seg.at });
        this.i++;
      } else if (seg.kind === "comment") this.i++;
      else if (seg.kind === "output") {
        const p = new ExpressionParser(this.source, seg.tokens, [], "`}}`");
        const expr = this.guard(seg, p, () => {
          const e = p.parseTuple();
          this.expectEnd(p, "}}");
          return e;
        }, placeholder(seg.at));
        body.push({ kind: "output", expr, at: seg.at, end: seg.end });
        this.i++;
      } else {
        const p = new ExpressionParser(this.source, seg.tokens, [], "`%}`");
        const head = seg.tokens[0]!;
        if (head.type !== "name") {
          if (!seg.broken) this.errors.push(new TemplateSyntaxError(`expected a statement (${STATEMENTS.join(", ")}) after \`{%\`, got ${p.describe(head)}`, this.source, head.at));
          this.i++;
          continue;
        }
        const keyword = head.value;
        if (until.includes(keyword)) return { body, stop: { keyword, segment: seg, parser: p } };
        p.advance();
        if (keyword === "if") body.push(this.parseIf(seg, p));
        else if (keyword === "for") body.push(this.parseFor(seg, p));
        else if (keyword === "set") {
          const stmt = this.parseSet(seg, p);
          if (stmt) body.push(stmt);
        } else {
          if (!seg.broken) this.errors.push(this.unexpected(keyword, head.at, open));
          this.i++;
        }
      }
    }
    return { body };
  }

  private unexpected(keyword: string, at: number, open?: Open): TemplateSyntaxError {
    const tag = `\`{% ${keyword} %}\``;
    if (!STATEMENTS.includes(keyword)) {
      const hint = `supported statements: ${STATEMENTS.join(", ")}`;
      return new TemplateSyntaxError(`unknown statement \`${keyword}\`${didYouMean(keyword, STATEMENTS)}`, this.source, at, hint);
    }
    if (open) {
      const line = locate(this.source, open.at).line;
      return new TemplateSyntaxError(
        `unexpected ${tag}: the innermost open block is the \`{% ${open.keyword} %}\` on line ${line}, which needs \`{% ${CLOSER[open.keyword]} %}\` first`,
        this.source,
        at,
      );
    }
    const owner = keyword === "endfor" ? "`{% for %}`" : keyword === "else" ? "`{% if %}` or `{% for %}`" : "`{% if %}`";
    return new TemplateSyntaxError(`unexpected ${tag}: there is no open ${owner}`, this.source, at);
  }

  private unclosed(open: Open): TemplateSyntaxError {
    return new TemplateSyntaxError(`this \`{% ${open.keyword} %}\` is never closed (missing \`{% ${CLOSER[open.keyword]} %}\`)`, this.source, open.at);
  }

  private parseIf(seg: StatementSegment, p: ExpressionParser): Stmt {
    const open: Open = { keyword: "if", at: seg.at };
    const condition = (s: StatementSegment, q: ExpressionParser) =>
      this.guard(s, q, () => {
        const e = q.parseTuple({ withCondexpr: false });
        this.expectEnd(q, "%}");
        return e;
      }, placeholder(s.at));
    const branches: IfBranch[] = [{ test: condition(seg, p), body: [] }];
    let otherwise: Stmt[] | undefined;
    this.i++;
    for (;;) {
      const part = this.parseBody(["elif", "else", "endif"], open);
      if (otherwise) otherwise = part.body;
      else branches[branches.length - 1]!.body = part.body;
      const stop = part.stop;
      if (!stop) {
        this.errors.push(this.unclosed(open));
        break;
      }
      stop.parser.advance();
      this.i++;
      if (stop.keyword === "elif") {
        if (otherwise && !stop.segment.broken) this.errors.push(new TemplateSyntaxError("`{% elif %}` cannot follow `{% else %}`", this.source, stop.segment.at));
        const test = condition(stop.segment, stop.parser);
        if (!otherwise) branches.push({ test, body: [] });
        continue;
      }
      this.guard(stop.segment, stop.parser, () => this.expectEnd(stop.parser, "%}"), undefined);
      if (stop.keyword === "endif") break;
      if (otherwise && !stop.segment.broken) this.errors.push(new TemplateSyntaxError("a second `{% else %}` in the same `{% if %}`", this.source, stop.segment.at));
      otherwise = [];
    }
    return { kind: "if", branches, ...(otherwise ? { otherwise } : {}), at: seg.at };
  }

  /** One assignment target: a name or a parenthesised tuple. */
  private parseTarget(p: ExpressionParser, statement: string): Target {
    if (p.isOp("(")) {
      p.advance();
      const inner = this.parseTargets(p, statement);
      p.expectOp(")");
      return inner;
    }
    const t = p.current;
    if (t.type !== "name" || RESERVED_TARGETS.has(t.value)) p.fail(`expected a variable name after \`${statement}\`, got ${p.describe(t)}`);
    p.advance();
    return t.value;
  }

  /** `a`, `a, b`, `(a, b), c`: a name, or a tuple of targets when there is a comma. */
  private parseTargets(p: ExpressionParser, statement: string): Target {
    const items = [this.parseTarget(p, statement)];
    let tuple = false;
    while (p.isOp(",")) {
      p.advance();
      tuple = true;
      if (p.atEnd() || p.isOp("=") || p.isOp(")")) break;
      items.push(this.parseTarget(p, statement));
    }
    return tuple ? items : items[0]!;
  }

  private parseFor(seg: StatementSegment, p: ExpressionParser): Stmt {
    const open: Open = { keyword: "for", at: seg.at };
    const header = this.guard(seg, p, () => {
      const target = this.parseTargets(p, "for");
      if (targetNames(target).includes("loop")) p.fail("`loop` is the loop's own variable; choose another name");
      if (!p.isName("in")) p.fail(`expected \`in\` after the loop variable, got ${p.describe(p.current)}`);
      p.advance();
      const iter = p.parseTuple({ withCondexpr: false, extraEnd: ["recursive"] });
      if (p.isName("if")) p.fail("loop filters (`{% for x in xs if … %}`) are not supported; put an `{% if %}` inside the loop, or filter with `selectattr`");
      if (p.isName("recursive")) p.fail("recursive loops are not supported");
      this.expectEnd(p, "%}");
      return { target, iter };
    }, { target: "_" as Target, iter: placeholder(seg.at) });
    this.i++;
    let part = this.parseBody(["else", "endfor"], open);
    const body = part.body;
    let otherwise: Stmt[] | undefined;
    if (part.stop?.keyword === "else") {
      const stop = part.stop;
      stop.parser.advance();
      this.guard(stop.segment, stop.parser, () => this.expectEnd(stop.parser, "%}"), undefined);
      this.i++;
      part = this.parseBody(["endfor"], open);
      otherwise = part.body;
    }
    if (part.stop) {
      const stop = part.stop;
      stop.parser.advance();
      this.guard(stop.segment, stop.parser, () => this.expectEnd(stop.parser, "%}"), undefined);
      this.i++;
    } else this.errors.push(this.unclosed(open));
    return { kind: "for", target: header.target, iter: header.iter, body, ...(otherwise ? { otherwise } : {}), at: seg.at };
  }

  private parseSet(seg: StatementSegment, p: ExpressionParser): Stmt | undefined {
    this.i++;
    return this.guard(seg, p, () => {
      const target = this.parseTargets(p, "set");
      if (p.isOp(".")) p.fail("assigning to an attribute (`{% set a.b = … %}`) is not supported");
      if (p.atEnd()) p.fail("block assignments (`{% set x %}…{% endset %}`) are not supported; write `{% set x = value %}`");
      p.expectOp("=", "after the variable name");
      const expr = p.parseTuple();
      this.expectEnd(p, "%}");
      const stmt: Stmt = { kind: "set", target, expr, at: seg.at };
      return stmt;
    }, undefined);
  }
}

/** Parses a template, collecting every problem it can find. */
export function parseTemplate(source: string): ParsedTemplate {
  const { segments, errors } = lex(source);
  const parser = new StatementParser(source, segments, errors);
  const { body } = parser.parseBody([]);
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
      if (!p.atEnd()) p.fail(`unexpected ${p.describe(p.current)}`);
    } catch (e) {
      if (!(e instanceof TemplateSyntaxError)) throw e;
      errors.push(e);
    }
    errors.push(...p.problems);
  }
  return { expr, errors: sortErrors(errors) };
}
