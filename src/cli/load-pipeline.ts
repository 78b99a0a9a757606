import { formatDiagnostics, type Diagnostic } from "../errors/diagnostic.ts";
import { UserError } from "../errors/user-error.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { validateFile, type ValidateOptions } from "../validate/index.ts";
import { printErr, useColor } from "./output.ts";

/** The JSON form of a diagnostic (docs/pipeline-reference.md#validation `--format json`). */
export const diagnosticJson = (d: Diagnostic) => ({
  file: d.file,
  line: d.line,
  col: d.col,
  step: d.step ?? null,
  field: d.field ?? null,
  message: d.message,
  hint: d.hint ?? null,
});

/**
 * Thrown after the diagnostics were printed on stderr: exit 2 with nothing more to say
 * there. Under `--format json` the dispatcher prints them on stdout as the `error`
 * document's `diagnostics` (output.ts).
 */
export class InvalidPipelineError extends UserError {
  constructor(
    file: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    super(`${file} is not a valid pipeline (${errors} error${errors === 1 ? "" : "s"})`, {
      hint: `\`aiorch validate ${file}\` lists the problems`,
    });
    this.name = "InvalidPipelineError";
  }
}

/**
 * Validates FILE for a command that needs a valid pipeline. Problems are printed on stderr
 * and the command ends with exit code 2 (under `--format json`, with the `error` document
 * on stdout); warnings are printed and the pipeline is returned.
 */
export async function loadValidPipeline(file: string, options: ValidateOptions = {}): Promise<Pipeline> {
  const result = await validateFile(file, options);
  if (!result.valid || !result.pipeline) {
    printErr(formatDiagnostics(result.diagnostics, { color: useColor(process.stderr) }));
    throw new InvalidPipelineError(file, result.diagnostics);
  }
  // Warnings go to stderr in both formats: stdout may be a JSON document.
  if (result.diagnostics.length) printErr(formatDiagnostics(result.diagnostics, { color: useColor(process.stderr) }));
  return result.pipeline;
}

export function validationJson(valid: boolean, diagnostics: Diagnostic[]) {
  return {
    valid,
    errors: diagnostics.filter((d) => d.severity === "error").map(diagnosticJson),
    warnings: diagnostics.filter((d) => d.severity === "warning").map(diagnosticJson),
  };
}
