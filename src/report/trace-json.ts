/**
 * The JSON of a recorded run: `history RUN_ID --format json` and `trace RUN_ID --format json`
 * are the same document (report/run-document.ts) — the run fields, `step_counts` and
 * `steps` — and the trace's steps carry more: their depth in the flow tree, start offset,
 * rendered input, result and log, and with `-v` every item.
 */
import type { ItemRow, StepCounts } from "../history/index.ts";
import { recordedRunJson, recordedStepCounts } from "./history-view.ts";
import { attemptsJson, recordedStepFacts, stepCountsJson, stepJson } from "./run-document.ts";
import { itemSummary, traceOrder, type TraceData, type TraceEntry } from "./trace-data.ts";

/** One foreach item as `trace -v --format json` and the web UI show it. */
export function itemJson(item: ItemRow) {
  return {
    index: item.index,
    status: item.status,
    cached: item.cached === true,
    input: item.input ?? null,
    output: item.output ?? null,
    error: item.error,
    failed_attempts: attemptsJson(item.failedAttempts),
    duration_ms: item.durationMs,
  };
}

/** The run, its top-level step counts and every step in trace order, each with `detail(entry)` added. */
function recordedRunDocument<T extends object>(
  data: TraceData,
  counts: StepCounts | undefined,
  detail: (entry: TraceEntry) => T,
) {
  const { run } = data;
  return {
    ...recordedRunJson(run, data.now),
    step_counts: stepCountsJson(recordedStepCounts(counts, run.status)),
    steps: traceOrder(data.steps).map((entry) => {
      const { step } = entry;
      const facts = recordedStepFacts(
        step,
        run.status,
        itemSummary(step, data.itemCounts.get(step.name)),
        data.failures.get(step.name) ?? [],
      );
      return { ...stepJson(facts), ...detail(entry) };
    }),
  };
}

/** `aiorch history RUN_ID --format json`. */
export function runSummaryJson(data: TraceData, counts: StepCounts | undefined) {
  return recordedRunDocument(data, counts, () => ({}));
}

/** `aiorch trace RUN_ID --format json`: the steps with their detail; `all_items` only with `-v`. */
export function traceJson(data: TraceData, counts: StepCounts | undefined) {
  const { run } = data;
  return recordedRunDocument(data, counts, ({ step, depth }) => {
    const all = data.items?.get(step.name);
    return {
      depth,
      offset_ms: step.startedAt === null ? null : step.startedAt - run.startedAt,
      input: step.input,
      output: step.output ?? null,
      log: step.log ?? null,
      ...(all ? { all_items: all.map(itemJson) } : {}),
    };
  });
}
