/**
 * The run history (docs/history.md): runs, steps, foreach items and the LLM cache in one SQLite file,
 * `$AIORCH_HOME/history.db` unless the config's `storage.path` says otherwise.
 */
import { join } from "node:path";
import { aiorchHome } from "../load/config.ts";

export { HistoryStore, type HistoryOptions } from "./history-store.ts";
export type { ResumeBlock } from "./resume-lock.ts";
export { SCHEMA_VERSION } from "./migrations.ts";
export { numericRunIdError } from "./run-queries.ts";
export type { DashboardFigures, FailedRun, ModelTotals, PeriodTotals, PipelineTotals } from "./dashboard-queries.ts";
export { onPythonImport, type PythonImportReport } from "./import-notices.ts";
export { PYTHON_HISTORY_NAME } from "./python-history.ts";
export { redact, secretsFrom } from "./redact.ts";
export type { GroupCommitOptions } from "./group-commit.ts";
export type {
  ItemCounts,
  ItemRow,
  PruneOptions,
  PruneResult,
  RunFilter,
  RunRow,
  RunStart,
  RunStatus,
  ShownStatus,
  StepCounts,
  StepRow,
  RecordedAttempt,
} from "./types.ts";

/**
 * Where the history database lives: `storagePath` (config `storage.path`, already made
 * absolute by the caller) if given, else `$AIORCH_HOME/history.db` (default `~/.aiorch`).
 */
export function historyPath(options: { storagePath?: string; env?: Record<string, string | undefined> } = {}): string {
  return options.storagePath ?? join(aiorchHome(options.env), "history.db");
}
