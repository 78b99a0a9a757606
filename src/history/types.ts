/** The rows of the run history, as the engine writes them and `history`/`trace`/`resume` read them. */

/** A run's status as stored. */
export type RunStatus = "running" | "success" | "failed" | "cancelled";

/** A run's status as shown: `crashed` is a stored `running` whose process is gone. */
export type ShownStatus = RunStatus | "crashed";

/** One `aiorch run`. Times are epoch milliseconds. */
export interface RunRow {
  id: string;
  /** The pipeline's `name:`. */
  pipeline: string;
  /** The pipeline file's path. */
  file: string;
  /** The inputs the run was given (redacted). */
  inputs: unknown;
  status: ShownStatus;
  startedAt: number;
  finishedAt: number | null;
  /** The final total once finished; while running (or crashed), the sum of the steps recorded so far. */
  totalCost: number;
  pid: number;
  /** The run this one resumed, for `aiorch resume`. */
  resumedFrom: string | null;
  /** A run of the Python aiorch, copied from its history: that file and the run's integer id there. */
  imported: { from: string; id: number } | null;
  /** The pipeline file's absolute path; null for runs recorded before schema 7 and imported runs. */
  filePath: string | null;
  /** SHA-256 (hex) of the pipeline file and of every flow file under it, by absolute path; null as `filePath`. */
  sources: Record<string, string> | null;
  /** Digest of the inputs as they were, before masking (see inputs-digest.ts); null as `filePath`. */
  inputsDigest: string | null;
  /**
   * The run whose results this one reused although its pipeline or inputs differed (`run --reuse`,
   * or a resume of a file edited since): its results may not be what its file and inputs make.
   */
  reusedUnmatched: string | null;
}

/** What `startRun` needs. */
export interface RunStart {
  id: string;
  pipeline: string;
  file: string;
  inputs: unknown;
  pid: number;
  /** When that process started (see process-identity.ts); default: looked up from `pid`. */
  pidStart?: string;
  startedAt: number;
  resumedFrom?: string;
  /** The pipeline file's absolute path (default: `file` made absolute). */
  filePath?: string;
  /** SHA-256 of the pipeline file and its flow files, by absolute path (see {@link RunRow.sources}). */
  sources?: Record<string, string>;
  /** See {@link RunRow.reusedUnmatched}. */
  reusedUnmatched?: string;
  /** The top-level steps and what each depends on (the run's DAG, for `aiorch ui`). */
  graph?: Record<string, readonly string[]>;
}

/** The result of one step (`step`, or `parent/child` inside a flow). */
export interface StepRow {
  runId: string;
  /** `step`, or `parent/child` inside a flow. */
  name: string;
  primitive: string;
  /** `running`: started and not ended (still running, or its run crashed). */
  status: "running" | "success" | "failed" | "skipped" | "cancelled" | "cached";
  attempts: number;
  /** Null for a step that never started (skipped). */
  startedAt: number | null;
  durationMs: number;
  /** The rendered command, prompt or python body. */
  input: string | null;
  output: unknown;
  error: string | null;
  /** Why it was skipped: `condition is false`, `upstream failed`. */
  reason: string | null;
  /** What it wrote besides its result: run: stderr, python: print() output and stderr. */
  log?: string | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cost: number;
  /** Every answer came from the LLM cache. */
  cached: boolean;
  /** prompt: questions answered from the LLM cache; null for other steps and rows recorded before schema 9. */
  cacheHits?: number | null;
  /** prompt: requests sent to the endpoint (re-asks included). */
  llmRequests?: number | null;
  /** prompt: of those requests, re-asks after an answer that was not valid JSON or did not match the schema. */
  reasks?: number | null;
  /** Foreach counters; null for a step without `foreach:`. */
  itemsTotal: number | null;
  itemsDone: number | null;
  itemsFailed: number | null;
  /**
   * A secret was masked in `input` or `output`: what is recorded is not what the step
   * saw or made, so resume and `run --step/--from` run the step again. Set by the store.
   */
  masked?: boolean;
  /** Every failed attempt of a step without foreach (retried ones included); null when none failed. */
  failedAttempts?: RecordedAttempt[] | null;
}

/** A failed attempt of a step or foreach item, as recorded: its error and the end of what it printed. */
export interface RecordedAttempt {
  attempt: number;
  /** The foreach item, by index. */
  item?: number;
  error: string;
  /** The last lines of stdout and stderr ("" when it printed nothing on that stream). */
  output?: { stdout: string; stderr: string };
}

/** One iteration of a `foreach:` step. */
export interface ItemRow {
  runId: string;
  /** The step's name, as in {@link StepRow.name}. */
  step: string;
  index: number;
  status: "success" | "failed" | "cancelled";
  output: unknown;
  error: string | null;
  durationMs: number;
  /** The item's own rendered command, prompt or body; null when not recorded (a reused item, rows before schema 9). */
  input?: string | null;
  /** A prompt step's item answered from the LLM cache. */
  cached?: boolean;
  /** A secret was masked in `output` (see {@link StepRow.masked}). Set by the store. */
  masked?: boolean;
  /** Every failed attempt of the item; null when none failed. */
  failedAttempts?: RecordedAttempt[] | null;
  /** When it ended (epoch ms); null for rows before schema 10. */
  endedAt?: number | null;
}

/** Filters of `listRuns`. */
export interface RunFilter {
  /** At most this many runs, newest first (default 20). */
  limit?: number;
  pipeline?: string;
  status?: ShownStatus;
}

/** What `prune` deletes: runs matching every option given. */
export interface PruneOptions {
  /** Runs that started more than this many milliseconds before `now`. */
  olderThanMs?: number;
  /** Runs other than the newest `keep`. */
  keep?: number;
  /** The clock (default `Date.now()`). */
  now?: number;
}

/** What `prune` did: the number of runs deleted and the size of the database files before and after. */
export interface PruneResult {
  runs: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** How the top-level steps of one run ended (steps inside flows are not counted). */
export interface StepCounts {
  total: number;
  /** Steps by stored status; a status no step has is absent. */
  byStatus: Partial<Record<StepRow["status"], number>>;
  /** Succeeded steps whose result was taken from an earlier run (`resume`, `run --step/--from`). */
  reused: number;
  /** Succeeded steps whose every answer came from the LLM cache. */
  cached: number;
}

/** The recorded foreach items of one step, by status. */
export interface ItemCounts {
  success: number;
  failed: number;
  cancelled: number;
  /** Of the successful ones, answered from the LLM cache. */
  cached: number;
}
