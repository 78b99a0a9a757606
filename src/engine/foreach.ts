import { StepFailure, type OutputTails } from "../errors/step-failure.ts";

export interface ItemOutcome {
  index: number;
  ok: boolean;
  value?: unknown;
  error?: StepFailure;
  durationMs: number;
  /** Taken from an earlier run, not computed. */
  reused?: boolean;
}

/** A foreach item that failed while its step kept going (`on_item_failure: continue`). */
export interface FailedItem {
  index: number;
  error: string;
  /** The end of what the item's last attempt printed. */
  output?: OutputTails;
}

/** How {@link runItems} goes through the list. */
export interface ItemsOptions {
  parallel: boolean;
  cap: number;
  signal: AbortSignal;
  /** Results taken from the run being resumed, by index. */
  reused?: ReadonlyMap<number, unknown>;
  /**
   * `continue` (on_item_failure): a failed item leaves `null` in its slot and the others
   * still run; `fail` (the default): the first failure stops the step.
   */
  onItemFailure?: "fail" | "continue";
}

/**
 * Runs `runItem` for every item (docs/execution.md#foreach): in order, or `cap` at a time when `parallel`.
 * Results keep item order. After a failure no new item starts, the ones in flight finish,
 * and every finished item is reported through `onItem`; then the first failure is thrown.
 * With `onItemFailure: "continue"` a failed item does not stop the others: its slot holds
 * `null` and it is listed in `failed` (in index order). A cancelled item (Ctrl-C, the
 * step's flow timing out) still stops the step: the run is ending, not an item failing.
 * Items in `options.reused` (resume) are reported first and not run again.
 */
export async function runItems(
  items: readonly unknown[],
  options: ItemsOptions,
  runItem: (item: unknown, index: number) => Promise<unknown>,
  onItem: (outcome: ItemOutcome) => void,
): Promise<{ results: unknown[]; failed: FailedItem[] }> {
  const keepGoing = options.onItemFailure === "continue";
  const results = new Array<unknown>(items.length);
  const reused = options.reused;
  const pending: number[] = [];
  for (let index = 0; index < items.length; index++) {
    if (reused?.has(index)) {
      results[index] = reused.get(index);
      onItem({ index, ok: true, value: results[index], durationMs: 0, reused: true });
    } else pending.push(index);
  }
  let next = 0;
  const failed: FailedItem[] = [];
  const state: { firstFailure?: ItemOutcome } = {};
  const worker = async () => {
    while (!state.firstFailure && !options.signal.aborted && next < pending.length) {
      const index = pending[next++]!;
      const started = performance.now();
      try {
        results[index] = await runItem(items[index], index);
        onItem({ index, ok: true, value: results[index], durationMs: performance.now() - started });
      } catch (error) {
        const failure = error instanceof StepFailure ? error : new StepFailure(String(error));
        const outcome: ItemOutcome = { index, ok: false, error: failure, durationMs: performance.now() - started };
        if (keepGoing && failure.kind !== "cancelled" && !options.signal.aborted) {
          results[index] = null;
          failed.push({ index, error: failure.message, ...(failure.output ? { output: failure.output } : {}) });
          onItem(outcome);
          continue;
        }
        // Read again: other workers may have failed while this one awaited.
        const current = state.firstFailure as ItemOutcome | undefined;
        if (!current || index < current.index) state.firstFailure = outcome;
        onItem(outcome);
      }
    }
  };
  const workers = options.parallel ? Math.max(1, Math.min(options.cap, pending.length)) : 1;
  await Promise.all(Array.from({ length: workers }, worker));
  const firstFailure = state.firstFailure;
  if (firstFailure) {
    const failure = firstFailure.error!;
    throw Object.assign(
      new StepFailure(
        `item ${firstFailure.index} of ${items.length} failed: ${failure.message}`,
        failure.kind,
        failure.detail,
        failure.output,
      ),
      {
        attempts: (failure as { attempts?: number }).attempts,
      },
    );
  }
  // Keeping going, a Ctrl-C leaves items that never ran: the step did not finish.
  if (options.signal.aborted && next < pending.length) throw new StepFailure("cancelled", "cancelled");
  return { results, failed: failed.sort((a, b) => a.index - b.index) };
}
