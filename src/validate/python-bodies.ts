import type { Diagnostic } from "../errors/diagnostic.ts";
import { closest } from "../errors/did-you-mean.ts";
import type { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { findPython } from "../steps/python/interpreter.ts";
import checkScript from "../steps/python/check-bodies.py" with { type: "text" };
import { scopeOf } from "./references.ts";
import { isScalar } from "yaml";

interface BodyReport {
  error?: { message: string; line: number; col: number };
  reads?: Array<{ name: string; line: number; col: number }>;
}

/**
 * §5.3/§6: compiles every python: body in one python3 process (skipped when there is no
 * python3) and warns about `inputs["x"]` reads of names the step cannot see.
 */
export function checkPythonBodies(
  source: SourceFile,
  pipeline: Pipeline,
  ancestors: ReadonlyMap<string, ReadonlySet<string>>,
): Diagnostic[] {
  const steps = pipeline.steps.filter((s) => s.primitive === "python" && s.body.trim() !== "");
  if (!steps.length) return [];
  const python = findPython();
  if (!python) return [];
  const result = Bun.spawnSync([python, "-c", checkScript], {
    stdin: Buffer.from(JSON.stringify(steps.map((s) => ({ name: s.name, body: s.body })))),
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0) return [];
  const reports = JSON.parse(result.stdout.toString()) as BodyReport[];
  const out: Diagnostic[] = [];
  steps.forEach((step, i) => {
    const report = reports[i]!;
    const node = source.doc.getIn(["steps", step.name, "python"], true);
    const offsetOf = (line: number, col: number) => {
      if (!isScalar(node)) return 0;
      const lines = step.body.split("\n");
      let offset = 0;
      for (let l = 0; l < line - 1 && l < lines.length; l++) offset += lines[l]!.length + 1;
      return source.valueOffset(node, offset + Math.max(0, col - 1));
    };
    if (report.error) {
      out.push(
        source.at(offsetOf(report.error.line, report.error.col), {
          step: step.name,
          field: "python",
          message: `step \`${step.name}\`: python syntax error: ${report.error.message} (line ${report.error.line} of the body)`,
          hint: "fix the Python code; `python3 -c 'import ast; ast.parse(open(\"file\").read())'` shows the same error",
        }),
      );
      return;
    }
    const stepAncestors = ancestors.get(step.name);
    if (!stepAncestors) return;
    const readable = scopeOf(pipeline, step, stepAncestors, "python");
    const seen = new Set<string>();
    for (const read of report.reads ?? []) {
      if (readable.has(read.name) || seen.has(read.name)) continue;
      seen.add(read.name);
      const suggestion = closest(read.name, readable);
      out.push(
        source.at(offsetOf(read.line, read.col), {
          severity: "warning",
          step: step.name,
          field: "python",
          message: `step \`${step.name}\` reads inputs["${read.name}"], which is neither an input nor the result of a step it depends on`,
          hint: suggestion ? `did you mean "${suggestion}"?` : `readable here: ${[...readable].sort().join(", ")}`,
        }),
      );
    }
  });
  return out;
}
