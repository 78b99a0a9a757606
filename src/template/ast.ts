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
export type Target = string | Target[];

/** The names a target assigns, in order. */
export function targetNames(target: Target): string[] {
  return typeof target === "string" ? [target] : target.flatMap(targetNames);
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
  | (Span & { kind: "output"; expr: Expr })
  | { kind: "if"; branches: IfBranch[]; otherwise?: Stmt[]; at: number; ends: number[] }
  | { kind: "for"; target: Target; iter: Expr; body: Stmt[]; otherwise?: Stmt[]; at: number; bodyEnd: number; end: number }
  | { kind: "set"; target: Target; expr: Expr; at: number };
