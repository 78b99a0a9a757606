import { defineCommand } from "citty";
import { UserError } from "../errors/user-error.ts";
import { drawDag } from "../report/dag-ascii.ts";
import { describeDag } from "../report/dag-description.ts";
import { renderDot } from "../report/dag-dot.ts";
import { renderMermaid } from "../report/dag-mermaid.ts";
import { primitiveLabel } from "../report/step-summary.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { PIPELINE_ARG, printJson, printOut } from "./output.ts";
import { pipelineFileArg } from "../load/pipeline-file.ts";

export const visualizeCommand = defineCommand({
  meta: {
    name: "visualize",
    description:
      "Draw a pipeline's DAG: as ASCII (on_failure handlers are listed under it), or as Mermaid or Graphviz dot text for docs and pull requests.",
  },
  args: {
    ...PIPELINE_ARG,
    width: {
      type: "string",
      description: "Maximum line width of the ASCII drawing (default: the terminal's, else 100)",
    },
    format: {
      type: "enum" as const,
      options: ["ascii", "text", "mermaid", "dot", "json"],
      default: "ascii",
      description: "ascii (or text: the same), mermaid (a flowchart TD), dot (a Graphviz digraph) or json",
    },
  },
  async run({ args }) {
    const pipeline = await loadValidPipeline(pipelineFileArg(args.file));
    const scheduled = pipeline.steps.filter((s) => !s.isHandler);
    const nodes = scheduled.map((s) => ({
      name: s.name,
      label: s.foreach ? `${primitiveLabel(s)} foreach` : primitiveLabel(s),
    }));
    const edges = scheduled.flatMap((s) => s.depends.map((d): [string, string] => [d, s.name]));
    if (args.format === "json") {
      printJson({
        pipeline: pipeline.name,
        nodes,
        edges,
        handlers: pipeline.steps
          .filter((s) => s.isHandler)
          .map((s) => ({ name: s.name, for: pipeline.steps.filter((x) => x.onFailure === s.name).map((x) => x.name) })),
      });
      return;
    }
    if (args.format === "mermaid" || args.format === "dot") {
      const dag = describeDag(pipeline);
      printOut(args.format === "mermaid" ? renderMermaid(dag) : renderDot(dag));
      return;
    }
    const width = args.width !== undefined ? Number(args.width) : process.stdout.columns || 100;
    if (!Number.isInteger(width) || width < 40) {
      throw new UserError(`--width must be a whole number of at least 40, got ${JSON.stringify(args.width)}`, {
        hint: "e.g. --width 120",
      });
    }
    const lines = [drawDag(nodes, edges, { width })];
    for (const handler of pipeline.steps.filter((s) => s.isHandler)) {
      const owners = pipeline.steps.filter((s) => s.onFailure === handler.name).map((s) => s.name);
      lines.push(`on failure of ${owners.join(", ")}: ${handler.name} [${primitiveLabel(handler)}]`);
    }
    printOut(lines.join("\n"));
  },
});
