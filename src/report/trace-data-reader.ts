/** What `trace` and `history RUN_ID` read of one run: its steps, their foreach items counted, and the failed items. */
import type { HistoryStore, ItemRow, RunRow } from "../history/index.ts";
import { FAILED_ITEMS_SHOWN, type TraceData } from "./trace-data.ts";

/**
 * One query for the steps, one for the item counts of all of them, then one per step with
 * failed items: its first few failures (`allFailures`: all of them). `allItems` (JSON with
 * `-v`) reads every item of each foreach step instead, and takes the failures from those.
 */
export function traceData(
  store: HistoryStore,
  run: RunRow,
  options: { allFailures: boolean; allItems: boolean },
): TraceData {
  const steps = store.getSteps(run.id);
  const itemCounts = store.itemCounts(run.id);
  const failures = new Map<string, readonly ItemRow[]>();
  const items = options.allItems ? new Map<string, readonly ItemRow[]>() : undefined;
  for (const step of steps) {
    if (items && (itemCounts.has(step.name) || step.itemsTotal !== null)) {
      const all = store.getItems(run.id, step.name);
      items.set(step.name, all);
      const failed = all.filter((item) => item.status === "failed");
      if (failed.length > 0) failures.set(step.name, failed);
    } else if ((itemCounts.get(step.name)?.failed ?? 0) > 0) {
      // SQLite reads a negative LIMIT as no limit.
      failures.set(step.name, store.failedItems(run.id, step.name, options.allFailures ? -1 : FAILED_ITEMS_SHOWN));
    }
  }
  return { run, steps, itemCounts, failures, ...(items ? { items } : {}), now: Date.now() };
}
