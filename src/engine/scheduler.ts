import type { Step } from "../model/pipeline.ts";
import { buildDag } from "../plan/dag.ts";
import type { RunStatus } from "./events.ts";
import type { StepRecord } from "./step-context.ts";
import { runStep, type PipelineScope } from "./step-runner.ts";

/**
 * Runs a pipeline's DAG with a ready queue (docs/execution.md#scheduling): a step starts the moment every step it
 * depends on has finished — succeeded, or skipped by its own condition. Dependents of a
 * failed or cancelled step are skipped as "upstream failed"; independent branches go on.
 * After a cancellation nothing new starts. Handlers run only when invoked.
 */
export async function runDag(scope: PipelineScope): Promise<RunStatus> {
  const steps = scope.pipeline.steps.filter((s) => !s.isHandler);
  const dag = buildDag(steps);
  const byName = new Map(steps.map((s) => [s.name, s]));
  const waiting = new Map(steps.map((s) => [s.name, dag.parents.get(s.name)!.length]));
  const blocked = new Set<string>();
  let open = steps.length;
  let settle: () => void = () => {};
  const finished = new Promise<void>((resolve) => (settle = resolve));
  if (open === 0) settle();

  const record = (name: string, rec: StepRecord) => {
    scope.records.set(name, rec);
    if (--open === 0) settle();
  };

  const skipDownstream = (name: string, reason: string) => {
    for (const child of dag.children.get(name) ?? []) {
      if (blocked.has(child) || scope.records.has(child)) continue;
      blocked.add(child);
      scope.run.options.emit({
        type: "step-end",
        path: scope.prefix + child,
        primitive: byName.get(child)!.primitive,
        status: "skipped",
        durationMs: 0,
        attempts: 0,
        reason,
      });
      record(child, { name: child, status: "skipped", attempts: 0, durationMs: 0, reason });
      skipDownstream(child, reason);
    }
  };

  const start = (step: Step) => {
    if (scope.signal.aborted) {
      blocked.add(step.name);
      scope.run.options.emit({
        type: "step-end",
        path: scope.prefix + step.name,
        primitive: step.primitive,
        status: "cancelled",
        durationMs: 0,
        attempts: 0,
        reason: "run cancelled",
      });
      record(step.name, { name: step.name, status: "cancelled", attempts: 0, durationMs: 0, reason: "run cancelled" });
      skipDownstream(step.name, "run cancelled");
      return;
    }
    void runStep(scope, step).then((rec) => {
      const failed = rec.status === "failed" || rec.status === "cancelled";
      record(step.name, rec);
      if (failed) {
        skipDownstream(step.name, rec.status === "cancelled" ? "run cancelled" : "upstream failed");
        return;
      }
      for (const child of dag.children.get(step.name) ?? []) {
        const left = waiting.get(child)! - 1;
        waiting.set(child, left);
        if (left === 0 && !blocked.has(child)) start(byName.get(child)!);
      }
    });
  };

  for (const step of steps) if (waiting.get(step.name) === 0) start(step);
  await finished;
  if (scope.signal.aborted) return "cancelled";
  return [...scope.records.values()].some((r) => r.status === "failed" || r.status === "cancelled")
    ? "failed"
    : "success";
}
