/**
 * The template engine (SPEC docs/templates.md): a Jinja-style language translated into Eta templates.
 * Text mode for prompts and other fields, shell mode for `run:` commands, native values
 * for single-expression fields, and `condition:` expressions.
 */
export { FILTER_NAMES } from "./catalog.ts";
export type { NameReference } from "./codegen.ts";
export { analyzeCondition, checkCondition, compileCondition, type Condition } from "./condition.ts";
export { TemplateRenderError, TemplateSyntaxError } from "./errors.ts";
export {
  analyzeTemplate,
  checkTemplate,
  compileTemplate,
  hasTemplateSyntax,
  type Template,
  type TemplateMode,
} from "./template.ts";
export { BUILTINS, type Builtins } from "./builtins.ts";
export { pyStrip } from "./py-string.ts";
