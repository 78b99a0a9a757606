import type { Pipeline, Step } from "../model/pipeline.ts";
import { buildDag, layersOf } from "../plan/dag.ts";
import { totalOf, type StepEstimate } from "../llm/estimate.ts";
import { formatUsd } from "../model/money.ts";
import { knownItemCount } from "../plan/known-items.ts";
import { primitiveLabel } from "./step-summary.ts";

export interface PlanLayer {
  depth: number;
  steps: Array<{
    name: string;
    primitive: Step["primitive"];
    model: string | null;
    items: number | null;
    foreach: boolean;
    estimated_cost?: number;
  }>;
}

/** Layers by depth (docs/execution.md#scheduling: execution is a ready queue, but people read layers). Handlers are listed apart. */
export function planLayers(
  pipeline: Pipeline,
  inputs: Record<string, unknown> = {},
  estimates: readonly StepEstimate[] = [],
): { layers: PlanLayer[]; handlers: string[]; estimated_cost: number } {
  const costs = new Map(estimates.map((e) => [e.step, e]));
  const scheduled = pipeline.steps.filter((s) => !s.isHandler);
  const byName = new Map(pipeline.steps.map((s) => [s.name, s]));
  const layers = layersOf(buildDag(scheduled)).map((names, depth) => ({
    depth,
    steps: names.map((name) => {
      const step = byName.get(name)!;
      const estimate = costs.get(name);
      return {
        name,
        primitive: step.primitive,
        model: estimate?.model ?? (step.primitive === "prompt" ? step.prompt.model : undefined) ?? null,
        items: knownItemCount(pipeline, step, inputs) ?? null,
        foreach: Boolean(step.foreach),
        ...(estimate ? { estimated_cost: estimate.usd } : {}),
      };
    }),
  }));
  return {
    layers,
    handlers: pipeline.steps.filter((s) => s.isHandler).map((s) => s.name),
    estimated_cost: totalOf(estimates),
  };
}

/** The `aiorch plan` text. */
export function renderPlan(
  pipeline: Pipeline,
  inputs: Record<string, unknown> = {},
  estimates: readonly StepEstimate[] = [],
): string {
  const { layers, handlers } = planLayers(pipeline, inputs, estimates);
  const costs = new Map(estimates.map((e) => [e.step, e]));
  const labels = new Map(
    pipeline.steps.map((s) => [s.name, costs.has(s.name) ? `prompt  ${costs.get(s.name)!.model}` : primitiveLabel(s)]),
  );
  const labelWidth = Math.max(0, ...[...labels.values()].map((l) => l.length));
  const byName = new Map(pipeline.steps.map((s) => [s.name, s]));
  const label = (s: PlanLayer["steps"][number]) => (s.foreach ? `${s.name} × ${s.items ?? "?"}` : s.name);
  const width = Math.max(8, ...layers.flatMap((l) => l.steps.map((s) => label(s).length)));
  const lines = [`Pipeline: ${pipeline.name}`, "Layers:"];
  for (const layer of layers) {
    layer.steps.forEach((s, i) => {
      const prefix = i === 0 ? `  ${String(layer.depth).padStart(2)}: ` : "      ";
      const estimate = costs.get(s.name);
      const cost = estimate
        ? `  ~${formatUsd(estimate.usd)}${estimate.perItem ? " per item" : ""}${estimate.fallbackPrice ? " (unknown model: fallback rate)" : estimate.pricedBy === "local" ? " (local endpoint)" : ""}`
        : "";
      lines.push(
        `${prefix}${label(s).padEnd(width)}  ${`[${labels.get(s.name) ?? primitiveLabel(byName.get(s.name)!)}]`.padEnd(labelWidth + 2)}${cost}`.trimEnd(),
      );
    });
  }
  if (handlers.length) lines.push(`On failure only: ${handlers.join(", ")}`);
  if (estimates.length)
    lines.push(
      `Total estimated cost: ~${formatUsd(totalOf(estimates))}${estimates.some((e) => e.perItem) ? " (foreach lists of unknown length counted once)" : ""}`,
    );
  const steps = pipeline.steps.length;
  lines.push(
    `${steps} step${steps === 1 ? "" : "s"} in ${layers.length} layer${layers.length === 1 ? "" : "s"}; steps start as soon as their dependencies finish.`,
  );
  return lines.join("\n");
}
