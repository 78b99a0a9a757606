import { defineCommand } from "citty";
import { didYouMean } from "../errors/did-you-mean.ts";
import { UserError } from "../errors/user-error.ts";
import { explainJson, explainStep } from "../report/explain-step.ts";
import { loadValidPipeline } from "./load-pipeline.ts";
import { FORMAT_ARG, printJson, printOut } from "./output.ts";

export const explainCommand = defineCommand({
  meta: { name: "explain", description: "Describe one step in plain language: when it runs, what it does, what happens on failure. No LLM is called." },
  args: {
    file: { type: "positional", description: "Pipeline file", required: true },
    step: { type: "positional", description: "Step name", required: true },
    ...FORMAT_ARG,
  },
  async run({ args }) {
    const pipeline = await loadValidPipeline(args.file, args.format);
    const step = pipeline.steps.find((s) => s.name === args.step);
    if (!step) {
      const names = pipeline.steps.map((s) => s.name);
      throw new UserError(`pipeline \`${pipeline.name}\` has no step \`${args.step}\`${didYouMean(args.step, names)}`, { hint: `its steps: ${names.join(", ")}` });
    }
    if (args.format === "json") printJson(explainJson(pipeline, step));
    else printOut(explainStep(pipeline, step));
  },
});
