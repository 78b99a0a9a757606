import { targetNames, type Stmt } from "./ast.ts";
import { isGlobalName } from "./globals.ts";

/** A name read from the context (not a loop or `set` local), as the public API reports it. */
export interface NameReference {
  name: string;
  offset: number;
  line: number;
  col: number;
  /** Only read under `default`/`d` or `is (not) defined`, so a missing value is fine. */
  guarded: boolean;
  /**
   * Also a Jinja2 global (`range`, `namespace`…): the context's value wins, else the
   * global is used, so validation never reports it as unknown.
   */
  global?: boolean;
}

/** What a site number in generated code stands for: a source span, for error messages. */
export interface SiteInfo {
  at: number;
  end: number;
  /** For `a.b` / `a[b]`: where `a` ends, so messages can name the container. */
  objEnd?: number;
  /** For a free name: the template locals visible there (for "did you mean"). */
  locals?: readonly string[];
}

/** A string as a JS literal Eta's tag scanner can never misread (`{`/`}` escaped). */
export function lit(s: string): string {
  return JSON.stringify(s).replace(/[{}]/g, (c) => (c === "{" ? "\\u007b" : "\\u007d"));
}

/**
 * One level of template-local names: the top level or a `for` body. `if` branches do
 * not open one (as in Jinja, a `set` inside an `if` is visible after it).
 */
export class Scope {
  /** Jinja name → JS local, for every name this scope assigns. */
  readonly vars = new Map<string, string>();
  /** Names assigned somewhere before the current point (textually). */
  readonly seen = new Set<string>();
  /** Names certainly assigned at the current point. */
  assigned = new Set<string>();
  /** The JS name of this loop's `loop` object; set for `for` bodies. */
  loopVar?: string;
  loopUsed = false;
  /**
   * A macro body: it runs when called, so a name that an enclosing scope assigns anywhere
   * (even after the macro) is read from that scope when it has a value by then.
   */
  late = false;
  /** Names of this scope that were read (a macro catches `varargs`/`kwargs`/`caller` only when its body reads them). */
  readonly read = new Set<string>();
  constructor(readonly parent?: Scope) {}
}

/**
 * The names every `set`, block `set` and `macro` in `body` assigns, looking into `if`
 * branches but not into loops, `with` or other blocks (they have their own scope).
 */
export function setTargets(body: readonly Stmt[], out = new Set<string>()): Set<string> {
  for (const stmt of body) {
    if (stmt.kind === "set") targetNames(stmt.target).forEach((t) => out.add(t));
    else if (stmt.kind === "macro") out.add(stmt.name);
    else if (stmt.kind === "capture" && stmt.target !== undefined) out.add(stmt.target);
    else if (stmt.kind === "if") {
      stmt.branches.forEach((b) => setTargets(b.body, out));
      if (stmt.otherwise) setTargets(stmt.otherwise, out);
    }
  }
  return out;
}

/** Options of one code generation. */
export interface GenOptions {
  /** Trim string operands of comparisons (conditions, SPEC docs/templates.md#conditions). */
  trimCompare?: boolean;
  /** Bare words are strings and yes/no words booleans (compatibility conditions). */
  compat?: boolean;
  /** In compat mode, the names that are read from the context: the operands a condition's values stand for. */
  operands?: ReadonlySet<string>;
}

/** Mutable state of one code generation: sites, references, locals, temporaries. */
export class CodeContext {
  readonly sites: SiteInfo[] = [];
  readonly references: NameReference[] = [];
  scope = new Scope();
  private counter = 0;
  private temps = 0;
  constructor(
    readonly source: string,
    readonly options: GenOptions,
    private readonly locate: (offset: number) => { line: number; col: number },
  ) {}

  site(info: SiteInfo): number {
    this.sites.push(info);
    return this.sites.length - 1;
  }
  /** A fresh JS identifier with the given one-letter kind. */
  fresh(kind: "v" | "L" | "N" | "I" | "U" | "P" | "S" | "B" | "W" | "F" | "A" | "D"): string {
    return `${kind}${++this.counter}`;
  }
  temp(): string {
    return `t${++this.temps}`;
  }
  /** `let t1, t2;` for every temporary used, or "". */
  tempDeclarations(): string {
    if (!this.temps) return "";
    return `let ${Array.from({ length: this.temps }, (_, i) => `t${i + 1}`).join(", ")};`;
  }

  /** Declares (in the current scope) a local for each name; returns `let v1 = M, …;` or "". */
  declare(names: Iterable<string>): string {
    const decls: string[] = [];
    for (const n of names) {
      if (this.scope.vars.has(n)) continue;
      const js = this.fresh("v");
      this.scope.vars.set(n, js);
      decls.push(`${js} = M`);
    }
    return decls.length ? `let ${decls.join(", ")};` : "";
  }

  private visibleLocals(): string[] {
    const names = new Set<string>();
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      s.seen.forEach((n) => names.add(n));
      if (s.loopVar) names.add("loop");
    }
    return [...names];
  }

  private resolveFrom(
    scope: Scope | undefined,
    name: string,
    at: number,
    end: number,
    guarded: boolean,
    record: boolean,
  ): string {
    let late = false;
    for (let s = scope; s; s = s.parent) {
      if (name === "loop" && s.loopVar && !s.vars.has("loop")) {
        s.loopUsed = true;
        return s.loopVar;
      }
      if (late ? s.vars.has(name) : s.seen.has(name)) {
        s.read.add(name);
        const js = s.vars.get(name)!;
        if (s.assigned.has(name)) return js;
        return `(${js} !== M ? ${js} : ${this.resolveFrom(s.parent, name, at, end, guarded, false)})`;
      }
      late ||= s.late;
    }
    const global = isGlobalName(name);
    if (record) {
      const { line, col } = this.locate(at);
      this.references.push({ name, offset: at, line, col, guarded, ...(global ? { global } : {}) });
    }
    return `R.${global ? "glob" : "name"}(C, ${lit(name)}, ${this.site({ at, end, locals: this.visibleLocals() })})`;
  }

  /** JS for reading the Jinja name at `at…end`: a local, or a context lookup. */
  resolve(name: string, at: number, end: number, guarded: boolean): string {
    return this.resolveFrom(this.scope, name, at, end, guarded, true);
  }
}
