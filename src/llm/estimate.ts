/**
 * The cost estimate of `plan`, `cost` and `run --dry` (docs/llm.md): for each prompt step, prompt
 * tokens ≈ the rendered template's characters / 4 (rendered with the inputs; the template
 * text itself where it needs results not known before running), completion tokens =
 * `max_tokens` or 500, times the model's rates; a foreach whose list is known before running
 * is rendered once per item (so a long row costs more than a short one), else counted once.
 */
import { dirname, resolve } from "node:path";
import type { Pipeline, Step } from "../model/pipeline.ts";
import { knownItems } from "../plan/known-items.ts";
import { compileTemplate } from "../template/index.ts";
import { roundUsd } from "../model/money.ts";
import { listPrice, type ModelPrice } from "./pricing.ts";

/** Completion tokens assumed when a step sets no `max_tokens`. */
export const DEFAULT_COMPLETION_TOKENS = 500;

export interface StepEstimate {
  step: string;
  model: string;
  /** Calls: the foreach length when known, else 1 (then `perItem` is true). */
  calls: number;
  perItem: boolean;
  promptTokens: number;
  completionTokens: number;
  usd: number;
  /** The model is not in the price table: the flagged fallback rate was used. */
  fallbackPrice: boolean;
  /** How the rates were found: a table key, `llm.prices:KEY`, `local` (an endpoint on this machine), `ollama`, `free`, `fallback`. */
  pricedBy: string;
}

export interface EstimateOptions {
  /** Step model → --model → config model → default. */
  modelFor(stepModel: string | undefined): string;
  /** Config defaults of `max_tokens`. */
  defaultMaxTokens?: number;
  /** The rates of a model (its `llm.prices` entry, $0 on a local endpoint, the table); default: the table's. */
  priceOf?(model: string): ModelPrice;
}

function renderedLength(
  template: string | undefined,
  inputs: Record<string, unknown>,
  item: unknown = "",
  index = 0,
): number {
  if (!template) return 0;
  try {
    return compileTemplate(template).render({ ...inputs, item, item_index: index }).length;
  } catch {
    return template.length;
  }
}

/** The estimate of one prompt step (undefined for other primitives). */
export function estimateStep(
  pipeline: Pipeline,
  step: Step,
  inputs: Record<string, unknown>,
  options: EstimateOptions,
): StepEstimate | undefined {
  if (step.primitive !== "prompt") return undefined;
  let stepModel = step.prompt.model;
  if (stepModel?.includes("{{")) {
    try {
      stepModel = compileTemplate(stepModel).render(inputs).trim();
    } catch {
      stepModel = undefined;
    }
  }
  const model = options.modelFor(stepModel);
  const items = step.foreach ? knownItems(pipeline, step, inputs) : undefined;
  const calls = items ? items.length : 1;
  // Each item's prompt as it will be sent; the table shows the mean per call.
  const promptChars = items?.length
    ? items.reduce<number>(
        (sum, item, index) =>
          sum +
          renderedLength(step.body, inputs, item, index) +
          renderedLength(step.prompt.system, inputs, item, index),
        0,
      ) / items.length
    : renderedLength(step.body, inputs) + renderedLength(step.prompt.system, inputs);
  const promptTokens = Math.ceil(promptChars / 4);
  const completionTokens = step.prompt.maxTokens ?? options.defaultMaxTokens ?? DEFAULT_COMPLETION_TOKENS;
  const price = options.priceOf ? options.priceOf(model) : listPrice(model);
  const usd = roundUsd((calls * (promptTokens * price.input + completionTokens * price.output)) / 1e6);
  return {
    step: step.name,
    model,
    calls,
    perItem: step.foreach !== undefined && items === undefined,
    promptTokens,
    completionTokens,
    usd,
    fallbackPrice: price.fallback,
    pricedBy: price.matched,
  };
}

/** Estimates of every prompt step, sub-pipelines' steps included (named `flow/step`). */
export function estimatePipeline(
  pipeline: Pipeline,
  inputs: Record<string, unknown>,
  options: EstimateOptions,
  prefix = "",
  seen = new Set<Pipeline>(),
): StepEstimate[] {
  if (seen.has(pipeline)) return [];
  seen.add(pipeline);
  const estimates: StepEstimate[] = [];
  for (const step of pipeline.steps) {
    const estimate = estimateStep(pipeline, step, inputs, options);
    if (estimate) estimates.push({ ...estimate, step: prefix + step.name });
    if (step.primitive === "flow") {
      // A templated flow path is only known at run time: its steps are not estimated.
      const child = pipeline.flows.get(resolve(dirname(pipeline.file), step.body.trim()));
      if (child) estimates.push(...estimatePipeline(child, {}, options, `${prefix}${step.name}/`, seen));
    }
  }
  return estimates;
}

/** The total of the estimates, rounded. */
export const totalOf = (estimates: readonly StepEstimate[]) => roundUsd(estimates.reduce((sum, e) => sum + e.usd, 0));
