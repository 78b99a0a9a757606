import type { EngineEvent, ItemEndEvent, StepEndEvent } from "../engine/events.ts";
import type { HistoryStore, StepRow } from "../history/index.ts";
import { roundUsd } from "../model/money.ts";

interface OpenStep {
  startedAt: number;
  /** The first rendered command, prompt or body (a foreach renders one per item). */
  input?: string;
  /** A foreach's items rendered and not yet ended: each item's own input, recorded with it. */
  itemInputs: Map<number, string>;
  /** The failed item of the lowest index, whose error the step's is: its input is the step's. */
  failed?: { index: number; input: string | undefined };
}

/**
 * Writes one run's engine events into the history as they happen (docs/history.md): a step row when a
 * step ends, an item row when a foreach item ends. The store buffers and commits them in
 * groups, so a crash loses at most the last few milliseconds of finished work.
 */
export class RunRecorder {
  private readonly open = new Map<string, OpenStep>();
  private readonly counts = new Map<string, { total: number; done: number; failed: number }>();

  constructor(
    private readonly store: HistoryStore,
    private readonly runId: string,
  ) {}

  readonly handle = (event: EngineEvent): void => {
    switch (event.type) {
      case "step-start": {
        const startedAt = Date.now();
        this.open.set(event.path, { startedAt, itemInputs: new Map() });
        if (event.items !== undefined) this.counts.set(event.path, { total: event.items, done: 0, failed: 0 });
        // A row at once, so that a crash leaves the step (and its foreach length) on record.
        this.store.recordStep(
          this.row(event.path, event.primitive, "running", {
            startedAt,
            itemsTotal: event.items ?? null,
            itemsDone: event.items === undefined ? null : 0,
            itemsFailed: event.items === undefined ? null : 0,
          }),
        );
        break;
      }
      case "step-rendered": {
        const step = this.open.get(event.path);
        if (!step) break;
        if (step.input === undefined) step.input = event.rendered;
        // A retried item renders again: its last rendering is the one that ran.
        if (event.index !== undefined) step.itemInputs.set(event.index, event.rendered);
        break;
      }
      case "item-end":
        this.item(event);
        break;
      case "step-end":
        this.step(event);
        break;
      default:
        break;
    }
  };

  private item(event: ItemEndEvent): void {
    this.counts.set(event.path, { total: event.total, done: event.done, failed: event.failed });
    const open = this.open.get(event.path);
    const input = open?.itemInputs.get(event.index);
    open?.itemInputs.delete(event.index);
    if (open && event.status === "failed" && (open.failed === undefined || event.index < open.failed.index))
      open.failed = { index: event.index, input };
    this.store.recordItem({
      runId: this.runId,
      step: event.path,
      index: event.index,
      status: event.status,
      output: event.value,
      error: event.error ?? null,
      durationMs: Math.round(event.durationMs),
      input: input ?? null,
      cached: event.cached === true,
      failedAttempts: event.failedAttempts ?? null,
      endedAt: Date.now(),
    });
  }

  private step(event: StepEndEvent): void {
    const open = this.open.get(event.path);
    const counts = this.counts.get(event.path);
    this.open.delete(event.path);
    this.counts.delete(event.path);
    this.store.recordStep(
      this.row(event.path, event.primitive, event.status, {
        attempts: event.attempts,
        startedAt: open?.startedAt ?? null,
        durationMs: Math.round(event.durationMs),
        // A foreach that failed shows the input of the item whose error is its own, not item 0's.
        input: (event.status === "failed" ? open?.failed?.input : undefined) ?? open?.input ?? null,
        output: event.value,
        error:
          event.error === undefined ? null : event.detail ? `${event.error}\n${event.detail.trimEnd()}` : event.error,
        reason: event.reason ?? null,
        log: stepLog(event),
        failedAttempts: event.failedAttempts ?? null,
        itemsTotal: counts?.total ?? null,
        itemsDone: counts?.done ?? null,
        itemsFailed: counts?.failed ?? null,
        ...(event.usage
          ? {
              model: event.usage.model,
              promptTokens: event.usage.promptTokens,
              completionTokens: event.usage.completionTokens,
              cost: roundUsd(event.usage.cost),
              cached: event.usage.hits > 0 && event.usage.calls === 0,
              cacheHits: event.usage.hits,
              llmRequests: event.usage.calls,
              reasks: event.usage.reasks,
            }
          : {}),
      }),
    );
  }

  private row(name: string, primitive: string, status: StepRow["status"], fields: Partial<StepRow>): StepRow {
    return {
      runId: this.runId,
      name,
      primitive,
      status,
      attempts: 0,
      startedAt: null,
      durationMs: 0,
      input: null,
      output: undefined,
      error: null,
      reason: null,
      log: null,
      model: null,
      promptTokens: null,
      completionTokens: null,
      cost: 0,
      cached: false,
      cacheHits: null,
      llmRequests: null,
      reasks: null,
      itemsTotal: null,
      itemsDone: null,
      itemsFailed: null,
      ...fields,
    };
  }
}

/**
 * The step's `log` column: its warnings first, one `warning: …` line each, so the trace shows
 * them (even in its one-line preview), then what it wrote besides its result.
 */
function stepLog(event: StepEndEvent): string | null {
  const lines = [...(event.warnings ?? []).map((warning) => `warning: ${warning}`), ...(event.log ? [event.log] : [])];
  return lines.length > 0 ? lines.join("\n") : null;
}
