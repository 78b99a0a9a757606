import type { RunResult } from "../engine/run-pipeline.ts";
import { roundUsd } from "../llm/pricing.ts";

/** Bytes cannot be JSON: they are shown as base64 with a marker. */
function jsonSafe(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString("base64") } : value;
}

/** The `--format json` document of §5.7. */
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
      ...(s.reason ? { reason: s.reason } : {}),
    })),
  };
  return JSON.stringify(doc, jsonSafe, 2);
}
