import type { Stmt } from "./ast.ts";
import { generateExpression, generateTemplate, type NameReference, type SiteInfo } from "./codegen.ts";
import { compileProgram, type Program } from "./engine.ts";
import { TemplateSyntaxError } from "./errors.ts";
import { toNative } from "./native.ts";
import { parseTemplate, type ParsedTemplate } from "./parser.ts";
import { toRenderError } from "./render-error.ts";
import { scanShellSlots, type ShellSlot } from "./shell-scan.ts";

/** `text`: prompts and other fields; `shell`: `run:` commands, every output quoted (SPEC §4.3). */
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

type Piece = { text: string } | { output: true };

/** The literal text and outputs in source order, and which outputs are `| raw`. */
function shellPieces(body: readonly Stmt[], pieces: Piece[] = [], outputs: Array<{ at: number; raw: boolean }> = []) {
  for (const s of body) {
    if (s.kind === "text") pieces.push({ text: s.text });
    else if (s.kind === "output") {
      pieces.push({ output: true });
      outputs.push({ at: s.at, raw: s.expr.kind === "filter" && s.expr.name === "raw" });
    } else if (s.kind === "if") {
      s.branches.forEach((b) => shellPieces(b.body, pieces, outputs));
      if (s.otherwise) shellPieces(s.otherwise, pieces, outputs);
    } else if (s.kind === "for") {
      shellPieces(s.body, pieces, outputs);
      if (s.otherwise) shellPieces(s.otherwise, pieces, outputs);
    }
  }
  return { pieces, outputs };
}

/** The slot of every output of a shell template, and the outputs placed where no value can go. */
function shellSlots(source: string, parsed: ParsedTemplate): { slots: ShellSlot[]; errors: TemplateSyntaxError[] } {
  const { pieces, outputs } = shellPieces(parsed.body);
  const slots = scanShellSlots(pieces);
  const errors: TemplateSyntaxError[] = [];
  slots.forEach((slot, k) => {
    const out = outputs[k]!;
    if (slot.kind === "error" && !out.raw) errors.push(new TemplateSyntaxError(slot.message, source, out.at, slot.hint));
  });
  return { slots, errors };
}

class CompiledTemplate implements Template {
  readonly references: NameReference[];
  readonly isSingleExpression: boolean;
  private readonly program: Program;
  private readonly sites: SiteInfo[];
  private expression?: { program: Program; sites: SiteInfo[] };

  constructor(
    readonly source: string,
    readonly mode: TemplateMode,
    private readonly parsed: ParsedTemplate,
    private readonly slots: ShellSlot[] | undefined,
  ) {
    const generated = generateTemplate(source, parsed.body, mode === "shell");
    this.program = compileProgram(generated.eta, mode);
    this.sites = generated.sites;
    this.references = generated.references;
    this.isSingleExpression = parsed.isSingleExpression;
  }

  render(context: Record<string, unknown>): string {
    try {
      return this.program.run(context, this.slots);
    } catch (e) {
      throw toRenderError(e, this.source, this.sites, context);
    }
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
 * Compiles a template (cached per mode and source). Throws the first
 * TemplateSyntaxError; use `checkTemplate` to get them all.
 */
export function compileTemplate(source: string, mode: TemplateMode = "text"): Template {
  const key = `${mode}\0${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parseTemplate(source);
  let slots: ShellSlot[] | undefined;
  const errors = [...parsed.errors];
  if (mode === "shell") {
    const shell = shellSlots(source, parsed);
    slots = shell.slots;
    errors.push(...shell.errors);
  }
  if (errors.length) throw errors.sort((a, b) => a.offset - b.offset)[0]!;
  const template = new CompiledTemplate(source, mode, parsed, slots);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, template);
  return template;
}

/** True when the text contains `{{`, `{%` or `{#`. */
export function hasTemplateSyntax(text: string): boolean {
  return /\{[{%#]/.test(text);
}
