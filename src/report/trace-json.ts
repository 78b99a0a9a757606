/** `aiorch trace RUN_ID --format json`: the run, its steps in trace order, their items counted (and with `-v`, listed). */
import type { ItemRow, RecordedAttempt } from "../history/index.ts";
import { runJson } from "./history-view.ts";
import { isoTime, isReused } from "./history-format.ts";
import { itemSummary, traceOrder, type TraceData } from "./trace-data.ts";

function itemJson(item: ItemRow) {
  return { index: item.index, status: item.status, output: item.output ?? null, error: item.error, failed_attempts: attemptsJson(item.failedAttempts), duration_ms: item.durationMs };
}

/** Failed attempts as JSON: `attempt`, `item` (foreach), `error`, `stdout_tail`, `stderr_tail`. */
function attemptsJson(attempts: readonly RecordedAttempt[] | null | undefined) {
  return (attempts ?? []).map((a) => ({ attempt: a.attempt, ...(a.item !== undefined ? { item: a.item } : {}), error: a.error, stdout_tail: a.output?.stdout ?? "", stderr_tail: a.output?.stderr ?? "" }));
}

/** The trace document: `run` (as in `history --format json`) and `steps`, parents before the steps of their flow. */
export function traceJson(data: TraceData) {
  const { run } = data;
  return {
    run: runJson(run, data.now),
    steps: traceOrder(data.steps).map(({ step, depth }) => {
      const summary = itemSummary(step, data.itemCounts.get(step.name));
      const all = data.items?.get(step.name);
      return {
        name: step.name,
        depth,
        primitive: step.primitive,
        status: step.status === "running" && run.status !== "running" ? "interrupted" : step.status,
        reused: isReused(step),
        attempts: step.attempts,
        started_at: isoTime(step.startedAt),
        offset_ms: step.startedAt === null ? null : step.startedAt - run.startedAt,
        duration_ms: step.durationMs,
        input: step.input,
        output: step.output ?? null,
        error: step.error,
        log: step.log ?? null,
        failed_attempts: attemptsJson(step.failedAttempts),
        reason: step.reason,
        model: step.model,
        prompt_tokens: step.promptTokens,
        completion_tokens: step.completionTokens,
        cost: step.cost,
        cached: step.cached,
        items: summary
          ? {
              ...summary,
              failures: (data.failures.get(step.name) ?? []).map((item) => ({ index: item.index, error: item.error, failed_attempts: attemptsJson(item.failedAttempts) })),
              ...(all ? { list: all.map(itemJson) } : {}),
            }
          : null,
      };
    }),
  };
}
