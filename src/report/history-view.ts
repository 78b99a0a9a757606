/**
 * `aiorch history`: the table of recent runs and its JSON form, and what
 * `history prune` reports. Pure functions from rows to text.
 */
import type { PruneResult, RunRow, ShownStatus, StepCounts } from "../history/index.ts";
import {
  formatBytes,
  formatCompactTime,
  formatCostCell,
  formatRunDuration,
  plural,
  runDurationMs,
} from "./history-format.ts";
import { NO_STEPS, recordedRunFacts, runFieldsJson, stepCountsJson, type StepCountFacts } from "./run-document.ts";
import { renderTable } from "./table.ts";

/** Step statuses in the order the STEPS cell lists them, with the word it uses. */
const STEP_WORDS = [
  ["success", "ok"],
  ["failed", "failed"],
  ["cancelled", "cancelled"],
  ["skipped", "skipped"],
  ["running", "running"],
] as const;

/**
 * `3 ok (1 cached, 1 reused), 1 failed, 2 skipped`; `-` for a run without recorded steps. A
 * crashed run's running steps were `interrupted`. `cached`: every answer of the step came
 * from the LLM cache.
 */
export function formatStepCounts(counts: StepCounts | undefined, run: Pick<RunRow, "status">): string {
  if (!counts || counts.total === 0) return "-";
  const parts: string[] = [];
  for (const [status, word] of STEP_WORDS) {
    // Rows of old versions may say `cached`: they succeeded.
    const n = (counts.byStatus[status] ?? 0) + (status === "success" ? (counts.byStatus.cached ?? 0) : 0);
    if (!n) continue;
    const label = status === "running" && run.status !== "running" ? "interrupted" : word;
    const within =
      status === "success"
        ? [
            counts.cached > 0 ? `${counts.cached} cached` : "",
            counts.reused > 0 ? `${counts.reused} reused` : "",
          ].filter(Boolean)
        : [];
    parts.push(within.length > 0 ? `${n} ${label} (${within.join(", ")})` : `${n} ${label}`);
  }
  return parts.join(", ");
}

/** What `renderRunTable` needs besides the runs. */
export interface RunTableOptions {
  /** Step counts by run id (from `HistoryStore.stepCounts`). */
  counts: ReadonlyMap<string, StepCounts>;
  /** The clock, for "today" and the time of runs still going. */
  now: number;
  /** The `--limit` in force: when the table is full, a line says how to see more. */
  limit: number;
}

/**
 * The `aiorch history` table, newest first: id, pipeline (a run imported from the Python
 * aiorch says so, with its old number), status (a dead `running` run is
 * `crashed`), start (local time), duration, steps, cost.
 */
export function renderRunTable(runs: readonly RunRow[], options: RunTableOptions): string {
  const rows = runs.map((run) => [
    run.id,
    run.imported ? `${run.pipeline} (imported #${run.imported.id})` : run.pipeline,
    run.status,
    formatCompactTime(run.startedAt, options.now),
    formatRunDuration(run, options.now),
    formatStepCounts(options.counts.get(run.id), run),
    formatCostCell(run.totalCost),
  ]);
  const table = renderTable(["RUN", "PIPELINE", "STATUS", "STARTED", "DURATION", "STEPS", "COST"], rows);
  if (runs.length < options.limit) return table;
  return `${table}\n(the newest ${plural(options.limit, "run")}; --limit N shows more)`;
}

/** What `aiorch history` prints when there is nothing to list. */
export function renderNoRuns(filtered: boolean, file: string): string {
  return filtered ? "no runs match" : `no runs recorded yet (history: ${file})`;
}

/** The run fields of a recorded run (report/run-document.ts), as `history`, `history RUN_ID`, `trace` and `dashboard` show them. */
export function recordedRunJson(run: RunRow, now: number) {
  return runFieldsJson(recordedRunFacts(run, runDurationMs(run, now)));
}

/** A recorded run's top-level step counts, in the vocabulary of every document. */
export function recordedStepCounts(counts: StepCounts | undefined, runStatus: ShownStatus): StepCountFacts {
  if (!counts) return { ...NO_STEPS };
  const by = counts.byStatus;
  const running = by.running ?? 0;
  return {
    total: counts.total,
    succeeded: (by.success ?? 0) + (by.cached ?? 0),
    failed: by.failed ?? 0,
    cancelled: by.cancelled ?? 0,
    skipped: by.skipped ?? 0,
    running: runStatus === "running" ? running : 0,
    interrupted: runStatus === "running" ? 0 : running,
    cached: counts.cached,
    reused: counts.reused,
  };
}

/** `aiorch history --format json`: an array of runs, newest first, each with its step counts. */
export function runListJson(runs: readonly RunRow[], counts: ReadonlyMap<string, StepCounts>, now: number) {
  return runs.map((run) => ({
    ...recordedRunJson(run, now),
    step_counts: stepCountsJson(recordedStepCounts(counts.get(run.id), run.status)),
  }));
}

/** What `history prune` was asked for. */
export interface PruneRequest {
  /** The age as given: `30d`. */
  olderThan?: string;
  keep?: number;
}

/** `older than 30d, keeping the newest 5`. */
function describeRequest(request: PruneRequest): string {
  const parts: string[] = [];
  if (request.olderThan !== undefined) parts.push(`older than ${request.olderThan}`);
  if (request.keep !== undefined) parts.push(`keeping the newest ${request.keep}`);
  return parts.join(", ");
}

/** `deleted 12 runs (older than 30d); reclaimed 1.2 MB (4.0 MB → 2.8 MB)`, or that there was nothing to delete. */
export function renderPrune(result: PruneResult, request: PruneRequest): string {
  const which = describeRequest(request);
  if (result.runs === 0) return `nothing to delete (${which}); the history takes ${formatBytes(result.bytesAfter)}`;
  const reclaimed = Math.max(0, result.bytesBefore - result.bytesAfter);
  return `deleted ${plural(result.runs, "run")} (${which}); reclaimed ${formatBytes(reclaimed)} (${formatBytes(result.bytesBefore)} → ${formatBytes(result.bytesAfter)})`;
}

/** `history prune --format json`. */
export function pruneJson(result: PruneResult) {
  return {
    deleted_runs: result.runs,
    bytes_before: result.bytesBefore,
    bytes_after: result.bytesAfter,
    bytes_reclaimed: Math.max(0, result.bytesBefore - result.bytesAfter),
  };
}
