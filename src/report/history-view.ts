/**
 * `aiorch history`: the table of recent runs and its JSON form, and what
 * `history prune` reports. Pure functions from rows to text.
 */
import type { PruneResult, RunRow, StepCounts } from "../history/index.ts";
import { formatBytes, formatCompactTime, formatCost, formatRunDuration, isoTime, plural, runDurationMs } from "./history-format.ts";
import { renderTable } from "./table.ts";

/** Step statuses in the order the STEPS cell lists them, with the word it uses. */
const STEP_WORDS = [
  ["success", "ok"],
  ["cached", "cached"],
  ["failed", "failed"],
  ["cancelled", "cancelled"],
  ["skipped", "skipped"],
  ["running", "running"],
] as const;

/** `3 ok (1 reused), 1 failed, 2 skipped`; `-` for a run without recorded steps. A crashed run's running steps were `interrupted`. */
export function formatStepCounts(counts: StepCounts | undefined, run: Pick<RunRow, "status">): string {
  if (!counts || counts.total === 0) return "-";
  const parts: string[] = [];
  for (const [status, word] of STEP_WORDS) {
    const n = counts.byStatus[status];
    if (!n) continue;
    const label = status === "running" && run.status !== "running" ? "interrupted" : word;
    parts.push(status === "success" && counts.reused > 0 ? `${n} ${label} (${counts.reused} reused)` : `${n} ${label}`);
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
    formatCost(run.totalCost),
  ]);
  const table = renderTable(["RUN", "PIPELINE", "STATUS", "STARTED", "DURATION", "STEPS", "COST"], rows);
  if (runs.length < options.limit) return table;
  return `${table}\n(the newest ${plural(options.limit, "run")}; --limit N shows more)`;
}

/** What `aiorch history` prints when there is nothing to list. */
export function renderNoRuns(filtered: boolean, file: string): string {
  return filtered ? "no runs match" : `no runs recorded yet (history: ${file})`;
}

/** The JSON form of one run, shared by `history`, `history RUN_ID` and `trace`. */
export function runJson(run: RunRow, now: number) {
  const duration = runDurationMs(run, now);
  return {
    id: run.id,
    pipeline: run.pipeline,
    file: run.file,
    status: run.status,
    started_at: isoTime(run.startedAt),
    finished_at: isoTime(run.finishedAt),
    duration_ms: duration === undefined ? null : Math.round(duration),
    cost: run.totalCost,
    resumed_from: run.resumedFrom,
    pid: run.pid,
    inputs: run.inputs ?? null,
    imported: run.imported ? { from: run.imported.from, python_run_id: run.imported.id } : null,
  };
}

/** The JSON of a run's step counts: every status with its number (0 when none). */
export function stepCountsJson(counts: StepCounts | undefined) {
  const by = counts?.byStatus ?? {};
  return {
    total: counts?.total ?? 0,
    success: by.success ?? 0,
    reused: counts?.reused ?? 0,
    cached: by.cached ?? 0,
    failed: by.failed ?? 0,
    cancelled: by.cancelled ?? 0,
    skipped: by.skipped ?? 0,
    running: by.running ?? 0,
  };
}

/** `aiorch history --format json`: an array of runs, newest first, each with its step counts. */
export function runListJson(runs: readonly RunRow[], counts: ReadonlyMap<string, StepCounts>, now: number) {
  return runs.map((run) => ({ ...runJson(run, now), steps: stepCountsJson(counts.get(run.id)) }));
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
