/**
 * A pipeline's DAG as the graph languages (`visualize --format mermaid|dot`) draw it: the
 * scheduled steps with what each is (primitive, foreach, condition), the dependency edges,
 * and the `on_failure` handlers with the steps they answer for. Built once from the model
 * so that the two renderings show the same things.
 */
import type { Pipeline } from "../model/pipeline.ts";
import { conditionLabel, foreachLabel, primitiveLabel } from "./step-summary.ts";

/** One step as a node. */
export interface DagStep {
  name: string;
  /** `run`, `python`, `prompt gpt-4o-mini`, `flow ./sub.yaml`. */
  primitive: string;
  /** The foreach list as written (`rows`, `[3 items]`); absent without foreach. */
  foreach?: string;
  /** The condition as written; absent without one. */
  condition?: string;
}

export interface DagDescription {
  pipeline: string;
  steps: DagStep[];
  /** `[dependency, step]`: `step` runs after `dependency`. */
  edges: [string, string][];
  /** Handler steps and the steps whose failure runs them (drawn as dashed edges). */
  handlers: { step: DagStep; for: string[] }[];
}

function describeStep(step: Pipeline["steps"][number]): DagStep {
  const foreach = foreachLabel(step);
  const condition = conditionLabel(step);
  return {
    name: step.name,
    primitive: primitiveLabel(step),
    ...(foreach !== undefined ? { foreach } : {}),
    ...(condition !== undefined ? { condition } : {}),
  };
}

/** The description of `pipeline`, steps in file order. */
export function describeDag(pipeline: Pipeline): DagDescription {
  const scheduled = pipeline.steps.filter((s) => !s.isHandler);
  return {
    pipeline: pipeline.name,
    steps: scheduled.map(describeStep),
    edges: scheduled.flatMap((s) => s.depends.map((d): [string, string] => [d, s.name])),
    handlers: pipeline.steps
      .filter((s) => s.isHandler)
      .map((h) => ({
        step: describeStep(h),
        for: pipeline.steps.filter((s) => s.onFailure === h.name).map((s) => s.name),
      })),
  };
}

/** The second line of a node: `run`, `python · foreach rows · if x > 1`. */
export function stepDetails(step: DagStep): string {
  return [
    step.primitive,
    ...(step.foreach !== undefined ? [`foreach ${step.foreach}`] : []),
    ...(step.condition !== undefined ? [`if ${step.condition}`] : []),
  ].join(" · ");
}
