import { setOwn } from "../model/own-key.ts";
import { dirname } from "node:path";
import { InputsError, resolveInputs } from "../load/inputs.ts";
import { META_NAME, type Pipeline, type RunMeta } from "../model/pipeline.ts";
import "../steps/index.ts";
import { compileTemplate } from "../template/index.ts";
import type { RunStatus } from "./events.ts";
import type { RunContext } from "./run-context.ts";
import { runDag } from "./scheduler.ts";
import { roundUsd } from "../model/money.ts";
import { publishResults, type StepRecord } from "./step-context.ts";
import { StepFailure } from "../errors/step-failure.ts";
import type { PipelineScope } from "./step-runner.ts";

export interface RunResult {
  status: RunStatus;
  durationMs: number;
  /** Top-level steps, in pipeline order (handlers included when they ran). */
  steps: StepRecord[];
  /** Declared `outputs:`, else every successful step's result by name. */
  outputs: Record<string, unknown>;
  /** USD spent by the run's prompt calls. */
  cost: number;
  /** Why the outputs could not be computed, when that is what failed. */
  outputError?: string;
}

/** Results readable by `outputs:` templates: inputs, every successful step (and alias), `_meta`. */
function resultContext(
  pipeline: Pipeline,
  inputs: Record<string, unknown>,
  records: ReadonlyMap<string, StepRecord>,
  meta: RunMeta,
) {
  const context: Record<string, unknown> = { ...inputs, [META_NAME]: meta };
  publishResults(context, inputs, pipeline.steps, records);
  return context;
}

/** docs/pipeline-reference.md#results-names-and-context for a pipeline: its declared outputs (templates keep types), else all step results. */
export function pipelineOutputs(
  pipeline: Pipeline,
  inputs: Record<string, unknown>,
  records: ReadonlyMap<string, StepRecord>,
  meta: RunMeta,
): Record<string, unknown> {
  const context = resultContext(pipeline, inputs, records, meta);
  if (!pipeline.outputs) {
    return Object.fromEntries(
      pipeline.steps
        .filter((s) => records.get(s.name)?.status === "success")
        .map((s) => [s.name, records.get(s.name)!.value]),
    );
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pipeline.outputs)) {
    try {
      setOwn(outputs, key, typeof value === "string" ? compileTemplate(value).evaluate(context) : value);
    } catch (error) {
      throw new StepFailure(`outputs.${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return outputs;
}

/** Runs a whole pipeline (inputs already resolved) and computes its outputs. */
export async function runPipeline(
  pipeline: Pipeline,
  inputs: Record<string, unknown>,
  run: RunContext,
): Promise<RunResult> {
  const started = performance.now();
  const scope = makeScope(run, pipeline, inputs, "", run.signal);
  let status = await runDag(scope);
  let outputs: Record<string, unknown> = {};
  let outputError: string | undefined;
  try {
    outputs = pipelineOutputs(pipeline, inputs, scope.records, run.meta(pipeline));
  } catch (error) {
    // After a failed step its result is missing, and so are the outputs that read it: the
    // step's failure is the news, not the outputs'.
    if (status === "success") {
      outputError = error instanceof Error ? error.message : String(error);
      status = "failed";
    }
  }
  const steps = pipeline.steps.flatMap((s) => (scope.records.has(s.name) ? [scope.records.get(s.name)!] : []));
  const durationMs = performance.now() - started;
  const cost = roundUsd(run.cost);
  run.options.emit({ type: "run-end", status, durationMs, steps: steps.length, cost });
  return { status, durationMs, steps, outputs, cost, ...(outputError ? { outputError } : {}) };
}

function makeScope(
  run: RunContext,
  pipeline: Pipeline,
  inputs: Record<string, unknown>,
  prefix: string,
  signal: AbortSignal,
): PipelineScope {
  return {
    run,
    pipeline,
    inputs,
    records: new Map(),
    prefix,
    signal,
    runFlow: (child, given, path, flowSignal) => runFlow(run, child, given, path, flowSignal),
  };
}

/** docs/execution.md#flow-steps: a sub-pipeline as a nested DAG of the same run; its steps report as `parent/child`. */
async function runFlow(
  run: RunContext,
  child: Pipeline,
  given: Record<string, unknown>,
  path: string,
  signal: AbortSignal,
): Promise<unknown> {
  let inputs: Record<string, unknown>;
  try {
    inputs = await resolveInputs(child.inputs, child.declaresInputs, {
      pairs: [],
      cwd: run.options.cwd,
      defaultsDir: dirname(child.file),
      values: given,
      env: run.options.env,
    });
  } catch (error) {
    if (error instanceof InputsError)
      throw new StepFailure(`inputs of sub-pipeline \`${child.name}\`: ${error.message}`);
    throw error;
  }
  const scope = makeScope(run, child, inputs, `${path}/`, signal);
  const status = await runDag(scope);
  if (status !== "success") {
    const failed = [...scope.records.values()].find((r) => r.status === "failed");
    throw new StepFailure(
      failed
        ? `sub-pipeline \`${child.name}\` failed at step \`${failed.name}\`: ${failed.error}`
        : `sub-pipeline \`${child.name}\` ${status}`,
      status === "cancelled" ? "cancelled" : "error",
      failed?.detail,
      failed?.output,
    );
  }
  // As the Python aiorch returns a flow's value: with no outputs: and exactly one step that
  // publishes an output: name, that step's result is the value.
  const published = child.steps.filter(
    (s) => s.output !== undefined && scope.records.get(s.name)?.status === "success",
  );
  if (!child.outputs && published.length === 1) return scope.records.get(published[0]!.name)!.value;
  return pipelineOutputs(child, inputs, scope.records, run.meta(child));
}
