/**
 * Helpers of the history/resume end-to-end tests: pipelines are written into a scratch
 * folder and run by the real CLI there (see tests/run/harness.ts); the history lives in
 * that folder's `.aiorch-home`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HistoryStore, type RunRow } from "../../src/history/index.ts";

/** The history database of runs made in `cwd` by the harness. */
export const historyFileIn = (cwd: string): string => join(cwd, ".aiorch-home", "history.db");

/** Reads the history of `cwd` (read-only) with `read`, then closes it. */
export function readHistory<T>(cwd: string, read: (store: HistoryStore) => T): T {
  const file = historyFileIn(cwd);
  if (!existsSync(file)) throw new Error(`no history at ${file}`);
  const store = HistoryStore.open(file, { readonly: true });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/** Every run recorded in `cwd`, newest first. */
export const runsIn = (cwd: string): RunRow[] => readHistory(cwd, (store) => store.listRuns({ limit: 1000 }));

/** The id of the only run recorded in `cwd` (fails the test when there is not exactly one). */
export function onlyRunId(cwd: string): string {
  const runs = runsIn(cwd);
  if (runs.length !== 1) throw new Error(`expected one run in ${cwd}, found ${runs.length}`);
  return runs[0]!.id;
}
