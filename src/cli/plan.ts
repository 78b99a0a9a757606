import { defineCommand } from "citty";
import { dirname, resolve } from "node:path";
import { loadCliConfig } from "./cli-config.ts";
import { resolveInputs } from "../load/inputs.ts";
import type { Pipeline } from "../model/pipeline.ts";
import { planLayers, renderPlan } from "../report/plan-view.ts";
import type { ConfigSpec } from "../spec/config.ts";
import { estimatesFor } from "./llm-args.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, PIPELINE_ARG, printJson, printOut } from "./output.ts";
import { pipelineFileArg } from "../load/pipeline-file.ts";
import { inputPairs, SET_ARG } from "./run-args.ts";

/** The options `plan` and `cost` share: inputs that shape the estimate, the model, the config. */
export const ESTIMATE_ARGS = {
  ...PIPELINE_ARG,
  i: {
    type: "string" as const,
    description: "An input, KEY=VALUE or KEY=@path, for a closer estimate; repeatable",
    valueHint: "KEY=VALUE",
  },
  set: SET_ARG,
  input: {
    type: "string" as const,
    description: "All inputs at once: a JSON/YAML file, or inline JSON",
    valueHint: "FILE|JSON",
  },
  model: { type: "string" as const, description: "Model for prompt: steps that name none", valueHint: "MODEL" },
  config: {
    type: "string" as const,
    alias: "c",
    description: "Config file (default: aiorch.yaml next to or above the pipeline, else $AIORCH_HOME/config.yaml)",
    valueHint: "FILE",
  },
  ...FORMAT_ARG,
};

interface EstimateArgs {
  file?: string;
  format: string;
  input?: string;
  model?: string;
  config?: string;
}

/**
 * The pipeline, its inputs resolved as `run --dry` resolves them (given values, else the
 * defaults: a `type: file` default is read, so a foreach over it has its length and a prompt
 * that shows it its size; a required input given no value is left out, unknown), and the config.
 */
export async function loadForEstimate(
  args: EstimateArgs,
  rawArgs: string[],
): Promise<{ pipeline: Pipeline; inputs: Record<string, unknown>; config: ConfigSpec }> {
  const file = pipelineFileArg(args.file);
  const { config } = loadCliConfig({ explicit: args.config, pipelineDir: dirname(resolve(file)) });
  const pipeline = await loadValidPipeline(file);
  const inputs = await resolveInputs(pipeline.inputs, pipeline.declaresInputs, {
    pairs: inputPairs(rawArgs),
    ...(args.input !== undefined ? { input: args.input } : {}),
    cwd: process.cwd(),
    defaultsDir: dirname(pipeline.file),
    missingIsUnknown: true,
  });
  return { pipeline, inputs, config };
}

export const planCommand = defineCommand({
  meta: {
    name: "plan",
    description:
      "Show the DAG layers of a pipeline: each step's depth, primitive, model, foreach size and the estimated cost of its prompts. Runs nothing.",
  },
  args: {
    ...ESTIMATE_ARGS,
    json: { type: "boolean", description: "The same as --format json (the Python aiorch's spelling)" },
  },
  async run({ args, rawArgs }) {
    const { pipeline, inputs, config } = await loadForEstimate(args, rawArgs);
    const estimates = estimatesFor(pipeline, inputs, config, args.model);
    if (args.format === "json" || args.json)
      printJson({ pipeline: pipeline.name, ...planLayers(pipeline, inputs, estimates) });
    else printOut(renderPlan(pipeline, inputs, estimates));
  },
});
