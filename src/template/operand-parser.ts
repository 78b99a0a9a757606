/**
 * The operands of a Jinja2 expression, the tightest-binding part of its grammar: literals,
 * names, parentheses, lists and dicts, then what follows an operand — attributes, indexes,
 * slices, calls — and its filters and tests, with their calls checked against the catalog.
 * {@link ExpressionParser} (`expression-parser.ts`) adds the operators and their precedence.
 */
import type { Expr, Keyword } from "./ast.ts";
import { checkFilterCall, checkMethodCall, checkPlainCall, checkTest } from "./call-checks.ts";
import { SUBSCRIPT_HINTS, missingLeft, missingName, missingValue } from "./syntax-hints.ts";
import { EXPRESSION_KEYWORDS, TokenCursor } from "./token-cursor.ts";

/** How a tuple is read: see {@link ExpressionParser.parseTuple}. */
export interface TupleOptions {
  withCondexpr?: boolean;
  extraEnd?: readonly string[];
  explicitParens?: boolean;
}

/** Operands and their postfix parts; the expressions inside them are read by the subclass. */
export abstract class OperandParser extends TokenCursor {
  /** Jinja's `parse_tuple`: one expression, or a tuple when commas follow. */
  abstract parseTuple(options?: TupleOptions): Expr;
  /** One expression, with `x if c else y` unless `withCondexpr` is false. */
  abstract parseExpression(withCondexpr?: boolean): Expr;

  /** Whether the current token can begin an operand (`not` only where the grammar allows it). */
  protected startsOperand(allowNot: boolean): boolean {
    const t = this.current;
    if (t.type === "name") return !EXPRESSION_KEYWORDS.has(t.value) || (allowNot && t.value === "not");
    if (t.type === "op") return ["(", "[", "{", "-", "+"].includes(t.value);
    return t.type !== "end";
  }

  /** The operand before the operator at `opAt`, as written from `start`: for hints that show a corrected form. */
  protected textBefore(start: number, opAt: number): string {
    return this.source.slice(start, opAt).trim();
  }

  parsePrimary(): Expr {
    const t = this.current;
    if (t.type === "name") {
      if (EXPRESSION_KEYWORDS.has(t.value)) this.advise(missingLeft(t.value), t.at);
      this.advance();
      if (t.value === "true" || t.value === "True") return { kind: "const", value: true, at: t.at, end: t.end };
      if (t.value === "false" || t.value === "False") return { kind: "const", value: false, at: t.at, end: t.end };
      if (t.value === "none" || t.value === "None") return { kind: "const", value: null, at: t.at, end: t.end };
      return { kind: "name", name: t.value, at: t.at, end: t.end };
    }
    if (t.type === "string") {
      let value = "";
      let end = t.end;
      while (this.current.type === "string") {
        value += this.current.value;
        end = this.advance().end;
      }
      return { kind: "const", value, at: t.at, end };
    }
    if (t.type === "integer" || t.type === "float") {
      this.advance();
      return { kind: "const", value: t.num, float: t.type === "float", at: t.at, end: t.end };
    }
    if (this.isOp("(")) {
      this.advance();
      const inner = this.parseTuple({ explicitParens: true });
      const close = this.expectOp(")");
      return inner.kind === "tuple" ? { ...inner, at: t.at, end: close.end } : inner;
    }
    if (this.isOp("[")) return this.parseList();
    if (this.isOp("{")) return this.parseDict();
    return this.advise(missingValue(this.describe(t), t.type === "end"), t.at);
  }

  private parseList(): Expr {
    const open = this.advance();
    const items: Expr[] = [];
    while (!this.isOp("]")) {
      if (items.length) this.expectOp(",", "between list items", "separate list items with commas: `[a, b]`");
      if (this.isOp("]")) break;
      items.push(this.parseExpression());
    }
    return { kind: "list", items, at: open.at, end: this.advance().end };
  }

  private parseDict(): Expr {
    const open = this.advance();
    const pairs: Array<[Expr, Expr]> = [];
    while (!this.isOp("}")) {
      if (pairs.length) this.expectOp(",", "between dict items", "separate dict items with commas: `{'a': 1, 'b': 2}`");
      if (this.isOp("}")) break;
      const key = this.parseExpression();
      this.expectOp(":", "after a dict key", "write dict items as `key: value`");
      pairs.push([key, this.parseExpression()]);
    }
    return { kind: "dict", pairs, at: open.at, end: this.advance().end };
  }

  protected parsePostfix(node: Expr): Expr {
    let n = node;
    for (;;) {
      if (this.isOp(".") || this.isOp("[")) n = this.parseSubscript(n);
      else if (this.isOp("(")) n = this.parseCall(n);
      else return n;
    }
  }

