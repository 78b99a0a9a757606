/**
 * The block statements that capture or scope their body: `{% set x %}…{% endset %}`,
 * `{% filter %}`, `{% with %}`, `{% macro %}` and `{% call %}`. The statement parser
 * (`parser.ts`) hands each tag here with its expression parser positioned after the
 * keyword; bodies are parsed back through the host.
 */
import { BODY_NAME, type Expr, type Keyword, type MacroParam, type Stmt } from "./ast.ts";
import type { ExpressionParser } from "./expression-parser.ts";
import type { TagSegment, Token } from "./lexer.ts";

/** Block statements and the tag that closes each. */
export type BlockKeyword = "if" | "for" | "set" | "filter" | "with" | "macro" | "call";

/** What the block parsers need from the statement parser. */
export interface StatementHost {
  /** Runs `fn` on a tag's parser; a syntax error is recorded and yields `fallback`. */
  guard<T>(segment: TagSegment, parser: ExpressionParser, fn: () => T, fallback: T): T;
  expectEnd(p: ExpressionParser, closer: string): void;
  /** A parser over other tokens of the same tag (for the filter of a capture block). */
  parserOver(tokens: Token[]): ExpressionParser;
  /** Moves past the opening tag and parses the body up to its closing tag (consumed too). */
  blockBody(keyword: BlockKeyword, segment: TagSegment): { body: Stmt[]; end: number };
}

/** Words that cannot be assigned (`{% set %}`, a loop variable): the literals and the operator keywords. */
export const RESERVED_TARGETS: ReadonlySet<string> = new Set([
  "true",
  "false",
  "none",
  "True",
  "False",
  "None",
  "and",
  "or",
  "not",
  "in",
  "is",
  "if",
  "else",
]);

/** Names a macro cannot take as a parameter, and a block cannot assign: those, and `loop`. */
const RESERVED = new Set([...RESERVED_TARGETS, "loop"]);

const nameToken = (at: number): Token => ({ type: "name", value: BODY_NAME, num: 0, at, end: at });
const pipeToken = (at: number): Token => ({ type: "op", value: "|", num: 0, at, end: at });
const bodyName = (at: number): Expr => ({ kind: "name", name: BODY_NAME, at, end: at });

export class BlockParser {
  private callers = 0;
  constructor(private readonly host: StatementHost) {}

  /**
   * The value of a capture block: the hidden body name, then the filters written in the
   * tag (`| upper | trim` after `{% set x`, `upper | trim` after `{% filter`).
   */
  private captureValue(seg: TagSegment, p: ExpressionParser, leadingPipe: boolean): Expr {
    const rest = seg.tokens.slice(seg.tokens.indexOf(p.current));
    const at = p.current.at;
    if (rest.length === 1) return bodyName(at);
    const tokens = leadingPipe ? [nameToken(at), pipeToken(at), ...rest] : [nameToken(at), ...rest];
    const q = this.host.parserOver(tokens);
    const value = q.parseExpression();
    this.host.expectEnd(q, "%}");
    p.problems.push(...q.problems.splice(0));
    return value;
  }

  /** `{% set name %}` or `{% set name | filters %}` … `{% endset %}`. */
  parseBlockSet(seg: TagSegment, p: ExpressionParser): Stmt {
    const header = this.host.guard(
      seg,
      p,
      () => {
        const name = this.name(p, "set", "`{% set text %}…{% endset %}`");
        if (p.isOp(","))
          p.fail(
            "a block `{% set %}` assigns one name",
            p.current.at,
            "write `{% set text %}…{% endset %}`, then unpack the text where it is used",
          );
        if (!p.atEnd() && !p.isOp("|"))
          p.fail(
            `expected \`=\` or \`%}\` after the variable name, got ${p.describe(p.current)}`,
            p.current.at,
            "write `{% set name = value %}`, or `{% set name %}…{% endset %}`",
          );
        return { name, value: this.captureValue(seg, p, false) };
      },
      { name: "_", value: bodyName(seg.at) },
    );
    const { body, end } = this.host.blockBody("set", seg);
    return { kind: "capture", target: header.name, value: header.value, body, at: seg.at, end };
  }

