import { defineCommand } from "citty";
import { UserError } from "../errors/user-error.ts";
import { drawDag } from "../report/dag-ascii.ts";
import { primitiveLabel } from "../report/step-summary.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, PIPELINE_ARG, printJson, printOut } from "./output.ts";
import { pipelineFileArg } from "../load/pipeline-file.ts";

export const visualizeCommand = defineCommand({
  meta: { name: "visualize", description: "Draw a pipeline's DAG as ASCII (on_failure handlers are listed under it)." },
  args: {
    ...PIPELINE_ARG,
    width: { type: "string", description: "Maximum line width (default: the terminal's, else 100)" },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const pipeline = await loadValidPipeline(pipelineFileArg(args.file), args.format);
    const scheduled = pipeline.steps.filter((s) => !s.isHandler);
    const nodes = scheduled.map((s) => ({ name: s.name, label: s.foreach ? `${primitiveLabel(s)} foreach` : primitiveLabel(s) }));
    const edges = scheduled.flatMap((s) => s.depends.map((d): [string, string] => [d, s.name]));
    if (args.format === "json") {
      printJson({ pipeline: pipeline.name, nodes, edges, handlers: pipeline.steps.filter((s) => s.isHandler).map((s) => ({ name: s.name, for: pipeline.steps.filter((x) => x.onFailure === s.name).map((x) => x.name) })) });
      return;
    }
    const width = args.width !== undefined ? Number(args.width) : process.stdout.columns || 100;
    if (!Number.isInteger(width) || width < 40) {
      throw new UserError(`--width must be a whole number of at least 40, got ${JSON.stringify(args.width)}`, { hint: "e.g. --width 120" });
    }
    const lines = [drawDag(nodes, edges, { width })];
    for (const handler of pipeline.steps.filter((s) => s.isHandler)) {
      const owners = pipeline.steps.filter((s) => s.onFailure === handler.name).map((s) => s.name);
      lines.push(`on failure of ${owners.join(", ")}: ${handler.name} [${primitiveLabel(handler)}]`);
    }
    printOut(lines.join("\n"));
  },
});
