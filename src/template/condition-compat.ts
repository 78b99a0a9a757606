/**
 * The compatibility form of `condition:` — text with `{{ }}` in it, as the Python aiorch
 * writes it (`"{{ role }} == 'admin'"`). It fails closed: a value can never change the
 * expression. The expression is read once, at load time, with each value (and the text
 * glued to it: `v{{ n }}`, `'{{ role }}'`) standing as ONE operand; at run time each
 * operand is rendered and read as a literal (a number, a yes/no word, else a string),
 * so `role` = `guest' or 'a' == 'a` is just a string that is not `admin`.
 */
import type { Stmt } from "./ast.ts";
import { generateExpression, type NameReference } from "./codegen.ts";
import { compileProgram, type Program } from "./engine.ts";
import { TemplateRenderError, TemplateSyntaxError } from "./errors.ts";
import { parseExpression, parseTemplate } from "./parser.ts";
import { toRenderError } from "./render-error.ts";
import { type Template, analyzeTemplate } from "./template.ts";
import { pyFloat } from "./values.ts";

/** Characters that end a glued operand: whitespace, comparison and grouping operators. */
const SEPARATOR = /[\s=!<>()[\]{},|:]/;
const QUOTES = new Set(["'", '"']);
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.\d*|\.\d+|\d+(?=e))(?:e[+-]?\d+)?$/i;
const TRUE_WORDS = new Set(["true", "yes", "1"]);
const FALSE_WORDS = new Set(["false", "no", "0", "none", ""]);

/** One operand: the template text it renders from, and whether it was written inside quotes. */
interface Operand {
  template: Template;
  quoted: boolean;
  /** The operand as a bare expression would write it (for the suggestion). */
  bare: string;
}

/** A piece of the condition: a literal character or a `{{ }}` output. */
type Piece = { ch: string } | { output: Extract<Stmt, { kind: "output" }> };

/** The name an operand stands under in the expression (no condition writes such a word). */
const operandName = (k: number) => `__aiorch_operand_${k}__`;

/** The condition cut into literal characters and outputs; undefined when it has `{% %}` statements. */
function piecesOf(body: readonly Stmt[]): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const s of body) {
    if (s.kind === "text") for (const ch of s.text) pieces.push({ ch });
    else if (s.kind === "output") pieces.push({ output: s });
    else return undefined;
  }
  return pieces;
}

/** Groups the pieces into literal expression text and operands (runs that hold an output). */
function operandsOf(
  source: string,
  pieces: readonly Piece[],
): { expression: string; groups: Array<{ pieces: Piece[]; quoted: boolean }> } {
  const groups: Array<{ pieces: Piece[]; quoted: boolean }> = [];
  let expression = "";
  let i = 0;
  const textOf = (run: readonly Piece[]) =>
    run.map((p) => ("ch" in p ? p.ch : source.slice(p.output.at, p.output.end))).join("");
  const emit = (run: Piece[], quoted: boolean) => {
    if (!run.some((p) => "output" in p)) expression += textOf(run);
    else {
      expression += ` ${operandName(groups.length)} `;
      groups.push({ pieces: quoted ? run.slice(1, -1) : run, quoted });
    }
  };
  while (i < pieces.length) {
    const p = pieces[i]!;
    if ("ch" in p && QUOTES.has(p.ch)) {
      let j = i + 1;
      while (j < pieces.length && !("ch" in pieces[j]! && (pieces[j] as { ch: string }).ch === p.ch)) j++;
      const closed = j < pieces.length;
      emit(pieces.slice(i, closed ? j + 1 : j), closed);
      i = closed ? j + 1 : j;
    } else if ("ch" in p && SEPARATOR.test(p.ch)) {
      expression += p.ch;
      i++;
    } else {
      let j = i;
      while (j < pieces.length) {
        const q = pieces[j]!;
        if ("ch" in q && (SEPARATOR.test(q.ch) || QUOTES.has(q.ch))) break;
        j++;
      }
      emit(pieces.slice(i, j), false);
      i = j;
    }
  }
  return { expression, groups };
}

/** A rendered operand read as a literal, as the Python tool would read the rendered text. */
function literal(text: string): unknown {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  if (INT.test(t)) return Number(t);
  if (FLOAT.test(t)) return pyFloat(Number(t));
  return t;
}

