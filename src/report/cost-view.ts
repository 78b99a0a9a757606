import { totalOf, type StepEstimate } from "../llm/estimate.ts";
import { formatUsd } from "../model/money.ts";
import { renderTable } from "./table.ts";

/** The `aiorch cost` text: one row per prompt step, then the total. */
export function renderCostEstimate(pipeline: string, estimates: readonly StepEstimate[]): string {
  if (estimates.length === 0) return `Pipeline: ${pipeline}\nNo prompt: steps: this pipeline makes no LLM calls.`;
  const rows = estimates.map((e) => [
    e.step,
    e.model,
    e.perItem ? "1 per item" : String(e.calls),
    `~${e.promptTokens}`,
    String(e.completionTokens),
    `~${formatUsd(e.usd)}${e.fallbackPrice ? " *" : e.pricedBy === "local" ? " †" : ""}`,
  ]);
  const lines = [
    `Pipeline: ${pipeline}`,
    renderTable(["step", "model", "calls", "prompt tok", "completion tok", "cost"], rows),
    `Total estimated cost: ~${formatUsd(totalOf(estimates))}`,
  ];
  if (estimates.some((e) => e.perItem))
    lines.push(
      'A foreach whose list is only known at run time is counted once ("1 per item"); give its input with -i for a full estimate.',
    );
  if (estimates.some((e) => e.fallbackPrice))
    lines.push(
      "* model not in the price table: a deliberately high fallback rate is used (llm.prices in the config sets its rates).",
    );
  if (estimates.some((e) => e.pricedBy === "local"))
    lines.push("† answered by an endpoint on this machine: $0 unless llm.prices in the config sets the model's rates.");
  lines.push("Estimates: prompt tokens ≈ rendered characters / 4; completion = max_tokens or 500.");
  return lines.join("\n");
}
