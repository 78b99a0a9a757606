import { defineCommand } from "citty";
import { totalOf } from "../llm/estimate.ts";
import { renderCostEstimate } from "../report/cost-view.ts";
import { estimatesFor } from "./llm-args.ts";
import { printJson, printOut } from "./output.ts";
import { ESTIMATE_ARGS, loadForEstimate } from "./plan.ts";

export const costCommand = defineCommand({
  meta: {
    name: "cost",
    description:
      "Estimate what a pipeline's prompt steps will cost (prompt ≈ characters / 4 tokens, completion = max_tokens or 500, × the model's rates). Calls nothing.",
  },
  args: ESTIMATE_ARGS,
  async run({ args, rawArgs }) {
    const { pipeline, inputs, config } = await loadForEstimate(args, rawArgs);
    const estimates = estimatesFor(pipeline, inputs, config, args.model);
    if (args.format === "json") {
      printJson({
        pipeline: pipeline.name,
        total_usd: totalOf(estimates),
        steps: estimates.map((e) => ({
          name: e.step,
          model: e.model,
          calls: e.calls,
          per_item: e.perItem,
          prompt_tokens: e.promptTokens,
          completion_tokens: e.completionTokens,
          usd: e.usd,
          fallback_rate: e.fallbackPrice,
          priced_by: e.pricedBy,
        })),
      });
    } else printOut(renderCostEstimate(pipeline.name, estimates));
  },
});
