import type { Expr } from "./ast.ts";
import { generateExpression, type NameReference } from "./codegen.ts";
import { compileProgram, type Program } from "./engine.ts";
import { TemplateRenderError, TemplateSyntaxError } from "./errors.ts";
import { parseExpression } from "./parser.ts";
import { toRenderError } from "./render-error.ts";
import { analyzeTemplate, hasTemplateSyntax } from "./template.ts";

/** A compiled `condition:`. */
export interface Condition {
  /** Free names read, in source order. */
  readonly references: NameReference[];
  /** Python truthiness of the condition in `context`. Throws TemplateRenderError. */
  test(context: Record<string, unknown>): boolean;
}

const FALSE_WORDS = new Set(["false", "no", "0", "none", ""]);

/** The expression `source` holds; throws its first TemplateSyntaxError. */
function expressionOf(source: string): Expr {
  const parsed = parseExpression(source);
  if (parsed.errors.length) throw parsed.errors[0]!;
  return parsed.expr;
}

/** A bare expression returning its truth. Eta compiles it on the first run: validation only needs the references. */
function truthProgram(source: string, expr: Expr, compat: boolean): { run: (context: Record<string, unknown>) => boolean; references: NameReference[] } {
  const generated = generateExpression(source, expr, { trimCompare: true, compat, truth: true });
  let program: Program | undefined;
  return {
    references: generated.references,
    run: (context) => {
      program ??= compileProgram(generated.eta, "text");
      const box = { v: undefined as unknown };
      try {
        program.run(context, undefined, box);
      } catch (e) {
        throw toRenderError(e, source, generated.sites, context);
      }
      return box.v === true;
    },
  };
}

const COMPAT_LIMIT = 1000;
const compatCache = new Map<string, (context: Record<string, unknown>) => boolean>();

/**
 * The compatibility reading of a rendered condition: an expression in which bare words
 * are strings and True/true/yes/1 vs False/false/no/0/None/none/"" are booleans. Text
 * that is not an expression at all is one word: false if a "no" word, else true when non-empty.
 */
function compatTruth(rendered: string): boolean {
  let run = compatCache.get(rendered);
  if (!run) {
    try {
      run = truthProgram(rendered, expressionOf(rendered), true).run;
    } catch (e) {
      if (!(e instanceof TemplateSyntaxError)) throw e;
      const word = rendered.trim();
      const value = !FALSE_WORDS.has(word.toLowerCase());
      run = () => value;
    }
    if (compatCache.size >= COMPAT_LIMIT) compatCache.delete(compatCache.keys().next().value!);
    compatCache.set(rendered, run);
  }
  try {
    return run({});
  } catch (e) {
    if (e instanceof TemplateRenderError) {
      throw new TemplateRenderError(`the condition rendered as \`${rendered}\`, which cannot be evaluated: ${e.message}`, 1, 1);
    }
    throw e;
  }
}

const cache = new Map<string, Condition>();

function remember(source: string, condition: Condition): Condition {
  if (cache.size >= COMPAT_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, condition);
  return condition;
}

/**
 * Every load-time problem of a `condition:` (SPEC §4.4) and, when there are none, the
 * condition itself, parsed once (cached per source). A plain expression is evaluated
 * with Python truthiness, string operands of comparisons trimmed. A condition
 * containing `{{ }}` is rendered as text first, then read in compatibility mode
 * (`"{{ ok }} == True"`, `"{{ mode }} == 'fast'"`, `"{{ flag }}"`).
 */
export function analyzeCondition(source: string): { errors: TemplateSyntaxError[]; condition?: Condition } {
  const hit = cache.get(source);
  if (hit) return { errors: [], condition: hit };
  if (hasTemplateSyntax(source)) {
    const { errors, template } = analyzeTemplate(source, "text");
    if (!template) return { errors };
    return { errors: [], condition: remember(source, { references: template.references, test: (context) => compatTruth(template.render(context)) }) };
  }
  const parsed = parseExpression(source);
  if (parsed.errors.length) return { errors: parsed.errors };
  const program = truthProgram(source, parsed.expr, false);
  return { errors: [], condition: remember(source, { references: program.references, test: program.run }) };
}

/** Compiles a `condition:` (see `analyzeCondition`). Throws the first TemplateSyntaxError. */
export function compileCondition(source: string): Condition {
  const { errors, condition } = analyzeCondition(source);
  if (!condition) throw errors[0]!;
  return condition;
}

/** Every load-time problem of a condition. */
export function checkCondition(source: string): TemplateSyntaxError[] {
  return analyzeCondition(source).errors;
}
