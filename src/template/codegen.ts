import { BODY_NAME, targetNames, type Expr, type Stmt, type Target } from "./ast.ts";
import {
  CodeContext,
  Scope,
  lit,
  setTargets,
  type GenOptions,
  type NameReference,
  type SiteInfo,
} from "./codegen-context.ts";
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
 * Literal text for Eta. Text contains `{{` only inside `{% raw %}` (elsewhere the lexer
 * would have cut a tag there), and text ending in `{` would form one with the next tag:
 * such text is written by code instead.
 */
function text(s: string): string {
  if (s.includes("{{")) return exec(`output(${lit(s)});`);
  const trimmed = s.replace(/\{+$/, "");
  const braces = s.length - trimmed.length;
  return braces ? `${trimmed}${exec(`output(${lit("{".repeat(braces))});`)}` : s;
}

type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;

/** Names a macro binds when its body reads them (and no parameter has the name). */
const MACRO_SPECIALS = ["varargs", "kwargs", "caller"] as const;

class StatementGenerator {
  private outputIndex = 0;
  /**
   * Inside a body whose text becomes a value (a macro, a block `set`, a `{% filter %}`):
   * its outputs are text, never shell words, and take no shell slot.
   */
  private captured = 0;
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
        const slotted = this.shell && !this.captured;
        const k = slotted ? this.outputIndex++ : -1;
        const raw = rawOperand(s.expr);
        if (raw) return `{{= ${this.shell ? `R.raw(${expr(ctx, raw)})` : expr(ctx, raw)} }}`;
        const value = expr(ctx, s.expr);
        if (!slotted) return `{{= ${value} }}`;
        return `{{= R.sh(${value}, T[${k}], ${ctx.site({ at: s.at, end: s.end })}) }}`;
      }
      case "capture":
        return this.capture(s);
      case "with":
        return this.withStmt(s);
      case "macro":
        return this.macro(s);
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
    if (!Array.isArray(target)) {
      const obj = this.ctx.resolve(target.obj, target.at, target.at + target.obj.length, false);
      return `R.setattr(${obj}, ${lit(target.attr)}, ${value}, ${this.ctx.site({ at: target.at, end: target.end })});`;
    }
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

  /** Marks names as assigned in the current scope (after a `set`-like statement). */
  private assigned(names: Iterable<string>): void {
    const scope = this.ctx.scope;
    for (const n of names) {
      scope.seen.add(n);
      scope.assigned.add(n);
    }
  }

  /** A body in a scope of its own, whose output is kept as text: `capture(() => { … })`. */
  private capturedBody(body: readonly Stmt[], scope: Scope, prefix: string): string {
    const ctx = this.ctx;
    const outer = ctx.scope;
    ctx.scope = scope;
    const locals = ctx.declare(setTargets(body));
    this.captured++;
    const code = this.body(body);
    this.captured--;
    ctx.scope = outer;
    // the prefix shares the tag: Eta puts each tag on a line of its own, and `return` must not end one
    return exec(`${prefix} capture(() => { ${locals}`) + code + exec("})");
  }

  /** Block `{% set x | f %}` and `{% filter f %}`: the body as text, then the filters. */
  private capture(s: StmtOf<"capture">): string {
    const ctx = this.ctx;
    const outer = ctx.scope;
    const text = ctx.fresh("B");
    const body = this.capturedBody(s.body, new Scope(outer), `const ${text} =`);
    const valueScope = new Scope(outer);
    valueScope.vars.set(BODY_NAME, text);
    ctx.scope = valueScope;
    this.assigned([BODY_NAME]);
    const value = expr(ctx, s.value);
    ctx.scope = outer;
    const head = body + exec(";");
    if (s.target === undefined) return `${head}{{= ${value} }}`;
    const code = head + exec(`${outer.vars.get(s.target)!} = ${value};`);
    this.assigned([s.target]);
    return code;
  }

  /** `{% with a = x %}`: values computed outside, names bound in a JS block of their own. */
  private withStmt(s: StmtOf<"with">): string {
    const ctx = this.ctx;
    const outer = ctx.scope;
    const values = s.assigns.map((a) => [ctx.fresh("W"), expr(ctx, a.expr)] as const);
    const scope = new Scope(outer);
    ctx.scope = scope;
    const names = s.assigns.map((a) => a.name);
    const decl = ctx.declare(names);
    const binds = s.assigns.map((a, i) => `${scope.vars.get(a.name)!} = ${values[i]![0]};`).join(" ");
    this.assigned(names);
    const locals = ctx.declare(setTargets(s.body));
    const body = this.body(s.body);
    ctx.scope = outer;
    const computed = values.length ? `const ${values.map(([w, v]) => `${w} = ${v}`).join(", ")};` : "";
    return exec(`{ ${computed} ${decl} ${binds} ${locals}`) + body + exec("}");
  }

  /** `{% macro %}`: a `Macro` whose body function binds the arguments, fills defaults and renders. */
  private macro(s: StmtOf<"macro">): string {
    const ctx = this.ctx;
    const outer = ctx.scope;
    const js = outer.vars.get(s.name)!;
    outer.seen.add(s.name); // the body may call the macro itself
    const scope = new Scope(outer);
    scope.late = true;
    ctx.scope = scope;
    const params = s.params.map((p) => p.name);
    const specials = MACRO_SPECIALS.filter((n) => !params.includes(n));
    const decl = ctx.declare([...params, ...specials]);
    this.assigned([...params, ...specials]);
    const [args, varargs, kwargs, caller] = [ctx.fresh("A"), ctx.fresh("A"), ctx.fresh("A"), ctx.fresh("A")];
    const site = ctx.site({ at: s.at, end: s.at + 2 });
    const name = s.name.startsWith("\u0000") ? "caller" : s.name;
    const special = { varargs, kwargs, caller };
    const binds = [
      ...params.map((p, i) => `${scope.vars.get(p)!} = ${args}[${i}];`),
      ...specials.map((n) => `${scope.vars.get(n)!} = ${special[n]};`),
      ...s.params.map((p) => {
        const v = scope.vars.get(p.name)!;
        return `if (${v} === M) ${v} = ${p.default ? expr(ctx, p.default) : `R.noArg(${lit(p.name)}, ${site})`};`;
      }),
    ].join(" ");
    const fn = `(${args}, ${varargs}, ${kwargs}, ${caller}) => { ${decl} ${binds} return`;
    // What the body catches is known once it is generated; its constant is written before it.
    const catchesVar = ctx.fresh("A");
    const definition = `${js} = R.macro(${lit(name)}, [${params.map(lit).join(", ")}], ${catchesVar}, ${site}, ${fn}`;
    const body = this.capturedBody(s.body, scope, definition);
    ctx.scope = outer;
    const caught = (n: (typeof MACRO_SPECIALS)[number]) => scope.read.has(n) && specials.includes(n);
    this.assigned([s.name]);
    return (
      exec(
        `const ${catchesVar} = { varargs: ${caught("varargs")}, kwargs: ${caught("kwargs")}, caller: ${caught("caller")} };`,
      ) +
      body +
      exec("; });")
    );
  }

  private forStmt(s: StmtOf<"for">): string {
    const ctx = this.ctx;
    const iter = expr(ctx, s.iter);
    const [list, count, index, state] = [ctx.fresh("L"), ctx.fresh("N"), ctx.fresh("I"), ctx.fresh("S")];
    const iterSite = ctx.site({ at: s.iter.at, end: s.iter.end });
    const outer = ctx.scope;
    const scope = new Scope(outer);
    ctx.scope = scope;
    const names = targetNames(s.target);
    const targets = ctx.declare(names).replace(/ = M/g, "");
    const bindSite = ctx.site({ at: s.at, end: s.iter.at });
    // a recursive loop is a function of its items and depth: `loop(children)` calls it again
    const fn = s.recursive ? ctx.fresh("F") : "";
    const depth = s.recursive ? ctx.fresh("D") : "0";
    let items = `R.iter(${s.recursive ? `${fn}I` : iter}, ${iterSite})`;
    let select = "";
    if (s.filter) {
      // the filter sees the loop variables but not `loop` (items are counted after it)
      const [all, j] = [ctx.fresh("L"), ctx.fresh("I")];
      this.assigned(names);
      const test = expr(ctx, s.filter);
      const bind = this.bind(s.target, `${all}[${j}]`, bindSite);
      select = `const ${all} = ${items}, ${list} = []; for (let ${j} = 0; ${j} < ${all}.length; ${j}++) { ${targets} ${bind} if (R.truthy(${test})) ${list}.push(${all}[${j}]); }`;
      items = list;
    }
    scope.loopVar = ctx.fresh("P");
    this.assigned(names);
    const locals = ctx.declare(setTargets(s.body));
    const body = this.body(s.body);
    let otherwise = "";
    if (s.otherwise) {
      ctx.scope = new Scope(outer);
      const decl = ctx.declare(setTargets(s.otherwise));
      otherwise = exec(`if (${count} === 0) { ${decl}`) + this.body(s.otherwise) + exec("} else {");
    }
    ctx.scope = scope;
    const bind = this.bind(s.target, `${list}[${index}]`, bindSite);
    ctx.scope = outer;
    const recurse = s.recursive ? `, ${fn}` : "";
    const loopObject = scope.loopUsed
      ? ` const ${scope.loopVar} = R.loop(${list}, ${index}, ${state}, ${depth}, ${bindSite}${recurse});`
      : "";
    const head = s.filter
      ? `${select} const ${count} = ${list}.length, ${state} = R.loopState();`
      : `const ${list} = ${items}, ${count} = ${list}.length, ${state} = R.loopState();`;
    let out = exec(head) + otherwise;
    out += exec(`for (let ${index} = 0; ${index} < ${count}; ${index}++) { ${targets} ${bind}${loopObject} ${locals}`);
    out += body + exec("}");
    if (s.otherwise) out += exec("}");
    if (!s.recursive) return out;
    return exec(`const ${fn} = (${fn}I, ${depth}) => capture(() => {`) + out + exec(`}); output(${fn}(${iter}, 0));`);
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
