import type { Diagnostic } from "../errors/diagnostic.ts";
import type { SourceFile } from "../load/yaml-source.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { ancestorsOf, buildDag, findCycles, type AncestorLookup, type Dag } from "../plan/dag.ts";
import { dependsEntryOffset } from "./step-rules.ts";

export interface DagCheck {
  dag: Dag;
  ancestors: AncestorLookup;
  diagnostics: Diagnostic[];
}

/** Layer 3 of docs/pipeline-reference.md#validation: cycles, reported with their path. Self-loops are reported by the step rules. */
export function checkDag(source: SourceFile, pipeline: Pipeline): DagCheck {
  const dag = buildDag(pipeline.steps);
  const diagnostics: Diagnostic[] = [];
  for (const cycle of findCycles(dag)) {
    if (cycle.length === 2) continue;
    const [first, second] = cycle;
    diagnostics.push(
      source.at(dependsEntryOffset(source, first!, second!), {
        step: first!,
        field: "depends",
        message: `dependency cycle: ${cycle.join(" → ")} (each step waits for the next)`,
        hint: "remove one of these depends: entries so the steps can run in some order",
      }),
    );
  }
  return { dag, ancestors: ancestorsOf(dag), diagnostics };
}
