import type { Expr } from "./ast.ts";
import { generateExpression, type NameReference } from "./codegen.ts";
import { compileProgram, type Program } from "./engine.ts";
import { TemplateSyntaxError } from "./errors.ts";
import { parseExpression } from "./parser.ts";
import { toRenderError } from "./render-error.ts";
import { analyzeCompatCondition } from "./condition-compat.ts";
import { hasTemplateSyntax } from "./template.ts";

/** A compiled `condition:`. */
export interface Condition {
  /** Free names read, in source order. */
  readonly references: NameReference[];
  /** Python truthiness of the condition in `context`. Throws TemplateRenderError. */
  test(context: Record<string, unknown>): boolean;
  /** For a condition written with `{{ }}`: the same test as a bare expression, which validate suggests. */
  readonly suggestion?: string;
}

/** A bare expression returning its truth. Eta compiles it on the first run: validation only needs the references. */
function truthProgram(
  source: string,
  expr: Expr,
): { run: (context: Record<string, unknown>) => boolean; references: NameReference[] } {
  const generated = generateExpression(source, expr, { trimCompare: true, truth: true });
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

const CACHE_LIMIT = 1000;

const cache = new Map<string, Condition>();

function remember(source: string, condition: Condition): Condition {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, condition);
  return condition;
}

/**
 * Every load-time problem of a `condition:` (SPEC docs/templates.md#conditions) and, when there are none, the
 * condition itself, parsed once (cached per source). A plain expression is evaluated
 * with Python truthiness, string operands of comparisons trimmed. A condition
 * containing `{{ }}` is the compatibility form (`"{{ ok }} == True"`, `"{{ mode }} ==
 * 'fast'"`, `"{{ flag }}"`): each value is one operand (`condition-compat.ts`).
 */
export function analyzeCondition(source: string): { errors: TemplateSyntaxError[]; condition?: Condition } {
  const hit = cache.get(source);
  if (hit) return { errors: [], condition: hit };
  if (hasTemplateSyntax(source)) {
    const { errors, condition } = analyzeCompatCondition(source);
    return condition ? { errors: [], condition: remember(source, condition) } : { errors };
  }
  const parsed = parseExpression(source);
  if (parsed.errors.length) return { errors: parsed.errors };
  let program: ReturnType<typeof truthProgram>;
  try {
    program = truthProgram(source, parsed.expr);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error; // code generation recurses: `not not …` thousands deep
    return {
      errors: [
        new TemplateSyntaxError(
          "the condition is nested too deeply to read",
          source,
          0,
          "split it into steps, or compute it in a python: step",
        ),
      ],
    };
  }
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