/** The bare-expression form of an operand: `{{ x }}` → `x`, `'{{ x }}'` → `x`, glued text kept as a `~` join. */
function bareForm(source: string, pieces: readonly Piece[]): string {
  const parts: string[] = [];
  let text = "";
  for (const p of pieces) {
    if ("ch" in p) text += p.ch;
    else {
      if (text) parts.push(`'${text.replace(/'/g, "\\'")}'`);
      text = "";
      const inner = source
        .slice(p.output.at, p.output.end)
        .replace(/^\{\{[-+]?/, "")
        .replace(/[-+]?\}\}$/, "")
        .trim();
      parts.push(pieces.length > 1 && /[^\w.]/.test(inner) ? `(${inner})` : inner);
    }
  }
  if (text) parts.push(`'${text.replace(/'/g, "\\'")}'`);
  return parts.join(" ~ ");
}

/** A compiled compatibility condition. */
export interface CompatCondition {
  references: NameReference[];
  /** The same test as a bare expression, when one can be written (validate suggests it). */
  suggestion?: string;
  test(context: Record<string, unknown>): boolean;
}

/**
 * Reads a condition that holds `{{ }}`: its load-time problems, or the condition. A
 * condition whose shape is not an expression fails when tested, with the rendered text.
 */
export function analyzeCompatCondition(source: string): { errors: TemplateSyntaxError[]; condition?: CompatCondition } {
  const { errors, template } = analyzeTemplate(source, "text");
  if (!template) return { errors };
  const pieces = piecesOf(parseTemplate(source).body);
  if (!pieces) {
    const hint = "write the test as an expression without `{{ }}`, e.g. `condition: mode == 'full' and count > 0`";
    return {
      errors: [
        new TemplateSyntaxError("a condition cannot hold `{% %}` statements", source, source.indexOf("{%"), hint),
      ],
    };
  }
  const { expression, groups } = operandsOf(source, pieces);
  const operands: Operand[] = groups.map((g) => ({
    template: analyzeTemplate(
      g.pieces.map((p) => ("ch" in p ? p.ch : source.slice(p.output.at, p.output.end))).join(""),
      "text",
    ).template!,
    quoted: g.quoted,
    bare: bareForm(source, g.pieces),
  }));
  const parsed = parseExpression(expression);
  const names = new Set(operands.map((_, k) => operandName(k)));
  const shapeError = parsed.errors[0];
  let program: Program | undefined;
  const generated = shapeError
    ? undefined
    : generateExpression(expression, parsed.expr, { trimCompare: true, compat: true, operands: names, truth: true });
  const suggestion = shapeError ? undefined : suggest(expression, operands);
  return {
    errors: [],
    condition: {
      references: template.references,
      ...(suggestion ? { suggestion } : {}),
      test(context) {
        if (!generated) {
          const hint = suggestion ?? "write the test as an expression, e.g. `condition: role == 'admin'`";
          throw new TemplateRenderError(
            `the condition rendered as \`${template.render(context)}\`, which is not an expression (${shapeError!.message}); ${hint}`,
            1,
            1,
          );
        }
        const values: Record<string, unknown> = {};
        operands.forEach((o, k) => {
          const text = o.template.render(context);
          values[operandName(k)] = o.quoted ? text : literal(text);
        });
        program ??= compileProgram(generated.eta, "text");
        const box = { v: undefined as unknown };
        try {
          program.run(values, undefined, box);
        } catch (e) {
          const fault = toRenderError(e, expression, generated.sites, values);
          if (!(fault instanceof TemplateRenderError)) throw fault;
          const reason = fault.message;
          throw new TemplateRenderError(
            `the condition rendered as \`${template.render(context)}\`, which cannot be evaluated: ${reason}`,
            1,
            1,
          );
        }
        return box.v === true;
      },
    },
  };
}

/** The bare condition: each operand written as its expression. */
function suggest(expression: string, operands: readonly Operand[]): string {
  let out = expression;
  operands.forEach((o, k) => {
    out = out.replace(` ${operandName(k)} `, o.bare);
  });
  return out.replace(/\s+/g, " ").trim();
}
