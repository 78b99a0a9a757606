import type { Pipeline, Step } from "../model/pipeline.ts";
import { buildDag, layersOf } from "../plan/dag.ts";
import { knownItemCount, primitiveLabel } from "./step-summary.ts";

export interface PlanLayer {
  depth: number;
  steps: Array<{ name: string; primitive: Step["primitive"]; model: string | null; items: number | null; foreach: boolean }>;
}

/** Layers by depth (§5.1: execution is a ready queue, but people read layers). Handlers are listed apart. */
export function planLayers(pipeline: Pipeline, inputs: Record<string, unknown> = {}): { layers: PlanLayer[]; handlers: string[] } {
  const scheduled = pipeline.steps.filter((s) => !s.isHandler);
  const byName = new Map(pipeline.steps.map((s) => [s.name, s]));
  const layers = layersOf(buildDag(scheduled)).map((names, depth) => ({
    depth,
    steps: names.map((name) => {
      const step = byName.get(name)!;
      return { name, primitive: step.primitive, model: step.prompt.model ?? null, items: knownItemCount(pipeline, step, inputs) ?? null, foreach: Boolean(step.foreach) };
    }),
  }));
  return { layers, handlers: pipeline.steps.filter((s) => s.isHandler).map((s) => s.name) };
}

/** The `aiorch plan` text. */
export function renderPlan(pipeline: Pipeline, inputs: Record<string, unknown> = {}): string {
  const { layers, handlers } = planLayers(pipeline, inputs);
  const byName = new Map(pipeline.steps.map((s) => [s.name, s]));
  const label = (s: PlanLayer["steps"][number]) => (s.foreach ? `${s.name} × ${s.items ?? "?"}` : s.name);
  const width = Math.max(8, ...layers.flatMap((l) => l.steps.map((s) => label(s).length)));
  const lines = [`Pipeline: ${pipeline.name}`, "Layers:"];
  for (const layer of layers) {
    layer.steps.forEach((s, i) => {
      const prefix = i === 0 ? `  ${String(layer.depth).padStart(2)}: ` : "      ";
      lines.push(`${prefix}${label(s).padEnd(width)}  [${primitiveLabel(byName.get(s.name)!)}]`);
    });
  }
  if (handlers.length) lines.push(`On failure only: ${handlers.join(", ")}`);
  const steps = pipeline.steps.length;
  lines.push(`${steps} step${steps === 1 ? "" : "s"} in ${layers.length} layer${layers.length === 1 ? "" : "s"}; steps start as soon as their dependencies finish.`);
  return lines.join("\n");
}
