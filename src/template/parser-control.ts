/**
 * The statements that branch, loop and assign: `{% if %}`/`{% elif %}`/`{% else %}`,
 * `{% for %}` (with its filter, `recursive` and `{% else %}`) and `{% set x = … %}`, with
 * their assignment targets. The statement parser (`parser.ts`) hands each tag here with its
 * expression parser positioned after the keyword; bodies are parsed back through the host.
 */
import { targetNames, type Expr, type IfBranch, type Stmt, type Target } from "./ast.ts";
import { TemplateSyntaxError } from "./errors.ts";
import type { ExpressionParser } from "./expression-parser.ts";
import type { TagSegment } from "./lexer.ts";
import { type BlockKeyword, RESERVED_TARGETS, type StatementHost } from "./parser-blocks.ts";

/** A block being read: its keyword and where its tag starts. */
export interface OpenBlock {
  keyword: BlockKeyword;
  at: number;
}

/** The tag that ended a body: one of the keywords it was read until. */
export interface StopTag {
  keyword: string;
  segment: TagSegment;
  parser: ExpressionParser;
}

/** What the control statements need from the statement parser, besides what the block statements need. */
export interface ControlHost extends StatementHost {
  readonly source: string;
  readonly errors: TemplateSyntaxError[];
  /** Parses statements up to a tag of one of `until` (left unconsumed), or the end of the template. */
  parseBody(until: readonly string[], open?: OpenBlock): { body: Stmt[]; stop?: StopTag };
  /** Moves past the current tag. */
  skipTag(): void;
  /** The error of a block never closed. */
  unclosed(open: OpenBlock): TemplateSyntaxError;
}

/** What an expression that failed to parse stands for, so that parsing goes on. */
export const placeholder = (at: number): Expr => ({ kind: "const", value: null, at, end: at });

/** Reads `if`, `for` and `set x = …` tags and their bodies, through the statement parser. */
export class ControlParser {
  constructor(private readonly host: ControlHost) {}

  parseIf(seg: TagSegment, p: ExpressionParser): Stmt {
    const open: OpenBlock = { keyword: "if", at: seg.at };
    const condition = (s: TagSegment, q: ExpressionParser) =>
      this.host.guard(
        s,
        q,
        () => {
          const e = q.parseTuple({ withCondexpr: false });
          this.host.expectEnd(q, "%}");
          return e;
        },
        placeholder(s.at),
      );
    const branches: IfBranch[] = [{ test: condition(seg, p), body: [] }];
    let otherwise: Stmt[] | undefined;
    const ends: number[] = [];
    this.host.skipTag();
    for (;;) {
      const part = this.host.parseBody(["elif", "else", "endif"], open);
      if (otherwise) otherwise = part.body;
      else branches[branches.length - 1]!.body = part.body;
      const stop = part.stop;
      if (!stop) {
        this.host.errors.push(this.host.unclosed(open));
        ends.push(this.host.source.length);
        break;
      }
      stop.parser.advance();
      this.host.skipTag();
      if (stop.keyword === "elif") {
        if (otherwise && !stop.segment.broken) {
          this.host.errors.push(
            new TemplateSyntaxError(
              "`{% elif %}` cannot follow `{% else %}`",
              this.host.source,
              stop.segment.at,
              "move the `{% elif %}` branch before the `{% else %}`",
            ),
          );
        }
        const test = condition(stop.segment, stop.parser);
        if (!otherwise) {
          ends.push(stop.segment.at);
          branches.push({ test, body: [] });
        }
        continue;
      }
      if (stop.keyword === "endif" || !otherwise) ends.push(stop.segment.at);
      this.host.guard(stop.segment, stop.parser, () => this.host.expectEnd(stop.parser, "%}"), undefined);
      if (stop.keyword === "endif") break;
      const hint = "use `{% elif condition %}` for a middle branch, or remove one `{% else %}`";
      if (otherwise && !stop.segment.broken)
        this.host.errors.push(
          new TemplateSyntaxError(
            "a second `{% else %}` in the same `{% if %}`",
            this.host.source,
            stop.segment.at,
            hint,
          ),
        );
      otherwise = [];
    }
    return { kind: "if", branches, ...(otherwise ? { otherwise } : {}), at: seg.at, ends };
  }