  /** `{% filter upper | trim %}` … `{% endfilter %}`. */
  parseFilterBlock(seg: TagSegment, p: ExpressionParser): Stmt {
    const value = this.host.guard(
      seg,
      p,
      () => {
        if (p.atEnd())
          p.fail("`{% filter %}` needs a filter", p.current.at, "e.g. `{% filter upper %}…{% endfilter %}`");
        return this.captureValue(seg, p, true);
      },
      bodyName(seg.at),
    );
    const { body, end } = this.host.blockBody("filter", seg);
    return { kind: "capture", value, body, at: seg.at, end };
  }

  /** `{% with a = 1, b = x %}` … `{% endwith %}`. */
  parseWith(seg: TagSegment, p: ExpressionParser): Stmt {
    const assigns = this.host.guard(
      seg,
      p,
      () => {
        const out: Array<{ name: string; expr: Expr }> = [];
        while (!p.atEnd()) {
          if (out.length) p.expectOp(",", "between assignments", "e.g. `{% with a = 1, b = 2 %}`");
          const name = this.name(p, "with", "`{% with total = 0 %}`");
          p.expectOp("=", "after the variable name", "write `{% with name = value %}`");
          out.push({ name, expr: p.parseExpression() });
        }
        return out;
      },
      [],
    );
    const { body, end } = this.host.blockBody("with", seg);
    return { kind: "with", assigns, body, at: seg.at, end };
  }

  /** `(a, b=1)`: a macro's parameters, or a `{% call(x) %}`'s. */
  private params(p: ExpressionParser): MacroParam[] {
    const params: MacroParam[] = [];
    p.expectOp("(", "after the macro name", "e.g. `{% macro greet(name, greeting='Hello') %}`");
    while (!p.isOp(")")) {
      if (params.length) p.expectOp(",", "between parameters", "separate parameters with commas: `(a, b)`");
      const at = p.current.at;
      const name = this.name(p, "macro", "`{% macro greet(name) %}`");
      if (params.some((q) => q.name === name))
        p.fail(`duplicate parameter \`${name}\``, at, "give each parameter its own name");
      if (p.isOp("=")) {
        p.advance();
        params.push({ name, default: p.parseExpression() });
      } else {
        if (params.some((q) => q.default))
          p.fail(
            `parameter \`${name}\` without a default follows one with a default`,
            at,
            "put the parameters with defaults last",
          );
        params.push({ name });
      }
    }
    p.expectOp(")");
    return params;
  }

  /** `{% macro name(params) %}` … `{% endmacro %}`. */
  parseMacro(seg: TagSegment, p: ExpressionParser): Stmt {
    const header = this.host.guard(
      seg,
      p,
      () => {
        const name = this.name(p, "macro", "`{% macro greet(name) %}`");
        const params = this.params(p);
        this.host.expectEnd(p, "%}");
        return { name, params };
      },
      { name: "_", params: [] as MacroParam[] },
    );
    const { body, end } = this.host.blockBody("macro", seg);
    return { kind: "macro", name: header.name, params: header.params, body, at: seg.at, end };
  }

  /**
   * `{% call(args) macro(…) %}` … `{% endcall %}`: a hidden macro made of the body, then
   * an output of the call with that macro as its `caller` keyword.
   */
  parseCall(seg: TagSegment, p: ExpressionParser): Stmt[] {
    const header = this.host.guard(
      seg,
      p,
      () => {
        const params = p.isOp("(") ? this.params(p) : [];
        const call = p.parseExpression();
        if (call.kind !== "invoke" && call.kind !== "call")
          p.fail("`{% call %}` needs a macro call", call.at, "e.g. `{% call list_users(users) %}…{% endcall %}`");
        this.host.expectEnd(p, "%}");
        return { params, call };
      },
      undefined,
    );
    const { body, end } = this.host.blockBody("call", seg);
    if (!header) return [];
    const hidden = `\u0000caller${++this.callers}`;
    const caller: Keyword = {
      name: "caller",
      value: { kind: "name", name: hidden, at: seg.at, end: seg.at },
      at: seg.at,
    };
    const call = header.call as Extract<Expr, { kind: "invoke" | "call" }>;
    const expr: Expr = { ...call, kwargs: [...call.kwargs, caller] };
    return [
      { kind: "macro", name: hidden, params: header.params, body, at: seg.at, end },
      { kind: "output", expr, at: seg.at, end },
    ];
  }

  private name(p: ExpressionParser, statement: string, example: string): string {
    const t = p.current;
    if (t.type !== "name" || RESERVED.has(t.value))
      p.fail(`expected a name after \`${statement}\`, got ${p.describe(t)}`, t.at, `e.g. ${example}`);
    p.advance();
    return t.value;
  }
}
