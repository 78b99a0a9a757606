import type { CompareOp, Expr, Keyword } from "./ast.ts";
import { FILTER_SIGNATURES, bindArguments } from "./catalog.ts";
import { lit, type CodeContext } from "./codegen-context.ts";

const ARITH: Record<string, string> = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "//": "floordiv",
  "%": "mod",
  "**": "pow",
};
const ORDER: Partial<Record<CompareOp, string>> = { "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };
const TRUE_WORDS = new Set(["true", "yes", "1"]);
const FALSE_WORDS = new Set(["false", "no", "0", "none", ""]);

function numberLiteral(n: number, float: boolean | undefined): string {
  if (float && Number.isInteger(n)) return `R.fl(${String(n)})`;
  return String(n);
}

/** In a compatibility condition: a yes/no word as a boolean, anything else unchanged. */
function compatWord(text: string): string | undefined {
  const lower = text.toLowerCase();
  if (TRUE_WORDS.has(lower)) return "true";
  if (FALSE_WORDS.has(lower)) return "false";
  return undefined;
}

/** `a.b.c` made only of names: its source text (compatibility conditions read it as a word). */
function bareWordChain(e: Expr): boolean {
  return e.kind === "name" || (e.kind === "getattr" && bareWordChain(e.obj));
}

/** The expression a `default`/`is defined` guards: a name/attribute/index chain, looked up without raising. */
function isChain(e: Expr): boolean {
  return e.kind === "name" || ((e.kind === "getattr" || e.kind === "getitem") && isChain(e.obj));
}

function compare(ctx: CodeContext, op: CompareOp, a: string, b: string, at: number): string {
  const site = () => ctx.site({ at, end: at + op.length });
  const trim = ctx.options.trimCompare && op !== "in" && op !== "not in";
  const x = trim ? `R.tr(${a})` : a;
  const y = trim ? `R.tr(${b})` : b;
  switch (op) {
    case "==":
      return `R.eq(${x}, ${y})`;
    case "!=":
      return `!R.eq(${x}, ${y})`;
    case "in":
      return `R.contains(${y}, ${x}, ${site()})`;
    case "not in":
      return `!R.contains(${y}, ${x}, ${site()})`;
    default:
      return `R.${ORDER[op]}(${x}, ${y}, ${site()})`;
  }
}

function filterCall(ctx: CodeContext, e: Extract<Expr, { kind: "filter" }>): string {
  const guarded = e.name === "default" || e.name === "d";
  const value = guarded && isChain(e.value) ? expr(ctx, e.value, true) : expr(ctx, e.value);
  const site = ctx.site({ at: e.at, end: e.end });
  if (FILTER_SIGNATURES[e.name]?.variadic) {
    const positional = e.args.map((a) => expr(ctx, a)).join(", ");
    const keywords = e.kwargs.map((k) => `${lit(k.name)}, ${expr(ctx, k.value)}`).join(", ");
    return `R.f.${e.name}(${site}, ${value}, [${positional}], [${keywords}])`;
  }
  const bound = bindArguments(
    e.name,
    e.args.length,
    e.kwargs.map((k) => k.name),
  );
  if (typeof bound === "string") throw new Error(`internal: unchecked filter call: ${bound}`);
  const all = [...e.args, ...e.kwargs.map((k) => k.value)].map((a) => expr(ctx, a));
  while (bound.length && bound[bound.length - 1] === -1) bound.pop();
  const args = bound.map((i) => (i < 0 ? "undefined" : all[i]!));
  return `R.f.${e.name}(${[String(site), value, ...args].join(", ")})`;
}

/** Keyword arguments as an object literal; computed keys, so `__proto__` is an ordinary key. */
function keywords(ctx: CodeContext, kwargs: readonly Keyword[]): string {
  if (!kwargs.length) return "R.NK";
  return `{${kwargs.map((k) => `[${lit(k.name)}]: ${expr(ctx, k.value)}`).join(", ")}}`;
}

/**
 * JS for a template expression. `guarded` marks the name/attribute chain under
 * `default` or `is defined`: its lookups never raise.
 */
export function expr(ctx: CodeContext, e: Expr, guarded = false): string {
  const compat = ctx.options.compat;
  switch (e.kind) {
    case "const":
      if (compat && (typeof e.value === "string" || e.value === null || e.value === 0 || e.value === 1)) {
        const word = compatWord(e.value === null ? "none" : String(e.value));
        if (word) return word;
      }
      if (typeof e.value === "string") return lit(e.value);
      if (typeof e.value === "number") return numberLiteral(e.value, e.float);
      return String(e.value);
    case "name":
      if (compat && !ctx.options.operands?.has(e.name)) return compatWord(e.name) ?? lit(e.name);
      return ctx.resolve(e.name, e.at, e.end, guarded);
    case "list":
    case "tuple":
      return `[${e.items.map((i) => expr(ctx, i)).join(", ")}]`;
    case "dict":
      return `R.dict([${e.pairs.map(([k, v]) => `${expr(ctx, k)}, ${expr(ctx, v)}`).join(", ")}])`;
    case "getattr": {
      if (compat && bareWordChain(e)) return lit(ctx.source.slice(e.at, e.end));
      const obj = expr(ctx, e.obj, guarded);
      return `R.${guarded ? "attrG" : "attr"}(${obj}, ${lit(e.attr)}, ${ctx.site({ at: e.at, end: e.end, objEnd: e.obj.end })})`;
    }
    case "getitem": {
      const obj = expr(ctx, e.obj, guarded);
      const index = expr(ctx, e.index);
      return `R.${guarded ? "itemG" : "item"}(${obj}, ${index}, ${ctx.site({ at: e.at, end: e.end, objEnd: e.obj.end })})`;
    }
    case "call": {
      const call = `R.call(${expr(ctx, e.obj)}, ${lit(e.method)}, [${e.args.map((a) => expr(ctx, a)).join(", ")}], ${ctx.site({ at: e.at, end: e.end })}`;
      return e.kwargs.length ? `${call}, ${keywords(ctx, e.kwargs)})` : `${call})`;
    }
    case "invoke":
      return `R.callValue(${expr(ctx, e.callee)}, [${e.args.map((a) => expr(ctx, a)).join(", ")}], ${keywords(ctx, e.kwargs)}, ${ctx.site({ at: e.at, end: e.end })})`;
    case "slice": {
      const part = (p: Expr | undefined) => (p ? expr(ctx, p) : "undefined");
      return `R.slice(${expr(ctx, e.obj)}, ${part(e.start)}, ${part(e.stop)}, ${part(e.step)}, ${ctx.site({ at: e.at, end: e.end })})`;
    }
    case "filter":
      return filterCall(ctx, e);
    case "test": {
      const guarded = (e.name === "defined" || e.name === "undefined") && isChain(e.value);
      const value = guarded ? expr(ctx, e.value, true) : expr(ctx, e.value);
      const args = `[${e.args.map((a) => expr(ctx, a)).join(", ")}]`;
      return `${e.negated ? "!" : ""}R.t[${lit(e.name)}](${value}, ${args}, ${ctx.site({ at: e.at, end: e.end })})`;
    }
    case "unary": {
      const operand = expr(ctx, e.operand);
      if (e.op === "not") return `!R.truthy(${operand})`;
      return `R.${e.op}(${operand}, ${ctx.site({ at: e.at, end: e.at + 1 })})`;
    }
    case "binary": {
      const left = expr(ctx, e.left);
      const right = expr(ctx, e.right);
      if (e.op === "and" || e.op === "or") {
        const t = ctx.temp();
        return e.op === "and"
          ? `((${t} = ${left}), R.truthy(${t}) ? ${right} : ${t})`
          : `((${t} = ${left}), R.truthy(${t}) ? ${t} : ${right})`;
      }
      if (e.op === "~") return `R.cat(${left}, ${right})`;
      if (e.op === "%" && e.right.kind === "tuple")
        return `R.pct(${left}, ${right}, ${ctx.site({ at: e.opAt, end: e.opAt + 1 })})`;
      return `R.${ARITH[e.op]}(${left}, ${right}, ${ctx.site({ at: e.opAt, end: e.opAt + e.op.length })})`;
    }
    case "compare": {
      if (e.ops.length === 1) {
        const only = e.ops[0]!;
        return `(${compare(ctx, only.op, expr(ctx, e.first), expr(ctx, only.operand), only.opAt)})`;
      }
      let prev = ctx.temp();
      const terms: string[] = [];
      let setup = `${prev} = ${expr(ctx, e.first)}`;
      for (const { op, operand, opAt } of e.ops) {
        const t = ctx.temp();
        terms.push(`(${setup}, ${t} = ${expr(ctx, operand)}, ${compare(ctx, op, prev, t, opAt)})`);
        prev = t;
        setup = "0";
      }
      return `(${terms.join(" && ")})`;
    }
    case "cond": {
      const then = expr(ctx, e.then);
      const test = expr(ctx, e.test);
      const otherwise = e.otherwise ? expr(ctx, e.otherwise) : `R.noElse(${ctx.site({ at: e.at, end: e.end })})`;
      return `(R.truthy(${test}) ? ${then} : ${otherwise})`;
    }
  }
}
