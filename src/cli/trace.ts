import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import type { HistoryStore, ItemRow, RunRow } from "../history/index.ts";
import { documentJson } from "../report/history-format.ts";
import { FAILED_ITEMS_SHOWN, type TraceData } from "../report/trace-data.ts";
import { traceJson } from "../report/trace-json.ts";
import { renderTrace } from "../report/trace-view.ts";
import { locateHistory, noRunsYet, readHistory } from "./history.ts";
import { FORMAT_ARG, printOut } from "./output.ts";

export const traceCommand = defineCommand({
  meta: {
    name: "trace",
    description: "A recorded run step by step: status, attempts, start offset, duration on a common timeline, cost, tokens, cache hits, foreach item counts and failures, errors, rendered input and output (one line each; whole with -v).",
  },
  args: {
    run_id: { type: "positional", required: true, description: "A run id from `aiorch history`, any part of one (4+ characters, e.g. its last 4) that no other id has, or `last` (the newest run)" },
    verbose: { type: "boolean", alias: "v", description: "Inputs, outputs and errors whole, every failed foreach item; with --format json, every item" },
    config: { type: "string", alias: "c", description: "Config file (default: aiorch.yaml in or above the current folder, else $AIORCH_HOME/config.yaml); its storage.path says where the history is", valueHint: "FILE" },
    ...FORMAT_ARG,
  },
  run({ args }) {
    const file = locateHistory(args.config);
    const id = String(args.run_id);
    if (!existsSync(file)) throw noRunsYet(file, id);
    const verbose = Boolean(args.verbose);
    const json = args.format === "json";
    readHistory(file, (store) => {
      const data = traceData(store, store.requireRun(id), { allFailures: verbose, allItems: verbose && json });
      if (json) printOut(documentJson(traceJson(data)));
      else printOut(renderTrace(data, { verbose, ...(process.stdout.isTTY ? { columns: process.stdout.columns || 80 } : {}) }));
    });
  },
});

/**
 * One query for the steps, one for the item counts of all of them, then one per step with
 * failed items: its first few failures (`allFailures`: all of them). `allItems` (JSON with
 * `-v`) reads every item of each foreach step instead, and takes the failures from those.
 */
function traceData(store: HistoryStore, run: RunRow, options: { allFailures: boolean; allItems: boolean }): TraceData {
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
