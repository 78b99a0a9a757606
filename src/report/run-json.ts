import type { RunResult } from "../engine/run-pipeline.ts";
import { roundUsd } from "../llm/pricing.ts";
import { stringifyPyJson } from "../model/py-json.ts";

/**
 * The `--format json` document of §5.7. Values are Python-exact JSON (`src/model/py-json.ts`):
 * ints keep every digit, floats their `.0`, bytes are shown as `{"$bytes": base64}`.
 */
export function runJson(runId: string, result: RunResult): string {
  const doc = {
    run_id: runId,
    status: result.status,
    duration_ms: Math.round(result.durationMs),
    cost: result.cost,
    outputs: result.outputs,
    ...(result.outputError ? { error: result.outputError } : {}),
    steps: result.steps.map((s) => ({
      name: s.name,
      status: s.status,
      attempts: s.attempts,
      duration_ms: Math.round(s.durationMs),
      cost: roundUsd(s.usage?.cost ?? 0),
      ...(s.usage ? { model: s.usage.model, prompt_tokens: s.usage.promptTokens, completion_tokens: s.usage.completionTokens, cache_hits: s.usage.hits } : {}),
      error: s.error ?? null,
      stdout_tail: s.output?.stdout ?? null,
      stderr_tail: s.output?.stderr ?? null,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.warnings ? { warnings: s.warnings } : {}),
      ...(s.failedItems ? { failed_items: s.failedItems.map((f) => ({ index: f.index, error: f.error, stdout_tail: f.output?.stdout ?? null, stderr_tail: f.output?.stderr ?? null })) } : {}),
    })),
  };
  return stringifyPyJson(doc, { indent: 2 });
}
