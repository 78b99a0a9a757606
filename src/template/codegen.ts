import { targetNames, type Expr, type Stmt, type Target } from "./ast.ts";
import { CodeContext, Scope, lit, setTargets, type GenOptions, type NameReference, type SiteInfo } from "./codegen-context.ts";
import { expr } from "./codegen-expression.ts";
import { locate } from "./errors.ts";

export type { NameReference, SiteInfo } from "./codegen-context.ts";

/** The Eta source generated for a template or expression, and the tables it needs. */
export interface Generated {
  /** Eta template source (tags `{{ }}`, `{{= }}` interpolations). */
  eta: string;
  sites: SiteInfo[];
  /** Free names read, in source order. */
  references: NameReference[];
}

/** An exec tag. The space before `}}` keeps Eta from reading a trailing `-`/`_` as trim. */
const exec = (code: string) => (code ? `{{ ${code} }}` : "");

/** `x | raw` as the whole output: the expression under it. */
function rawOperand(e: Expr): Expr | undefined {
  return e.kind === "filter" && e.name === "raw" ? e.value : undefined;
}

/**
 * Literal text for Eta. Text never contains `{{` (the lexer would have cut a tag
 * there), but text ending in `{` would form one with the next tag, so such braces are
 * written by code instead.
 */
function text(s: string): string {
  const trimmed = s.replace(/\{+$/, "");
  const braces = s.length - trimmed.length;
  return braces ? `${trimmed}${exec(`output(${lit("{".repeat(braces))});`)}` : s;
}

class StatementGenerator {
  private outputIndex = 0;
  constructor(
    private readonly ctx: CodeContext,
    private readonly shell: boolean,
  ) {}

  body(stmts: readonly Stmt[]): string {
    return stmts.map((s) => this.stmt(s)).join("");
  }

  private stmt(s: Stmt): string {
    const ctx = this.ctx;
    switch (s.kind) {
      case "text":
        return text(s.text);
      case "output": {
        const k = this.outputIndex++;
        const raw = rawOperand(s.expr);
        if (raw) return `{{= ${this.shell ? `R.raw(${expr(ctx, raw)})` : expr(ctx, raw)} }}`;
        const value = expr(ctx, s.expr);
        if (!this.shell) return `{{= ${value} }}`;
        return `{{= R.sh(${value}, T[${k}], ${ctx.site({ at: s.at, end: s.end })}) }}`;
      }
      case "set": {
        const value = expr(ctx, s.expr);
        const scope = ctx.scope;
        const code = this.bind(s.target, value, ctx.site({ at: s.at, end: s.at + 2 }));
        targetNames(s.target).forEach((t) => {
          scope.seen.add(t);
          scope.assigned.add(t);
        });
        return exec(code);
      }
      case "if":
        return this.ifStmt(s);
      case "for":
        return this.forStmt(s);
    }
  }

  /** JS assigning `value` to a target's locals (declared in the current scope), unpacking tuples. */
  private bind(target: Target, value: string, site: number): string {
    if (typeof target === "string") return `${this.ctx.scope.vars.get(target)!} = ${value};`;
    const u = this.ctx.fresh("U");
    const parts = target.map((t, i) => this.bind(t, `${u}[${i}]`, site));
    return `const ${u} = R.unpack(${value}, ${target.length}, ${site}); ${parts.join(" ")}`;
  }

  private ifStmt(s: Extract<Stmt, { kind: "if" }>): string {
    const scope = this.ctx.scope;
    const before = scope.assigned;
    const after: Array<Set<string>> = [];
    let out = "";
    s.branches.forEach((branch, i) => {
      scope.assigned = new Set(before);
      const test = expr(this.ctx, branch.test);
      out += exec(`${i ? "} else if" : "if"} (R.truthy(${test})) {`) + this.body(branch.body);
      after.push(scope.assigned);
    });
    if (s.otherwise) {
      scope.assigned = new Set(before);
      out += exec("} else {") + this.body(s.otherwise);
      after.push(scope.assigned);
      scope.assigned = new Set([...after[0]!].filter((n) => after.every((a) => a.has(n))));
    } else scope.assigned = before;
    return out + exec("}");
  }

  private forStmt(s: Extract<Stmt, { kind: "for" }>): string {
    const ctx = this.ctx;
    const iter = expr(ctx, s.iter);
    const [list, count, index] = [ctx.fresh("L"), ctx.fresh("N"), ctx.fresh("I")];
    const iterSite = ctx.site({ at: s.iter.at, end: s.iter.end });
    let out = exec(`const ${list} = R.iter(${iter}, ${iterSite}), ${count} = ${list}.length;`);
    const outer = ctx.scope;
    const scope = new Scope(outer);
    ctx.scope = scope;
    scope.loopVar = ctx.fresh("P");
    const names = targetNames(s.target);
    const targets = ctx.declare(names).replace(/ = M/g, "");
    names.forEach((t) => {
      scope.seen.add(t);
      scope.assigned.add(t);
    });
    const locals = ctx.declare(setTargets(s.body));
    const body = this.body(s.body);
    let otherwise = "";
    if (s.otherwise) {
      ctx.scope = new Scope(outer);
      const decl = ctx.declare(setTargets(s.otherwise));
      otherwise = exec(`if (${count} === 0) { ${decl}`) + this.body(s.otherwise) + exec("} else {");
    }
    ctx.scope = outer;
    ctx.scope = scope;
    const bind = this.bind(s.target, `${list}[${index}]`, ctx.site({ at: s.at, end: s.iter.at }));
    ctx.scope = outer;
    const loopObject = scope.loopUsed ? ` const ${scope.loopVar} = R.loop(${index}, ${count});` : "";
    out += otherwise;
    out += exec(`for (let ${index} = 0; ${index} < ${count}; ${index}++) { ${targets} ${bind}${loopObject} ${locals}`);
    out += body + exec("}");
    if (s.otherwise) out += exec("}");
    return out;
  }
}

const PROLOGUE = "const R = $r, C = $c, T = $t, M = R.M;";

/** Eta source for a template; in shell mode every output goes through `R.sh` with its slot `T[k]`. */
export function generateTemplate(source: string, body: readonly Stmt[], shell: boolean): Generated {
  const ctx = new CodeContext(source, {}, (offset) => locate(source, offset));
  const locals = ctx.declare(setTargets(body));
  const code = new StatementGenerator(ctx, shell).body(body);
  const eta = exec(`${PROLOGUE} ${ctx.tempDeclarations()} ${locals}`) + code;
  return { eta, sites: ctx.sites, references: ctx.references.sort((a, b) => a.offset - b.offset) };
}

/** Eta source that stores the value of one expression in `$o.v` (optionally its truth). */
export function generateExpression(source: string, e: Expr, options: GenOptions & { truth?: boolean }): Generated {
  const ctx = new CodeContext(source, options, (offset) => locate(source, offset));
  const js = expr(ctx, e);
  const value = options.truth ? `R.truthy(${js})` : js;
  const eta = exec(`${PROLOGUE} ${ctx.tempDeclarations()} $o.v = ${value};`);
  return { eta, sites: ctx.sites, references: ctx.references.sort((a, b) => a.offset - b.offset) };
}
