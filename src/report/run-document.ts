/**
 * The JSON vocabulary of a run, one for every command that shows one (`run`, `resume`,
 * `history`, `history RUN_ID`, `trace`, `dashboard`): the same run fields, the same step
 * object, the same item and step counts, snake_case names, times in ISO 8601 (UTC, `Z`),
 * durations in milliseconds, money in USD. A live run (`run --format json`) and a recorded
 * one are first turned into the facts below, then written by the same functions, so the
 * documents cannot drift apart. docs/cli.md ("JSON output") shows each shape, and
 * tests/commands/json-shapes.test.ts checks the commands against it.
 */
import type { RecordedAttempt, RunRow, ShownStatus, StepRow } from "../history/index.ts";
import { isoTime, isResumable, isReused } from "./history-format.ts";
import type { ItemSummary } from "./trace-data.ts";

/** A run, recorded or live. Times are epoch milliseconds. */
export interface RunFacts {
  runId: string;
  pipeline: string;
  file: string;
  status: ShownStatus;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  cost: number;
  resumedFrom: string | null;
  inputs: unknown;
  imported: RunRow["imported"];
  pid: number;
  /** The run is in a history, so `aiorch resume` can find it. */
  recorded: boolean;
}

/** A step's outcome as every document shows it. */
export type ShownStepStatus = "success" | "failed" | "skipped" | "cancelled" | "running" | "interrupted";

/** A failed foreach item: its index, its error and its own rendered input (null when not recorded). */
export interface FailedItemFacts {
  index: number;
  error: string;
  input: string | null;
  /** The end of what its last attempt printed. */
  output: { stdout: string; stderr: string } | null;
}

/** One step (`parent/child` inside a flow), recorded or live. */
export interface StepFacts {
  name: string;
  primitive: string;
  status: ShownStepStatus;
  reused: boolean;
  attempts: number;
  /** Null for a step that never started (skipped, reused). */
  startedAt: number | null;
  /** Null while it runs (or when its run crashed). */
  durationMs: number | null;
  error: string | null;
  reason: string | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cost: number;
  /** Every answer came from the LLM cache. */
  cached: boolean;
  cacheHits: number | null;
  llmRequests: number | null;
  reasks: number | null;
  items: ItemSummary | undefined;
  failedItems: readonly FailedItemFacts[];
  /** Every failed attempt (a step without foreach; a failed foreach step: its failing item's). */
  failedAttempts: readonly RecordedAttempt[];
  /** What went wrong although the step succeeded (an answer cut off at max_tokens). */
  warnings: readonly string[];
}

/** How many steps ended how; `total` is the sum of the six outcomes, `cached` and `reused` count succeeded ones. */
export interface StepCountFacts {
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
  running: number;
  interrupted: number;
  cached: number;
  reused: number;
}

/** The shown status of a recorded step: one still `running` in a run that is not is `interrupted`. */
export function shownStepStatus(status: StepRow["status"], runStatus: ShownStatus): ShownStepStatus {
  if (status === "cached") return "success";
  return status === "running" && runStatus !== "running" ? "interrupted" : status;
}

/** The run fields of every document. */
export function runFieldsJson(run: RunFacts) {
  return {
    run_id: run.runId,
    pipeline: run.pipeline,
    file: run.file,
    status: run.status,
    started_at: isoTime(run.startedAt),
    ended_at: isoTime(run.endedAt),
    duration_ms: run.durationMs === null ? null : Math.round(run.durationMs),
    cost: run.cost,
    resumed_from: run.resumedFrom,
    resumable: run.recorded && isResumable(run.status) && !run.imported,
    inputs: run.inputs ?? null,
    imported: run.imported ? { from: run.imported.from, python_run_id: run.imported.id } : null,
    pid: run.pid,
  };
}

/** `items` of a step: null without `foreach:`. */
export function itemsJson(items: ItemSummary | undefined) {
  if (!items) return null;
  return {
    total: items.total,
    succeeded: items.succeeded,
    failed: items.failed,
    cancelled: items.cancelled,
    not_run: items.notRun,
    cached: items.cached,
  };
}

/** Failed attempts as JSON: `attempt`, `item` (a foreach item's), `error`, `stdout_tail`, `stderr_tail`. */
export function attemptsJson(attempts: readonly RecordedAttempt[] | null | undefined) {
  return (attempts ?? []).map((a) => ({
    attempt: a.attempt,
    ...(a.item !== undefined ? { item: a.item } : {}),
    error: a.error,
    stdout_tail: a.output?.stdout ?? "",
    stderr_tail: a.output?.stderr ?? "",
  }));
}

