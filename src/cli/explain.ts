import { defineCommand } from "citty";
import { existsSync, statSync } from "node:fs";
import { didYouMean } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import { findPipelineFile } from "../load/pipeline-file.ts";
import { explainJson, explainStep } from "../report/explain-step.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, printJson, printOut } from "./output.ts";

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/**
 * Which argument is the file: ours is `explain FILE STEP`, the Python aiorch's was
 * `explain STEP [FILE]`. One argument is the step (the pipeline of the current folder);
 * of two, the one that is an existing file is the file (the first, if both are).
 */
export function explainArgs(first: string | undefined, second: string | undefined): { file: string; step: string } {
  if (first === undefined)
    throw new UserError("which step?", {
      hint: "`aiorch explain FILE STEP`, or `aiorch explain STEP` for the pipeline in the current folder",
    });
  if (second === undefined) {
    if (isFile(first))
      throw new UserError(`which step of ${first}?`, {
        hint: `\`aiorch explain ${first} STEP\`; \`aiorch list ${first}\` lists its steps`,
      });
    return { file: findPipelineFile(), step: first };
  }
  if (!isFile(first) && isFile(second)) return { file: second, step: first };
  return { file: first, step: second };
}

export const explainCommand = defineCommand({
  meta: {
    name: "explain",
    description:
      "Describe one step in plain language: when it runs, what it does, what happens on failure. No LLM is called. `explain FILE STEP`; `explain STEP [FILE]` (the Python aiorch's order) works too.",
  },
  args: {
    file: {
      type: "positional",
      description: "Pipeline file (or the step, for the pipeline in the current folder)",
      required: false,
      valueHint: "FILE",
    },
    step: { type: "positional", description: "Step name", required: false, valueHint: "STEP" },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const { file, step: name } = explainArgs(args.file, args.step);
    const pipeline = await loadValidPipeline(file);
    const step = pipeline.steps.find((s) => s.name === name);
    if (!step) {
      const names = pipeline.steps.map((s) => s.name);
      throw new UserError(`pipeline \`${pipeline.name}\` has no step \`${name}\`${didYouMean(name, names)}`, {
        hint: `its steps: ${names.join(", ")}`,
      });
    }
    if (args.format === "json") printJson(explainJson(pipeline, step));
    else printOut(explainStep(pipeline, step));
  },
});
