import type { Step } from "../model/pipeline.ts";
import type { StepOutput } from "../steps/registry.ts";
import type { StepFailure } from "../errors/step-failure.ts";
import type { FailedAttempt, StepEndEvent } from "./events.ts";
import type { ItemOutcome } from "./foreach.ts";
import type { RunContext } from "./run-context.ts";
import type { StepRecord } from "./step-context.ts";
import { StepLog, StepWarnings } from "./step-log.ts";

/**
 * What one step tells the run's listeners, and the record it ends with: its start line,
 * its retries, each foreach item's end, its saved files, and its end with what its calls
 * used, wrote and warned, and the attempts that failed.
 */
export class StepReport {
  /** The most attempts any call of the step (or any of its items) took. */
  attempts = 0;
  private started = performance.now();
  private announced = false;
  private readonly logs = new StepLog();
  private readonly warnings = new StepWarnings();
  /** Failed attempts of a step without foreach; a foreach item's are reported with the item. */
  private readonly failedAttempts: FailedAttempt[] = [];
  private readonly itemAttempts = new Map<number, FailedAttempt[]>();
  /** Items answered from the LLM cache. */
  private readonly cachedItems = new Set<number>();
  private itemsDone = 0;
  private itemsFailed = 0;

  constructor(
    private readonly run: RunContext,
    private readonly step: Step,
    /** `step`, or `parent/child` inside a flow. */
    readonly path: string,
  ) {}

  private get emit() {
    return this.run.options.emit;
  }

  /**
   * The start line, once: when the step really starts (its first concurrency slot), or a
   * foreach step once its list is known.
   */
  announce(items?: number, reusedItems?: number): void {
    if (this.announced) return;
    this.announced = true;
    this.started = performance.now();
    this.emit({
      type: "step-start",
      path: this.path,
      primitive: this.step.primitive,
      ...(items !== undefined ? { items } : {}),
      ...(reusedItems ? { reusedItems } : {}),
    });
  }

  /** What one successful call wrote besides its result (item `index` of a foreach). */
  took(output: StepOutput, index: number | undefined): void {
    this.logs.add(output.log, index);
    this.warnings.add(output.warnings, index);
    if (index !== undefined && output.cached) this.cachedItems.add(index);
  }

  /** Attempt `attempt` failed and another follows after `delayMs`. */
  retrying(failure: StepFailure, attempt: number, index: number | undefined, delayMs: number): void {
    this.attemptFailed(failure, attempt, index);
    this.emit({
      type: "step-retry",
      path: this.path,
      ...(index !== undefined ? { item: index } : {}),
      attempt,
      error: failure.message,
      ...(failure.output ? { output: failure.output } : {}),
      delayMs,
    });
  }

  /** Notes a failed attempt, for the step's record or its item's. */
  attemptFailed(failure: StepFailure, attempt: number, index: number | undefined): void {
    const entry: FailedAttempt = {
      attempt,
      ...(index !== undefined ? { item: index } : {}),
      error: failure.message,
      ...(failure.output ? { output: failure.output } : {}),
    };
    if (index === undefined) this.failedAttempts.push(entry);
    else this.itemAttempts.set(index, [...(this.itemAttempts.get(index) ?? []), entry]);
  }

  /** A foreach item ended (or was taken from an earlier run). */
  itemEnded(outcome: ItemOutcome, total: number): void {
    if (outcome.ok) this.itemsDone++;
    else this.itemsFailed++;
    const status = outcome.ok ? "success" : outcome.error?.kind === "cancelled" ? "cancelled" : "failed";
    const attempts = this.itemAttempts.get(outcome.index);
    this.emit({
      type: "item-end",
      path: this.path,
      index: outcome.index,
      status,
      durationMs: outcome.durationMs,
      done: this.itemsDone,
      failed: this.itemsFailed,
      total,
      ...(outcome.ok
        ? { value: outcome.value }
        : {
            error: outcome.error?.message ?? "failed",
            ...(outcome.error?.output ? { output: outcome.error.output } : {}),
          }),
      ...(outcome.reused ? { reused: true } : {}),
      ...(attempts ? { failedAttempts: attempts } : {}),
      ...(outcome.ok && this.cachedItems.has(outcome.index) ? { cached: true } : {}),
    });
    this.itemAttempts.delete(outcome.index);
  }

  /** `save:` wrote these files. */
  saved(files: string[]): void {
    if (files.length > 0) this.emit({ type: "step-saved", path: this.path, files });
  }

  /** The step's end: its record, told to the listeners. `reused`: taken from an earlier run. */
  finish(record: Omit<StepRecord, "name" | "durationMs">, reused = false): StepRecord {
    const usage = this.run.usageOf(this.path);
    const log = this.logs.text();
    const warned = this.warnings.list();
    // A step that failed through something other than its own attempts (a foreach item, a
    // flow's step) keeps the output that came with its failure as its one failed attempt.
    const failedAttempts =
      this.failedAttempts.length > 0
        ? this.failedAttempts
        : record.output && record.error
          ? [{ attempt: record.attempts, error: record.error, output: record.output }]
          : [];
    const full: StepRecord = {
      name: this.step.name,
      durationMs: this.announced ? performance.now() - this.started : 0,
      ...record,
      ...(usage ? { usage } : {}),
      ...(log ? { log } : {}),
      ...(warned ? { warnings: warned } : {}),
      ...(failedAttempts.length ? { failedAttempts } : {}),
    };
    const { name: _name, ...fields } = full;
    const event: StepEndEvent = {
      type: "step-end",
      path: this.path,
      primitive: this.step.primitive,
      ...fields,
      ...(this.step.isHandler ? { handler: true } : {}),
      ...(reused ? { reused } : {}),
    };
    this.emit(event);
    return full;
  }
}
