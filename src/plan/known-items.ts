import type { Pipeline, Step } from "../model/pipeline.ts";

/**
 * What a foreach over an expression is given, as written: the expression inside `{{ }}`
 * (`data.items`), or the text itself; undefined for a literal list and without foreach.
 */
export function foreachSource(step: Step): string | undefined {
  if (!step.foreach || step.foreach.kind === "list") return undefined;
  const inner = /^\{\{\s*([\s\S]*?)\s*\}\}$/.exec(step.foreach.template.trim());
  return inner ? inner[1]! : step.foreach.template;
}

/**
 * The foreach items when they are known before running: a literal list, or a bare name of a
 * list input with a value in `inputs` (else its default).
 */
export function knownItems(
  pipeline: Pipeline,
  step: Step,
  inputs: Record<string, unknown> = {},
): readonly unknown[] | undefined {
  if (!step.foreach) return undefined;
  if (step.foreach.kind === "list") return step.foreach.items;
  const name = foreachSource(step);
  if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const value = Object.hasOwn(inputs, name) ? inputs[name] : pipeline.inputs.find((i) => i.name === name)?.default;
  return Array.isArray(value) ? value : undefined;
}

/** Number of foreach items when it is known before running (see {@link knownItems}). */
export function knownItemCount(
  pipeline: Pipeline,
  step: Step,
  inputs: Record<string, unknown> = {},
): number | undefined {
  return knownItems(pipeline, step, inputs)?.length;
}
