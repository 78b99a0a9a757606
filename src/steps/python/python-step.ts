import { formatDuration } from "../../model/duration.ts";
import { maxOutputBytes } from "../../model/output-limit.ts";
import { outputTails, StepFailure } from "../../errors/step-failure.ts";
import type { PythonStep } from "../../model/pipeline.ts";
import { registerExecutor, type StepCall, type StepOutput } from "../registry.ts";
import { PYTHON_POOL } from "./pool-service.ts";

/**
 * docs/execution.md#python-steps + docs/pipeline-reference.md#results-names-and-context: `result`, else the printed output, from a pooled python3 worker. The pool
 * applies the timeout from when a worker takes the job (waiting for a free worker does not
 * count) and kills the worker on timeout or abort, so the code really stops.
 */
export async function executePython(call: StepCall<PythonStep>): Promise<StepOutput> {
  call.rendered(call.step.body);
  const pool = await call.service(PYTHON_POOL);
  const outcome = await pool.run({
    step: call.path,
    body: call.step.body,
    context: call.context,
    contextId: call.contextId,
    extra: call.extra,
    ...(call.timeoutMs !== undefined ? { timeoutMs: call.timeoutMs } : {}),
    env: call.env,
    cwd: call.cwd,
    signal: call.signal,
    maxOutput: maxOutputBytes(call.env),
    onOutput: call.onOutput,
  });
  if (outcome.ok) {
    const log = [outcome.stdout, outcome.stderr ?? ""].filter((text) => text.trim() !== "").join("\n");
    return { value: outcome.value, ...(log ? { log } : {}) };
  }
  const output = outputTails(outcome.stdout, outcome.stderr ?? "");
  if (outcome.kind === "timeout")
    throw new StepFailure(`timed out after ${formatDuration(call.timeoutMs ?? 0)}`, "timeout", undefined, output);
  if (outcome.kind === "cancelled") {
    if (call.signal.aborted) throw call.signal.reason;
    throw new StepFailure(outcome.message, "cancelled");
  }
  throw new StepFailure(outcome.message, "error", outcome.traceback, output);
}

registerExecutor("python", executePython, { timesItself: true, printsOutput: true, bodyIsCode: true });
