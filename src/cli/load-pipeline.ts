import { formatDiagnostics, type Diagnostic } from "../errors/diagnostic.ts";
import { UserError } from "../errors/user-error.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { validateFile, type ValidateOptions } from "../validate/index.ts";
import { printErr, printJson, useColor } from "./output.ts";

/** The JSON form of a diagnostic (§6 `--format json`). */
export const diagnosticJson = (d: Diagnostic) => ({
  file: d.file,
  line: d.line,
  col: d.col,
  step: d.step ?? null,
  field: d.field ?? null,
  message: d.message,
  hint: d.hint ?? null,
});

/** Thrown after the diagnostics were printed: exit 2 with nothing more to say. */
export class ReportedError extends UserError {
  constructor() {
    super("invalid pipeline");
    this.name = "ReportedError";
  }
}

/**
 * Validates FILE for a command that needs a valid pipeline. Problems are printed (text on
 * stderr, or the §6 JSON document on stdout) and the command ends with exit code 2;
 * warnings are printed and the pipeline is returned.
 */
export async function loadValidPipeline(file: string, format: string, options: ValidateOptions = {}): Promise<Pipeline> {
  const result = await validateFile(file, options);
  if (!result.valid || !result.pipeline) {
    if (format === "json") printJson(validationJson(result.valid, result.diagnostics));
    else printErr(formatDiagnostics(result.diagnostics, { color: useColor(process.stderr) }));
    throw new ReportedError();
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
