import type { CompareOp, Expr } from "./ast.ts";
import { OperandParser, type TupleOptions } from "./operand-parser.ts";
import { missingOperand, missingRight, missingValue, notAfter } from "./syntax-hints.ts";

const COMPARE_OPS = new Set(["==", "!=", "<", "<=", ">", ">="]);

/**
 * Recursive descent over one tag's tokens, with Jinja2's grammar and precedence
 * (`parser.py`): condexpr < or < and < not < compare < +,- < ~ < *,/,//,% < ** < unary
 * < postfix/filters. Hard errors throw; problems that do not derail parsing (unknown
 * filters, tests, methods, bad filter arguments) are collected in `problems`.
 */
export class ExpressionParser extends OperandParser {
  /** After an operator at `opAt`: refuse a missing right operand with a message that says so. */
  private needRight(op: string, start: number, opAt: number, allowNot: boolean): void {
    if (this.startsOperand(allowNot)) return;
    if (this.isName("not")) this.advise(notAfter(op), this.current.at);
    this.advise(missingRight(op, this.textBefore(start, opAt)), opAt);
  }

  private isTupleEnd(extraEnd: readonly string[]): boolean {
    const t = this.current;
    return t.type === "end" || this.isOp(")") || (t.type === "name" && extraEnd.includes(t.value));
  }

  /** Jinja's `parse_tuple`: one expression, or a tuple when commas follow. */
  parseTuple(options: TupleOptions = {}): Expr {
    const start = this.current.at;
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length) this.expectOp(",");
      if (this.isTupleEnd(options.extraEnd ?? [])) break;
      items.push(this.parseExpression(options.withCondexpr ?? true));
      if (this.isOp(",")) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items.length) return items[0]!;
      if (!options.explicitParens) this.advise(missingValue(this.describe(this.current), true), this.current.at);
    }
    return { kind: "tuple", items, at: start, end: this.tokens[this.i - 1]?.end ?? start };
  }

  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): Expr {
    let expr = this.parseOr();
    while (this.isName("if")) {
      const ifAt = this.advance().at;
      if (!this.startsOperand(true)) this.advise(missingOperand("if"), ifAt);
      const test = this.parseOr();
      let otherwise: Expr | undefined;
      if (this.isName("else")) {
        const elseAt = this.advance().at;
        if (!this.startsOperand(true)) this.advise(missingOperand("else"), elseAt);
        otherwise = this.parseCondexpr();
      }
      expr = {
        kind: "cond",
        test,
        // biome-ignore lint/suspicious/noThenProperty: an AST node of `x if c else y`, never awaited
        then: expr,
        ...(otherwise ? { otherwise } : {}),
        at: expr.at,
        end: (otherwise ?? test).end,
      };
    }
    return expr;
  }

  private parseBinary(ops: readonly string[], operand: () => Expr, names = false): Expr {
    const start = this.current.at;
    let left = operand();
    for (;;) {
      const t = this.current;
      const hit = names ? t.type === "name" && ops.includes(t.value) : t.type === "op" && ops.includes(t.value);
      if (!hit) return left;
      this.advance();
      this.needRight(t.value, start, t.at, names);
      const right = operand();
      left = { kind: "binary", op: t.value as "+", left, right, opAt: t.at, at: left.at, end: right.end };
    }
  }

  private parseOr(): Expr {
    return this.parseBinary(["or"], () => this.parseAnd(), true);
  }
  private parseAnd(): Expr {
    return this.parseBinary(["and"], () => this.parseNot(), true);
  }
  private parseNot(): Expr {
    if (this.isName("not")) {
      const t = this.advance();
      if (!this.startsOperand(true)) this.advise(missingOperand("not"), t.at);
      const operand = this.parseNot();
      return { kind: "unary", op: "not", operand, at: t.at, end: operand.end };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const start = this.current.at;
    const first = this.parseMath1();
    const ops: Array<{ op: CompareOp; operand: Expr; opAt: number }> = [];
    for (;;) {
      const t = this.current;
      let op: CompareOp;
      if (t.type === "op" && COMPARE_OPS.has(t.value)) {
        this.advance();
        op = t.value as CompareOp;
      } else if (this.isName("in")) {
        this.advance();
        op = "in";
      } else if (this.isName("not") && this.isName("in", this.look())) {
        this.advance();
        this.advance();
        op = "not in";
      } else break;
      this.needRight(op, start, t.at, false);
      ops.push({ op, operand: this.parseMath1(), opAt: t.at });
    }
    if (!ops.length) return first;
    return { kind: "compare", first, ops, at: first.at, end: ops[ops.length - 1]!.operand.end };
  }

  private parseMath1(): Expr {
    return this.parseBinary(["+", "-"], () => this.parseConcat());
  }
  private parseConcat(): Expr {
    return this.parseBinary(["~"], () => this.parseMath2());
  }
  private parseMath2(): Expr {
    return this.parseBinary(["*", "/", "//", "%"], () => this.parsePow());
  }
  private parsePow(): Expr {
    return this.parseBinary(["**"], () => this.parseUnary());
  }

  private parseUnary(withFilter = true): Expr {
    const t = this.current;
    let node: Expr;
    if (this.isOp("-") || this.isOp("+")) {
      this.advance();
      if (!this.startsOperand(false)) this.advise(missingOperand(t.value === "-" ? "-" : "+"), t.at);
      const operand = this.parseUnary(false);
      node = { kind: "unary", op: t.value === "-" ? "neg" : "pos", operand, at: t.at, end: operand.end };
    } else node = this.parsePrimary();
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node, t.at) : node;
  }
}