  /** Filters and tests after an operand written from `start`. */
  protected parseFilterExpr(node: Expr, start: number): Expr {
    let n = node;
    for (;;) {
      if (this.isOp("|")) n = this.parseFilter(n, start);
      else if (this.isName("is")) n = this.parseTest(n, start);
      else if (this.isOp("(")) n = this.parseCall(n);
      else return n;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const t = this.advance();
    if (t.value === ".") {
      const a = this.current;
      if (a.type === "name") {
        this.advance();
        return { kind: "getattr", obj: node, attr: a.value, at: node.at, end: a.end };
      }
      if (a.type !== "integer")
        this.fail(
          `expected a name or number after \`.\`, got ${this.describe(a)}`,
          a.at,
          "e.g. `user.name` or `items.0`",
        );
      this.advance();
      return {
        kind: "getitem",
        obj: node,
        index: { kind: "const", value: a.num, at: a.at, end: a.end },
        at: node.at,
        end: a.end,
      };
    }
    const hints = SUBSCRIPT_HINTS;
    if (this.isOp("]")) this.fail("expected an index inside `[]`", this.current.at, hints.index);
    const index = this.isOp(":") ? undefined : this.parseExpression();
    if (this.isOp(":")) return this.parseSlice(node, index);
    if (this.isOp(",")) this.fail("a tuple index (`a[1, 2]`) is not supported", this.current.at, hints.tuple);
    const close = this.expectOp("]", "to close the index", hints.close);
    return { kind: "getitem", obj: node, index: index!, at: node.at, end: close.end };
  }

  /** The rest of `obj[start:stop:step]` after `start` (each part optional, as in Python). */
  private parseSlice(node: Expr, start: Expr | undefined): Expr {
    this.advance();
    const part = (): Expr | undefined => (this.isOp(":") || this.isOp("]") ? undefined : this.parseExpression());
    const stop = part();
    let step: Expr | undefined;
    if (this.isOp(":")) {
      this.advance();
      step = part();
    }
    const close = this.expectOp("]", "to close the slice", "write a slice as `x[start:stop]` or `x[start:stop:step]`");
    return {
      kind: "slice",
      obj: node,
      ...(start ? { start } : {}),
      ...(stop ? { stop } : {}),
      ...(step ? { step } : {}),
      at: node.at,
      end: close.end,
    };
  }

  /** `(args)`: positional, then `name=value` keywords; `*`/`**` are refused. */
  private parseCallArgs(): { args: Expr[]; kwargs: Keyword[]; end: number } {
    const open = this.expectOp("(");
    const args: Expr[] = [];
    const kwargs: Keyword[] = [];
    let first = true;
    while (!this.isOp(")")) {
      if (!first) {
        this.expectOp(",", "between arguments", "separate arguments with commas: `f(a, b)`");
        if (this.isOp(")")) break;
      }
      first = false;
      if (this.isOp("*") || this.isOp("**"))
        this.fail("`*args` and `**kwargs` are not supported", this.current.at, "pass the arguments one by one");
      if (this.current.type === "name" && this.isOp("=", this.look())) {
        const key = this.advance();
        this.advance();
        kwargs.push({ name: key.value, value: this.parseExpression(), at: key.at });
      } else {
        if (kwargs.length)
          this.fail(
            "a positional argument cannot follow a keyword argument",
            this.current.at,
            "put positional arguments first: `f(1, x=2)`",
          );
        args.push(this.parseExpression());
      }
    }
    const close = this.advance();
    return { args, kwargs, end: close.end ?? open.end };
  }

  private parseCall(node: Expr): Expr {
    const at = this.current.at;
    const { args, kwargs, end } = this.parseCallArgs();
    if (node.kind !== "getattr") {
      const problem = checkPlainCall(node, args.length, kwargs);
      if (problem) this.soft(problem.message, problem.at, problem.hint);
      return { kind: "invoke", callee: node, args, kwargs, at: node.at, end };
    }
    const problem = checkMethodCall(node.attr, node.end - node.attr.length, at, args.length, kwargs);
    if (problem) this.soft(problem.message, problem.at, problem.hint);
    return { kind: "call", obj: node.obj, method: node.attr, args, kwargs, at: node.at, end };
  }

  private parseFilter(node: Expr, start: number): Expr {
    let n = node;
    while (this.isOp("|")) {
      const pipe = this.advance();
      if (this.current.type !== "name") this.advise(missingName("|", this.textBefore(start, pipe.at)), pipe.at);
      const nameToken = this.advance();
      let name = nameToken.value;
      while (this.isOp(".")) {
        this.advance();
        name += `.${this.expectName("after `.`", "filter and test names are single words").value}`;
      }
      const call = this.isOp("(") ? this.parseCallArgs() : { args: [], kwargs: [], end: nameToken.end };
      for (const problem of checkFilterCall(name, nameToken.at, call.args, call.kwargs))
        this.soft(problem.message, problem.at, problem.hint);
      n = { kind: "filter", value: n, name, args: call.args, kwargs: call.kwargs, at: n.at, end: call.end };
    }
    return n;
  }

  private parseTest(node: Expr, start: number): Expr {
    const is = this.advance();
    let negated = false;
    if (this.isName("not")) {
      this.advance();
      negated = true;
    }
    if (this.current.type !== "name") this.advise(missingName("is", this.textBefore(start, is.at)), is.at);
    const nameToken = this.advance();
    let name = nameToken.value;
    while (this.isOp(".")) {
      this.advance();
      name += `.${this.expectName("after `.`", "filter and test names are single words").value}`;
    }
    let end = nameToken.end;
    let args: Expr[] = [];
    let kwargs: Keyword[] = [];
    const t = this.current;
    if (this.isOp("(")) {
      const call = this.parseCallArgs();
      ({ args, kwargs, end } = call);
    } else if (
      (["name", "string", "integer", "float"].includes(t.type) || this.isOp("[") || this.isOp("{")) &&
      !(t.type === "name" && ["else", "or", "and"].includes(t.value))
    ) {
      if (this.isName("is"))
        this.fail(
          "tests cannot be chained (`a is b is c`)",
          this.current.at,
          "combine tests with `and`: `a is defined and a is number`",
        );
      const arg = this.parsePostfix(this.parsePrimary());
      args = [arg];
      end = arg.end;
    }
    const problem = checkTest(name, nameToken.at, args.length, kwargs);
    if (problem) this.soft(problem.message, problem.at, problem.hint);
    return {
      kind: "test",
      value: node,
      name,
      negated,
      args: [...args, ...kwargs.map((k) => k.value)],
      at: node.at,
      end,
    };
  }
}