  /** One assignment target: a name, `ns.attr` (in `set`), or a parenthesised tuple. */
  private parseTarget(p: ExpressionParser, statement: string, attrs: boolean): Target {
    if (p.isOp("(")) {
      p.advance();
      const inner = this.parseTargets(p, statement, false); // as Jinja2: no `ns.attr` inside parentheses
      p.expectOp(")");
      return inner;
    }
    const t = p.current;
    const example = statement === "for" ? "`{% for item in items %}`" : "`{% set total = 0 %}`";
    if (t.type !== "name" || RESERVED_TARGETS.has(t.value))
      p.fail(`expected a variable name after \`${statement}\`, got ${p.describe(t)}`, t.at, `e.g. ${example}`);
    p.advance();
    if (statement !== "set" || !attrs || !p.isOp(".")) return t.value;
    p.advance();
    const attr = p.expectName("after `.`", "e.g. `{% set ns.total = ns.total + 1 %}`, with `ns = namespace(total=0)`");
    return { obj: t.value, attr: attr.value, at: t.at, end: attr.end };
  }

  /** `a`, `a, b`, `(a, b), c`: a name, or a tuple of targets when there is a comma. */
  private parseTargets(p: ExpressionParser, statement: string, attrs = true): Target {
    const items = [this.parseTarget(p, statement, attrs)];
    let tuple = false;
    while (p.isOp(",")) {
      p.advance();
      tuple = true;
      if (p.atEnd() || p.isOp("=") || p.isOp(")")) break;
      items.push(this.parseTarget(p, statement, attrs));
    }
    return tuple ? items : items[0]!;
  }

  parseFor(seg: TagSegment, p: ExpressionParser): Stmt {
    const open: OpenBlock = { keyword: "for", at: seg.at };
    const header = this.host.guard(
      seg,
      p,
      () => {
        const target = this.parseTargets(p, "for");
        if (targetNames(target).includes("loop"))
          p.fail(
            "`loop` is the loop's own variable; choose another name",
            p.current.at,
            "e.g. `{% for item in items %}`",
          );
        if (!p.isName("in"))
          p.fail(
            `expected \`in\` after the loop variable, got ${p.describe(p.current)}`,
            p.current.at,
            "write `{% for item in items %}`",
          );
        p.advance();
        const iter = p.parseTuple({ withCondexpr: false, extraEnd: ["recursive"] });
        let filter: Expr | undefined;
        if (p.isName("if")) {
          p.advance();
          filter = p.parseExpression(false);
        }
        const recursive = p.isName("recursive");
        if (recursive) p.advance();
        this.host.expectEnd(p, "%}");
        return { target, iter, filter, recursive };
      },
      { target: "_" as Target, iter: placeholder(seg.at), filter: undefined as Expr | undefined, recursive: false },
    );
    this.host.skipTag();
    let part = this.host.parseBody(["else", "endfor"], open);
    const body = part.body;
    const bodyEnd = part.stop?.segment.at ?? this.host.source.length;
    let otherwise: Stmt[] | undefined;
    if (part.stop?.keyword === "else") {
      const stop = part.stop;
      stop.parser.advance();
      this.host.guard(stop.segment, stop.parser, () => this.host.expectEnd(stop.parser, "%}"), undefined);
      this.host.skipTag();
      part = this.host.parseBody(["endfor"], open);
      otherwise = part.body;
    }
    const end = part.stop?.segment.at ?? this.host.source.length;
    if (part.stop) {
      const stop = part.stop;
      stop.parser.advance();
      this.host.guard(stop.segment, stop.parser, () => this.host.expectEnd(stop.parser, "%}"), undefined);
      this.host.skipTag();
    } else this.host.errors.push(this.host.unclosed(open));
    return {
      kind: "for",
      target: header.target,
      iter: header.iter,
      ...(header.filter ? { filter: header.filter } : {}),
      ...(header.recursive ? { recursive: true } : {}),
      body,
      ...(otherwise ? { otherwise } : {}),
      at: seg.at,
      bodyEnd,
      end,
    };
  }

  parseSet(seg: TagSegment, p: ExpressionParser): Stmt | undefined {
    this.host.skipTag();
    return this.host.guard(
      seg,
      p,
      () => {
        const target = this.parseTargets(p, "set");
        p.expectOp("=", "after the variable name", "write `{% set name = value %}`");
        const expr = p.parseTuple();
        this.host.expectEnd(p, "%}");
        const stmt: Stmt = { kind: "set", target, expr, at: seg.at };
        return stmt;
      },
      undefined,
    );
  }
}
