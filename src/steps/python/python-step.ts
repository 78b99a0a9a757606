import { StepFailure } from "../step-failure.ts";
import { registerExecutor, type StepCall, type StepOutput } from "../registry.ts";

/**
 * §5.3 + §3.1: `result`, else the printed output, from a pooled python3 worker. The attempt's
 * signal carries the timeout: on abort the pool kills the worker, so the code really stops.
 */
export async function executePython(call: StepCall): Promise<StepOutput> {
  call.rendered(call.step.body);
  const outcome = await call.python().run({
    step: call.path,
    body: call.step.body,
    context: call.context,
    contextId: call.contextId,
    extra: call.extra,
    env: call.env,
    cwd: call.cwd,
    signal: call.signal,
  });
  if (outcome.ok) return { value: outcome.value };
  if (outcome.kind === "timeout" || outcome.kind === "cancelled") {
    if (call.signal.aborted) throw call.signal.reason;
    throw new StepFailure(outcome.message, outcome.kind === "timeout" ? "timeout" : "cancelled");
  }
  throw new StepFailure(outcome.message, "error", outcome.traceback);
}

registerExecutor("python", executePython);
