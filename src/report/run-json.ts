import type { RunResult } from "../engine/run-pipeline.ts";
import { roundUsd } from "../model/money.ts";
import { stringifyPyJson } from "../model/py-json.ts";
import { traceOrder } from "./trace-data.ts";
import { countSteps, runFieldsJson, stepCountsJson, stepJson, type RunFacts, type StepFacts } from "./run-document.ts";

/** What the `run --format json` document is made of besides the engine's result. */
export interface RunJsonParts {
  run: Omit<RunFacts, "status" | "durationMs" | "cost">;
  result: RunResult;
  /** Every step, flow children included (`StepCollector.steps()`). */
  steps: readonly StepFacts[];
}

/**
 * The `run --format json` (and `resume`) document: the run fields, `outputs`,
 * `outputs_error`, `step_counts` and `steps`, in the vocabulary of report/run-document.ts.
 */
export function runDocument({ run, result, steps }: RunJsonParts) {
  return {
    // The span of the run as recorded (ended_at − started_at), as `history` shows it.
    ...runFieldsJson({
      ...run,
      status: result.status,
      durationMs: run.endedAt === null ? result.durationMs : run.endedAt - run.startedAt,
      cost: roundUsd(result.cost),
    }),
    outputs: result.outputs,
    outputs_error: result.outputError ?? null,
    step_counts: stepCountsJson(countSteps(steps)),
    // As `trace` orders them: each flow step followed by its own steps.
    steps: traceOrder(steps).map(({ step }) => stepJson(step)),
  };
}

/** The document as printed. Values are Python-exact JSON (`src/model/py-json.ts`): ints keep every digit, floats their `.0`, bytes are `{"$bytes": base64}`. */
export function runJson(document: ReturnType<typeof runDocument>): string {
  return stringifyPyJson(document, { indent: 2 });
}
