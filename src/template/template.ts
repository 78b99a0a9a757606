import { generateExpression, generateTemplate, type NameReference, type SiteInfo } from "./codegen.ts";
import { compileProgram, type Program } from "./engine.ts";
import { TemplateSyntaxError, locate } from "./errors.ts";
import { toNative } from "./native.ts";
import { parseTemplate, type ParsedTemplate } from "./parser.ts";
import { shellBlockProblems } from "./shell-blocks.ts";
import { toRenderError } from "./render-error.ts";
import { ShellFault } from "./shell-output.ts";
import { renderShell } from "./shell-render.ts";
import { scanShellTemplate } from "./shell-scan.ts";
import type { ShellSlot } from "./shell-slot.ts";

/** `text`: prompts and other fields; `shell`: `run:` commands, every output quoted (SPEC docs/templates.md#how-values-are-rendered). */
export type TemplateMode = "text" | "shell";

/** A compiled template. */
export interface Template {
  readonly source: string;
  readonly mode: TemplateMode;
  /** Free names read (not loop/`set` locals, not `loop`), one per occurrence, in source order. */
  readonly references: NameReference[];
  /** The whole text is one `{{ expr }}` (whitespace around it allowed). */
  readonly isSingleExpression: boolean;
  /** The text, with text-mode or shell-mode output rules. Throws TemplateRenderError. */
  render(context: Record<string, unknown>): string;
  /**
   * The native value of the expression (list, dict, number, bool, None → null) when the
   * template is a single expression in text mode; otherwise `render(context)`.
   */
  evaluate(context: Record<string, unknown>): unknown;
}

interface ShellPlan {
  slots: ShellSlot[];
  /** Some value is placed at render time, on the rendered text (`renderShell`). */
  dynamic: boolean;
}

/**
 * The slot of every output of a shell template, and its load-time errors: only places
 * wrong for every value (inside quotes, in `eval`'s arguments…); what depends on the
 * value is checked when it is rendered.
 */
function shellSlots(source: string, parsed: ParsedTemplate): ShellPlan & { errors: TemplateSyntaxError[] } {
  const { slots, outputs, dynamic } = scanShellTemplate(parsed.body);
  const errors = shellBlockProblems(parsed.body).map((p) => new TemplateSyntaxError(p.message, source, p.at, p.hint));
  slots.forEach((slot, k) => {
    const out = outputs[k]!;
    const raw = out.expr.kind === "filter" && out.expr.name === "raw";
    if (slot.kind === "error" && !raw) errors.push(new TemplateSyntaxError(slot.message, source, out.at, slot.hint));
  });
  return { slots, dynamic, errors };
}

/** The expression of an output, as written (`n | int`), for messages. */
const expressionText = (source: string, site: SiteInfo | undefined): string =>
  site
    ? source
        .slice(site.at, site.end)
        .replace(/^\{\{-?\s*/, "")
        .replace(/\s*-?\}\}$/, "")
    : "the value";

class CompiledTemplate implements Template {
  readonly references: NameReference[];
  readonly isSingleExpression: boolean;
  private readonly eta: string;
  private compiled?: Program;
  private readonly sites: SiteInfo[];
  private expression?: { program: Program; sites: SiteInfo[] };

  constructor(
    readonly source: string,
    readonly mode: TemplateMode,
    private readonly parsed: ParsedTemplate,
    private readonly shell: ShellPlan | undefined,
  ) {
    const generated = generateTemplate(source, parsed.body, mode === "shell");
    this.eta = generated.eta;
    this.sites = generated.sites;
    this.references = generated.references;
    this.isSingleExpression = parsed.isSingleExpression;
  }

  /** Eta compiles on the first render: validation only needs the references. */
  private get program(): Program {
    return (this.compiled ??= compileProgram(this.eta, this.mode));
  }

  render(context: Record<string, unknown>): string {
    try {
      const shell = this.shell;
      if (shell?.dynamic) return renderShell(() => this.program.run(context, shell.slots));
      return this.program.run(context, shell?.slots);
    } catch (e) {
      if (e instanceof ShellFault)
        e.message = e.describe(expressionText(this.source, this.sites[e.site]), this.commandLine(e.site));
      throw toRenderError(e, this.source, this.sites, context);
    }
  }

  /** "line N of the command" for an output of a multi-line command (a one-line command needs no line). */
  private commandLine(site: number): string | undefined {
    const at = this.sites[site]?.at;
    if (at === undefined || !this.source.trimEnd().includes("\n")) return undefined;
    return `line ${locate(this.source, at).line} of the command`;
  }

  evaluate(context: Record<string, unknown>): unknown {
    if (!this.isSingleExpression || this.mode === "shell") return this.render(context);
    if (!this.expression) {
      const output = this.parsed.body.find((s) => s.kind === "output");
      if (output?.kind !== "output") return this.render(context);
      const generated = generateExpression(this.source, output.expr, {});
      this.expression = { program: compileProgram(generated.eta, "text"), sites: generated.sites };
    }
    const box = { v: undefined as unknown };
    try {
      this.expression.program.run(context, undefined, box);
      return toNative(box.v);
    } catch (e) {
      throw toRenderError(e, this.source, this.expression.sites, context);
    }
  }
}

const CACHE_LIMIT = 5000;
const cache = new Map<string, Template>();

/** Every load-time problem of a template: syntax, unknown filters/tests/statements, unsafe shell slots. */
export function checkTemplate(source: string, mode: TemplateMode = "text"): TemplateSyntaxError[] {
  const parsed = parseTemplate(source);
  if (mode !== "shell") return parsed.errors;
  return [...parsed.errors, ...shellSlots(source, parsed).errors].sort((a, b) => a.offset - b.offset);
}

/**
 * Every load-time problem of a template and, when there are none, the template itself
 * (cached; parsed and scanned once, compiled by Eta only when first rendered).
 */
export function analyzeTemplate(
  source: string,
  mode: TemplateMode = "text",
): { errors: TemplateSyntaxError[]; template?: Template } {
  const key = `${mode}\0${source}`;
  const hit = cache.get(key);
  if (hit) return { errors: [], template: hit };
  const parsed = parseTemplate(source);
  let plan: ShellPlan | undefined;
  const errors = [...parsed.errors];
  if (mode === "shell") {
    const shell = shellSlots(source, parsed);
    plan = { slots: shell.slots, dynamic: shell.dynamic };
    errors.push(...shell.errors);
  }
  if (errors.length) return { errors: errors.sort((a, b) => a.offset - b.offset) };
  let template: CompiledTemplate;
  try {
    template = new CompiledTemplate(source, mode, parsed, plan);
  } catch (error) {
    // Code generation recurses over the expression: thousands of `not not …` exhaust the stack.
    if (!(error instanceof RangeError)) throw error;
    return {
      errors: [
        new TemplateSyntaxError(
          "the template is nested too deeply to read",
          source,
          0,
          "split it, or build the value in a python: step",
        ),
      ],
    };
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, template);
  return { errors: [], template };
}

/**
 * Compiles a template (cached per mode and source). Throws the first
 * TemplateSyntaxError; use `checkTemplate` or `analyzeTemplate` to get them all.
 */
export function compileTemplate(source: string, mode: TemplateMode = "text"): Template {
  const { errors, template } = analyzeTemplate(source, mode);
  if (!template) throw errors[0]!;
  return template;
}

/** True when the text contains `{{`, `{%` or `{#`. */
export function hasTemplateSyntax(text: string): boolean {
  return /\{[{%#]/.test(text);
}
