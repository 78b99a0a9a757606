import { defineCommand } from "citty";
import { listJson, renderList } from "../report/list-view.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, printJson, printOut } from "./output.ts";

export const listCommand = defineCommand({
  meta: { name: "list", description: "List a pipeline's steps with their primitive, depends, condition and foreach, and its inputs." },
  args: { file: { type: "positional", description: "Pipeline file", required: true }, ...FORMAT_ARG },
  async run({ args }) {
    const pipeline = await loadValidPipeline(args.file, args.format);
    if (args.format === "json") printJson(listJson(pipeline));
    else printOut(renderList(pipeline));
  },
});
