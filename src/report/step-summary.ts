import type { Pipeline, Step } from "../model/pipeline.ts";

/** `prompt gpt-4o-mini`, `python`, `flow ./sub.yaml` — the primitive with what matters most about it. */
export function primitiveLabel(step: Step): string {
  if (step.primitive === "prompt") return step.prompt.model ? `prompt ${step.prompt.model}` : "prompt";
  if (step.primitive === "flow") return `flow ${step.body.trim()}`;
  return step.primitive;
}

/** How a foreach gets its list, as written: `rows`, `{{ data.items }}`, `[3 items]`. */
export function foreachLabel(step: Step): string | undefined {
  if (!step.foreach) return undefined;
  if (step.foreach.kind === "list") return `[${step.foreach.items.length} item${step.foreach.items.length === 1 ? "" : "s"}]`;
  const inner = /^\{\{\s*([\s\S]*?)\s*\}\}$/.exec(step.foreach.template.trim());
  return inner ? inner[1]! : step.foreach.template;
}

/**
 * The foreach items when they are known before running: a literal list, or a bare name of a
 * list input with a value in `inputs` (else its default).
 */
export function knownItems(pipeline: Pipeline, step: Step, inputs: Record<string, unknown> = {}): readonly unknown[] | undefined {
  if (!step.foreach) return undefined;
  if (step.foreach.kind === "list") return step.foreach.items;
  const name = foreachLabel(step);
  if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const value = Object.hasOwn(inputs, name) ? inputs[name] : pipeline.inputs.find((i) => i.name === name)?.default;
  return Array.isArray(value) ? value : undefined;
}

/** Number of foreach items when it is known before running (see {@link knownItems}). */
export function knownItemCount(pipeline: Pipeline, step: Step, inputs: Record<string, unknown> = {}): number | undefined {
  return knownItems(pipeline, step, inputs)?.length;
}

export function conditionLabel(step: Step): string | undefined {
  if (!step.condition) return undefined;
  return step.condition.kind === "constant" ? String(step.condition.value) : step.condition.source.trim();
}
