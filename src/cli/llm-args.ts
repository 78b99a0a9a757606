/** The `run`/`resume` options of prompt steps (docs/cli.md#aiorch-run, docs/llm.md) and the key check before a run. */
import { UserError } from "../errors/user-error.ts";
import { cacheDisabledByEnv, type LlmSettings } from "../llm/settings.ts";
import { DEFAULT_MODEL, missingKey, routeModel } from "../llm/provider.ts";
import { estimatePipeline, type StepEstimate } from "../llm/estimate.ts";
import { priceFor } from "../llm/pricing.ts";
import { stepsWithFlows, type Pipeline } from "../model/pipeline.ts";
import type { ConfigSpec } from "../spec/config.ts";
import type { Secret } from "../history/redact.ts";
import { historyFile } from "./run-history.ts";

export const LLM_ARGS = {
  model: {
    type: "string" as const,
    description: "Model for prompt: steps that name none (default: config llm.model, else gpt-4o-mini)",
    valueHint: "MODEL",
  },
  "max-cost": {
    type: "string" as const,
    description: "Stop starting prompt calls once the run has spent this many USD; the run fails with the figures",
    valueHint: "USD",
  },
  cache: {
    type: "boolean" as const,
    default: true,
    description: "Use the LLM response cache (--no-cache, or AIORCH_NO_CACHE=1: ask the model every time)",
  },
};

export interface LlmArgs {
  model?: string;
  "max-cost"?: string;
  cache?: boolean;
}

/** `--max-cost`: a number of dollars ≥ 0 (a leading `$` is fine). */
export function maxCostArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/^\$/, ""));
  if (!Number.isFinite(n) || n < 0 || value.trim() === "")
    throw new UserError(`--max-cost must be an amount of USD, got ${JSON.stringify(value)}`, {
      hint: "e.g. --max-cost 0.50",
    });
  return n;
}

/** The LLM settings of a run from the config, the environment and the options. */
export function llmSettings(
  config: ConfigSpec,
  env: Record<string, string | undefined>,
  args: LlmArgs,
  secrets: readonly Secret[],
): LlmSettings {
  const maxCost = maxCostArg(args["max-cost"]);
  return {
    config: config.llm ?? {},
    env,
    ...(args.model ? { modelOverride: args.model } : {}),
    cache: args.cache !== false && !cacheDisabledByEnv(env),
    cacheFile: historyFile(config, env),
    ...(maxCost !== undefined ? { maxCost } : {}),
    secrets,
  };
}

/**
 * docs/llm.md: a missing key fails before the first call. Every prompt step whose model is known
 * before running (not a template) is checked, in this pipeline and its sub-pipelines.
 */
export function checkLlmKeys(pipeline: Pipeline, settings: LlmSettings): void {
  for (const step of stepsWithFlows(pipeline)) {
    if (step.primitive !== "prompt") continue;
    const stepModel = step.prompt.model;
    if (stepModel?.includes("{{")) continue;
    const model = stepModel || settings.modelOverride || settings.config.model || DEFAULT_MODEL;
    const missing = missingKey(routeModel(model, settings.config, settings.env), model);
    if (missing) throw new UserError(`step \`${step.name}\`: ${missing.message}`, { hint: missing.hint });
  }
}

/** The cost estimate of every prompt step (docs/llm.md) with this config and `--model`. */
export function estimatesFor(
  pipeline: Pipeline,
  inputs: Record<string, unknown>,
  config: ConfigSpec,
  modelOverride: string | undefined,
  env: Record<string, string | undefined> = process.env,
): StepEstimate[] {
  const llm = config.llm ?? {};
  return estimatePipeline(pipeline, inputs, {
    modelFor: (stepModel) => stepModel || modelOverride || llm.model || DEFAULT_MODEL,
    priceOf: (model) => priceFor(model, { prices: llm.prices, baseURL: routeModel(model, llm, env).baseURL }),
    ...(llm.max_tokens !== undefined ? { defaultMaxTokens: llm.max_tokens } : {}),
  });
}
