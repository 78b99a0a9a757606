/** The template AST. Offsets are 0-based into the template text; `end` is exclusive. */

interface Span {
  at: number;
  end: number;
}

/** Arithmetic, `~` concatenation and the short-circuit boolean operators. */
export type BinaryOp = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "~" | "and" | "or";
/** Comparison operators; Jinja chains them like Python (`a < b < c`). */
export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";

/** A `name=value` argument of a filter call. */
export interface Keyword {
  name: string;
  value: Expr;
  at: number;
}

/** An expression node. */
export type Expr =
  | (Span & { kind: "const"; value: string | number | boolean | null; float?: boolean })
  | (Span & { kind: "name"; name: string })
  | (Span & { kind: "list" | "tuple"; items: Expr[] })
  | (Span & { kind: "dict"; pairs: Array<[Expr, Expr]> })
  | (Span & { kind: "getattr"; obj: Expr; attr: string })
  | (Span & { kind: "getitem"; obj: Expr; index: Expr })
  /** `obj.method(args)`: a method of a Python value (str, list, dict) or of an engine object. */
  | (Span & { kind: "call"; obj: Expr; method: string; args: Expr[]; kwargs: Keyword[] })
  /** `callee(args)`: a global (`range`, `namespace`…), or a callable value (a cycler's method, a joiner, a macro). */
  | (Span & { kind: "invoke"; callee: Expr; args: Expr[]; kwargs: Keyword[] })
  /** `obj[start:stop:step]`, each part optional (Python slicing). */
  | (Span & { kind: "slice"; obj: Expr; start?: Expr; stop?: Expr; step?: Expr })
  | (Span & { kind: "filter"; value: Expr; name: string; args: Expr[]; kwargs: Keyword[] })
  | (Span & { kind: "test"; value: Expr; name: string; negated: boolean; args: Expr[] })
  | (Span & { kind: "unary"; op: "neg" | "pos" | "not"; operand: Expr })
  | (Span & { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; opAt: number })
  | (Span & { kind: "compare"; first: Expr; ops: Array<{ op: CompareOp; operand: Expr; opAt: number }> })
  | (Span & { kind: "cond"; test: Expr; then: Expr; otherwise?: Expr });

/** One `if`/`elif` test and its body. */
export interface IfBranch {
  test: Expr;
  body: Stmt[];
}

/** What `for` and `set` assign to: a name, or a (nested) tuple of targets. */
export type Target = string | AttrTarget | Target[];

/** `ns.attr` as a `set` target: an attribute of a `namespace()` object (`{% set ns.total = 0 %}`). */
export interface AttrTarget {
  obj: string;
  attr: string;
  at: number;
  end: number;
}

/** The names a target assigns, in order. */
export function targetNames(target: Target): string[] {
  if (typeof target === "string") return [target];
  return Array.isArray(target) ? target.flatMap(targetNames) : [];
}

/**
 * A statement node: literal text, an output, or a block. Blocks also record where their
 * inner tags are (the end of the text when a block is never closed): `ends[k]` is the
 * `{% elif %}` / `{% else %}` / `{% endif %}` that ends branch k (the `{% else %}` body
 * last); a `for` body ends at `bodyEnd` (its `{% else %}` or `{% endfor %}`), the
 * statement at `end` (`{% endfor %}`).
 */
export type Stmt =
  | { kind: "text"; text: string; at: number }
  /** `{{ expr }}`, and `{% call %}` (an output of the macro call, with the hidden caller macro as its `caller` keyword). */
  | (Span & { kind: "output"; expr: Expr })
  | { kind: "if"; branches: IfBranch[]; otherwise?: Stmt[]; at: number; ends: number[] }
  | {
      kind: "for";
      target: Target;
      iter: Expr;
      /** `{% for x in xs if test %}`: items for which `test` is false are skipped (and not counted by `loop`). */
      filter?: Expr;
      /** `{% for … recursive %}`: `loop(children)` renders the body again, one level deeper. */
      recursive?: boolean;
      body: Stmt[];
      otherwise?: Stmt[];
      at: number;
      bodyEnd: number;
      end: number;
    }
  | { kind: "set"; target: Target; expr: Expr; at: number }
  /**
   * `{% set name %}…{% endset %}` (and `{% filter f %}…{% endfilter %}` with `target`
   * absent): the body rendered as text, then `value` — an expression over the hidden name
   * BODY_NAME, e.g. `BODY | upper` — assigned (or, for a filter block, output).
   */
  | (Span & { kind: "capture"; target?: string; value: Expr; body: Stmt[] })
  /** `{% with a = 1, b = x %}…{% endwith %}`: the values are computed outside, the names visible inside only. */
  | (Span & { kind: "with"; assigns: Array<{ name: string; expr: Expr }>; body: Stmt[] })
  /** `{% macro name(a, b=default) %}…{% endmacro %}` (and the hidden `caller` of a `{% call %}`). */
  | (Span & { kind: "macro"; name: string; params: MacroParam[]; body: Stmt[] });

/** A macro parameter and its default, evaluated at call time (it may read the parameters before it). */
export interface MacroParam {
  name: string;
  default?: Expr;
}

/** The name the body of a capture block is read under in its `value` (not a valid Jinja name, so it never clashes). */
export const BODY_NAME = "\u0000body";
