import type { Node } from "yaml";
import type { Diagnostic } from "../errors/diagnostic.ts";
import { checkRange, coerceValue, showValue, type ScalarInputType } from "../load/inputs-coerce.ts";
import { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline } from "../model/pipeline.ts";

const SCALAR_TYPES = new Set<string>(["string", "integer", "number", "boolean", "list"]);

/**
 * A default must be a value of its input's type (docs/pipeline-reference.md#input), within `minimum`/`maximum`:
 * otherwise every run would stop on it, so it is reported where it is written.
 * File and http inputs are read at run time and not checked here.
 */
export function checkInputDefaults(source: SourceFile, pipeline: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const spec of pipeline.inputs) {
    // A misspelt type is reported by the structure layer; file and http defaults are read at run time.
    if (!spec.hasDefault || spec.default === undefined || spec.default === null || !SCALAR_TYPES.has(spec.type))
      continue;
    const coerced = coerceValue(spec.type as ScalarInputType, spec.default);
    const problem = coerced.ok ? checkRange(spec, coerced.value) : `${showValue(spec.default)} ${coerced.problem}`;
    if (!problem) continue;
    const typed = source.doc.getIn(["input", spec.name, "default"], true) as Node | undefined;
    const node = typed ?? (source.doc.getIn(["input", spec.name], true) as Node | undefined);
    out.push(
      source.at(SourceFile.start(node), {
        message: `input \`${spec.name}\`: the default ${problem}`,
        hint: hintFor(spec.type, spec.default),
      }),
    );
  }
  return out;
}

function hintFor(type: string, value: unknown): string {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return "inputs have no mapping type: use `type: file` with a JSON or YAML file, or a JSON string parsed in a python: step";
  }
  return type === "string"
    ? "a string input takes text: quote the value, or declare the type it has (list, integer, …)"
    : `give a default of type ${type}, or change the type`;
}
