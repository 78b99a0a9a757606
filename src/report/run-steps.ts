/**
 * The steps of a live run as `run --format json` shows them: an engine listener that
 * collects, for every step (flow children included, `parent/child`), what the history
 * recorder writes — start time, outcome, LLM usage, foreach items counted, and each failed
 * item with its own rendered input — so that the run document has the same step objects as
 * `history RUN_ID` and `trace` (report/run-document.ts).
 */
import type { EngineEvent, ItemEndEvent, StepEndEvent } from "../engine/events.ts";
import { roundUsd } from "../model/money.ts";
import type { FailedItemFacts, StepFacts } from "./run-document.ts";

interface OpenStep {
  startedAt: number;
  primitive: string;
  total: number | undefined;
  succeeded: number;
  failed: number;
  cancelled: number;
  cached: number;
  /** Items rendered and not yet ended: a failed one keeps its own input. */
  inputs: Map<number, string>;
  failures: FailedItemFacts[];
}

export class StepCollector {
  private readonly open = new Map<string, OpenStep>();
  private readonly done: StepFacts[] = [];
  /** Steps in the order they started (a step that never started: when it ended), as the history orders them. */
  private readonly order: string[] = [];

  readonly handle = (event: EngineEvent): void => {
    switch (event.type) {
      case "step-start":
        this.order.push(event.path);
        this.open.set(event.path, {
          startedAt: Date.now(),
          primitive: event.primitive,
          total: event.items,
          succeeded: 0,
          failed: 0,
          cancelled: 0,
          cached: 0,
          inputs: new Map(),
          failures: [],
        });
        break;
      case "step-rendered":
        if (event.index !== undefined) this.open.get(event.path)?.inputs.set(event.index, event.rendered);
        break;
      case "item-end":
        this.item(event);
        break;
      case "step-end":
        this.end(event);
        break;
      default:
        break;
    }
  };

  /** Every step that ended, in the order they started. */
  steps(): StepFacts[] {
    const byName = new Map(this.done.map((step) => [step.name, step]));
    return this.order.map((name) => byName.get(name)).filter((step): step is StepFacts => step !== undefined);
  }

  private item(event: ItemEndEvent): void {
    const step = this.open.get(event.path);
    if (!step) return;
    const input = step.inputs.get(event.index);
    step.inputs.delete(event.index);
    if (event.status === "success") {
      step.succeeded++;
      if (event.cached) step.cached++;
    } else if (event.status === "cancelled") step.cancelled++;
    else {
      step.failed++;
      step.failures.push({
        index: event.index,
        error: event.error ?? "failed",
        input: input ?? null,
        output: event.output ?? null,
      });
    }
  }

  private end(event: StepEndEvent): void {
    const step = this.open.get(event.path);
    this.open.delete(event.path);
    if (!step) this.order.push(event.path);
    const usage = event.usage;
    const total = step?.total;
    this.done.push({
      name: event.path,
      primitive: event.primitive,
      status: event.status,
      reused: event.reused === true,
      attempts: event.attempts,
      startedAt: step ? step.startedAt : null,
      durationMs: event.durationMs,
      error: event.error ?? null,
      reason: event.reason ?? null,
      model: usage?.model ?? null,
      promptTokens: usage?.promptTokens ?? null,
      completionTokens: usage?.completionTokens ?? null,
      cost: roundUsd(usage?.cost ?? 0),
      cached: usage !== undefined && usage.hits > 0 && usage.calls === 0,
      cacheHits: usage?.hits ?? null,
      llmRequests: usage?.calls ?? null,
      reasks: usage?.reasks ?? null,
      items:
        step && total !== undefined
          ? {
              total,
              succeeded: step.succeeded,
              failed: step.failed,
              cancelled: step.cancelled,
              notRun: total - step.succeeded - step.failed - step.cancelled,
              cached: step.cached,
            }
          : undefined,
      failedItems: (step?.failures ?? []).sort((a, b) => a.index - b.index),
      failedAttempts: event.failedAttempts ?? [],
      warnings: event.warnings ?? [],
    });
  }
}
