import { StepFailure } from "../steps/step-failure.ts";

export interface ItemOutcome {
  index: number;
  ok: boolean;
  value?: unknown;
  error?: StepFailure;
}

/**
 * Runs `runItem` for every item (§5.5): in order, or `cap` at a time when `parallel`.
 * Results keep item order. After a failure no new item starts, the ones in flight finish,
 * and every finished item is reported through `onItem`; then the first failure is thrown.
 */
export async function runItems(
  items: readonly unknown[],
  options: { parallel: boolean; cap: number; signal: AbortSignal },
  runItem: (item: unknown, index: number) => Promise<unknown>,
  onItem: (outcome: ItemOutcome) => void,
): Promise<unknown[]> {
  const results = new Array<unknown>(items.length);
  let next = 0;
  const state: { firstFailure?: ItemOutcome } = {};
  const worker = async () => {
    while (!state.firstFailure && !options.signal.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await runItem(items[index], index);
        onItem({ index, ok: true, value: results[index] });
      } catch (error) {
        const failure = error instanceof StepFailure ? error : new StepFailure(String(error));
        const outcome: ItemOutcome = { index, ok: false, error: failure };
        // Read again: other workers may have failed while this one awaited.
        const current = state.firstFailure as ItemOutcome | undefined;
        if (!current || index < current.index) state.firstFailure = outcome;
        onItem(outcome);
      }
    }
  };
  const workers = options.parallel ? Math.max(1, Math.min(options.cap, items.length)) : 1;
  await Promise.all(Array.from({ length: workers }, worker));
  const firstFailure = state.firstFailure;
  if (firstFailure) {
    const failure = firstFailure.error!;
    throw Object.assign(new StepFailure(`item ${firstFailure.index} of ${items.length} failed: ${failure.message}`, failure.kind, failure.detail), {
      attempts: (failure as { attempts?: number }).attempts,
    });
  }
  return results;
}