/** The step object of `run`, `history RUN_ID` and `trace`. */
export function stepJson(step: StepFacts) {
  const ended = step.startedAt !== null && step.durationMs !== null;
  // The end of what the attempt that failed the step printed: its last failed attempt's.
  const last = step.status === "failed" ? step.failedAttempts[step.failedAttempts.length - 1]?.output : undefined;
  return {
    name: step.name,
    primitive: step.primitive,
    status: step.status,
    reused: step.reused,
    attempts: step.attempts,
    started_at: isoTime(step.startedAt),
    ended_at: ended ? isoTime(step.startedAt! + Math.round(step.durationMs!)) : null,
    duration_ms: step.durationMs === null ? null : Math.round(step.durationMs),
    error: step.error,
    stdout_tail: last?.stdout ?? null,
    stderr_tail: last?.stderr ?? null,
    failed_attempts: attemptsJson(step.failedAttempts),
    warnings: [...step.warnings],
    reason: step.reason,
    model: step.model,
    prompt_tokens: step.promptTokens,
    completion_tokens: step.completionTokens,
    cost: step.cost,
    cached: step.cached,
    cache_hits: step.cacheHits,
    llm_requests: step.llmRequests,
    reasks: step.reasks,
    items: itemsJson(step.items),
    failed_items: step.failedItems.map((item) => ({
      index: item.index,
      error: item.error,
      input: item.input,
      stdout_tail: item.output?.stdout ?? null,
      stderr_tail: item.output?.stderr ?? null,
    })),
  };
}

/** `step_counts`: the top-level steps (not those inside flows) counted by outcome. */
export function stepCountsJson(counts: StepCountFacts) {
  return {
    total: counts.total,
    succeeded: counts.succeeded,
    failed: counts.failed,
    cancelled: counts.cancelled,
    skipped: counts.skipped,
    running: counts.running,
    interrupted: counts.interrupted,
    cached: counts.cached,
    reused: counts.reused,
  };
}

/** No steps yet. */
export const NO_STEPS: StepCountFacts = {
  total: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  skipped: 0,
  running: 0,
  interrupted: 0,
  cached: 0,
  reused: 0,
};

/** Counts of the top-level steps among `steps` (names without `/`). */
export function countSteps(steps: readonly StepFacts[]): StepCountFacts {
  const counts = { ...NO_STEPS };
  for (const step of steps) {
    if (step.name.includes("/")) continue;
    counts.total++;
    if (step.status === "success") {
      counts.succeeded++;
      if (step.cached) counts.cached++;
      if (step.reused) counts.reused++;
    } else counts[step.status]++;
  }
  return counts;
}

/** The facts of a recorded run. */
export function recordedRunFacts(run: RunRow, durationMs: number | undefined): RunFacts {
  return {
    runId: run.id,
    pipeline: run.pipeline,
    file: run.file,
    status: run.status,
    startedAt: run.startedAt,
    endedAt: run.finishedAt,
    durationMs: durationMs ?? null,
    cost: run.totalCost,
    resumedFrom: run.resumedFrom,
    inputs: run.inputs,
    imported: run.imported,
    pid: run.pid,
    recorded: true,
  };
}

/** The facts of a recorded step: its row, its items counted, its failed items (as many as were read). */
export function recordedStepFacts(
  step: StepRow,
  runStatus: ShownStatus,
  items: ItemSummary | undefined,
  failed: readonly {
    index: number;
    error: string | null;
    input?: string | null;
    failedAttempts?: readonly RecordedAttempt[] | null;
  }[],
): StepFacts {
  const status = shownStepStatus(step.status, runStatus);
  return {
    name: step.name,
    primitive: step.primitive,
    status,
    reused: isReused(step),
    attempts: step.attempts,
    startedAt: step.startedAt,
    durationMs:
      step.startedAt === null
        ? status === "skipped" || isReused(step)
          ? 0
          : null
        : status === "running" || status === "interrupted"
          ? null
          : step.durationMs,
    error: step.error,
    reason: step.reason,
    model: step.model,
    promptTokens: step.promptTokens,
    completionTokens: step.completionTokens,
    cost: step.cost,
    cached: step.cached,
    cacheHits: step.cacheHits ?? null,
    llmRequests: step.llmRequests ?? null,
    reasks: step.reasks ?? null,
    items,
    failedItems: failed.map((item) => ({
      index: item.index,
      error: item.error ?? "failed",
      input: item.input ?? null,
      output: item.failedAttempts?.[item.failedAttempts.length - 1]?.output ?? null,
    })),
    failedAttempts: step.failedAttempts ?? [],
    warnings: recordedWarnings(step.log ?? null),
  };
}

/** The warnings the recorder wrote at the top of a step's log, one `warning: …` line each. */
function recordedWarnings(log: string | null): string[] {
  const warnings: string[] = [];
  for (const line of (log ?? "").split("\n")) {
    if (!line.startsWith("warning: ")) break;
    warnings.push(line.slice("warning: ".length));
  }
  return warnings;
}
