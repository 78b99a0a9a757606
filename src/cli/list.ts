import { defineCommand } from "citty";
import { listJson, renderList } from "../report/list-view.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, PIPELINE_ARG, printJson, printOut } from "./output.ts";
import { pipelineFileArg } from "../load/pipeline-file.ts";

export const listCommand = defineCommand({
  meta: {
    name: "list",
    description: "List a pipeline's steps with their primitive, depends, condition and foreach, and its inputs.",
  },
  args: { ...PIPELINE_ARG, ...FORMAT_ARG },
  async run({ args }) {
    const pipeline = await loadValidPipeline(pipelineFileArg(args.file));
    if (args.format === "json") printJson(listJson(pipeline));
    else printOut(renderList(pipeline));
  },
});
