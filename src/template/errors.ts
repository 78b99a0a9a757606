import type { Undefined } from "./values.ts";

/** 1-based line and column of a 0-based offset in `source` (columns count UTF-16 units). */
export function locate(source: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = source.indexOf("\n"); i !== -1 && i < end; i = source.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * A template that cannot be loaded: bad syntax, an unknown filter, test or statement,
 * or (in shell mode) an output in a place no value can go safely. Positions are
 * within the template text: `offset` 0-based, `line`/`col` 1-based.
 */
export class TemplateSyntaxError extends Error {
  override name = "TemplateSyntaxError";
  readonly offset: number;
  readonly line: number;
  readonly col: number;
  /** How to fix it, when there is something better to say than the message. */
  readonly hint?: string;
  constructor(message: string, source: string, offset: number, hint?: string) {
    super(message);
    const { line, col } = locate(source, offset);
    this.offset = offset;
    this.line = line;
    this.col = col;
    if (hint !== undefined) this.hint = hint;
  }
}

/**
 * A template that failed while rendering against a context: an undefined name or key
 * used, a type error (`1 + "a"`), a value that cannot be put into a shell slot.
 * `variable` names the undefined name or expression (`user.nmae`) when that is the cause.
 */
export class TemplateRenderError extends Error {
  override name = "TemplateRenderError";
  readonly line: number;
  readonly col: number;
  readonly variable?: string;
  constructor(message: string, line: number, col: number, variable?: string) {
    super(message);
    this.line = line;
    this.col = col;
    if (variable !== undefined) this.variable = variable;
  }
}

/**
 * Thrown by the runtime; the template that ran turns it into a TemplateRenderError.
 * `site` is the generated code's site number (see codegen), which maps to a source span;
 * `undef` is set when the cause is the use of an undefined value.
 */
export class RenderFault extends Error {
  constructor(
    message: string,
    readonly site: number,
    readonly undef?: Undefined,
  ) {
    super(message);
  }
}
