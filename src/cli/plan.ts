import { defineCommand } from "citty";
import { planLayers, renderPlan } from "../report/plan-view.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, printJson, printOut } from "./output.ts";

export const planCommand = defineCommand({
  meta: { name: "plan", description: "Show the DAG layers of a pipeline: each step's depth, primitive, model and foreach size. Runs nothing." },
  args: { file: { type: "positional", description: "Pipeline file", required: true }, ...FORMAT_ARG },
  async run({ args }) {
    const pipeline = await loadValidPipeline(args.file, args.format);
    if (args.format === "json") printJson({ pipeline: pipeline.name, ...planLayers(pipeline) });
    else printOut(renderPlan(pipeline));
  },
});
