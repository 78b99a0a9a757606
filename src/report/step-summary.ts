import type { Step } from "../model/pipeline.ts";
import { foreachSource } from "../plan/known-items.ts";

/** `prompt gpt-4o-mini`, `python`, `flow ./sub.yaml` — the primitive with what matters most about it. */
export function primitiveLabel(step: Step): string {
  if (step.primitive === "prompt") return step.prompt.model ? `prompt ${step.prompt.model}` : "prompt";
  if (step.primitive === "flow") return `flow ${step.body.trim()}`;
  return step.primitive;
}

/** How a foreach gets its list, as written: `rows`, `{{ data.items }}`, `[3 items]`. */
export function foreachLabel(step: Step): string | undefined {
  if (!step.foreach) return undefined;
  if (step.foreach.kind === "list")
    return `[${step.foreach.items.length} item${step.foreach.items.length === 1 ? "" : "s"}]`;
  return foreachSource(step);
}

export function conditionLabel(step: Step): string | undefined {
  if (!step.condition) return undefined;
  return step.condition.kind === "constant" ? String(step.condition.value) : step.condition.source.trim();
}
