/**
 * The JSON the UI's server sends and its pages read. The run and step objects are those of
 * `aiorch trace RUN_ID --format json` (src/report/run-document.ts, trace-json.ts): one
 * vocabulary for the terminal, the CI and the browser. The server's builders are typed
 * against these interfaces, and so is the front end, so the two cannot drift apart.
 * Pure types: checked by both tsconfigs.
 */

export type RunStatus = "running" | "success" | "failed" | "cancelled" | "crashed";
export type StepStatus = "success" | "failed" | "skipped" | "cancelled" | "running" | "interrupted";
export type ItemStatus = "success" | "failed" | "cancelled";

export interface StepCountsJson {
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

/** The run fields of every document (`runFieldsJson`). */
export interface RunJson {
  run_id: string;
  pipeline: string;
  file: string;
  status: RunStatus;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  cost: number;
  resumed_from: string | null;
  resumable: boolean;
  inputs: unknown;
  imported: { from: string; python_run_id: number } | null;
  pid: number;
}

/** A row of the runs list: the run, its step counts and the questions the LLM cache answered. */
export interface RunListEntry extends RunJson {
  step_counts: StepCountsJson;
  cache_hits: number;
}

export interface RunPagePayload {
  runs: RunListEntry[];
  /** The id to ask `after=` for the next page; null on the last page. */
  next: string | null;
  /** Every pipeline recorded, for the filter. */
  pipelines: string[];
}

export interface AttemptJson {
  attempt: number;
  item?: number;
  error: string;
  stdout_tail?: string;
  stderr_tail?: string;
}

export interface ItemsJson {
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  not_run: number;
  cached: number;
}

/** A step as `trace --format json` shows it. */
export interface StepJson {
  name: string;
  primitive: string;
  status: StepStatus;
  reused: boolean;
  attempts: number;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  error: string | null;
  stdout_tail: string | null;
  stderr_tail: string | null;
  failed_attempts: unknown[];
  warnings: string[];
  reason: string | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost: number;
  cached: boolean;
  cache_hits: number | null;
  llm_requests: number | null;
  reasks: number | null;
  items: ItemsJson | null;
  failed_items: {
    index: number;
    error: string;
    input: string | null;
    stdout_tail: string | null;
    stderr_tail: string | null;
  }[];
  depth: number;
  offset_ms: number | null;
  input: string | null;
  output: unknown;
  log: string | null;
}

/** One run: the trace document, its DAG, the runs that resumed it, and the clock of the server. */
export interface RunPayload extends RunJson {
  step_counts: StepCountsJson;
  steps: StepJson[];
  /** Top-level step → the steps it depends on; null for runs recorded before the DAG was kept. */
  graph: Record<string, string[]> | null;
  resumes: string[];
  /** The server's clock (ms) when this was read: a running step's bar ends there. */
  now: number;
}

/** A foreach item as `trace -v --format json` shows it (`all_items`). */
export interface ItemJson {
  index: number;
  status: ItemStatus;
  cached: boolean;
  input: string | null;
  output: unknown;
  error: string | null;
  failed_attempts: unknown[];
  duration_ms: number;
}

export interface ItemPagePayload {
  /** Items matching the filter, in all. */
  total: number;
  offset: number;
  items: ItemJson[];
}

/** Every item of a step as columns, for the item timeline; `ended_at` in epoch ms (null before schema 10). */
export interface ItemTimelinePayload {
  index: number[];
  status: ItemStatus[];
  ended_at: (number | null)[];
  duration_ms: number[];
  cached: boolean[];
}

export interface DailyCostJson {
  /** The UTC day, `2026-05-01`. */
  day: string;
  key: string;
  cost: number;
  runs: number;
}

export interface CostsPayload {
  since: string;
  pipelines: DailyCostJson[];
  models: (DailyCostJson & { cache_hits: number; tokens: number })[];
  /** The LLM response cache: answers kept, times reused, and the money those reuses saved. */
  cache: { entries: number; hits: number; saved_usd: number };
  total_cost: number;
}

export interface PipelinePayload {
  pipeline: string;
  runs: RunListEntry[];
  /** Of the finished runs shown, the share that succeeded (0–1); null when none finished. */
  success_rate: number | null;
  finished: number;
}

/** What `trace --html` inlines: the run, and every item and item timeline of its foreach steps. */
export interface ExportedRun {
  run: RunPayload;
  items: Record<string, ItemJson[]>;
  timelines: Record<string, ItemTimelinePayload>;
}
