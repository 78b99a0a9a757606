/**
 * What happened when a Python aiorch history was found where ours goes. The history
 * never prints (only the CLI does): the CLI registers a listener, and every open that
 * imports (or fails to) tells it once.
 */

/** One import of the Python aiorch's `history.db`. */
export interface PythonImportReport {
  /** Where the Python file was found (where our history now is). */
  found: string;
  /** Where it was moved, unchanged. */
  keptAt: string;
  runs: number;
  steps: number;
  /** Why nothing was imported; the run goes on with a new, empty history. */
  error?: string;
}

type Listener = (report: PythonImportReport) => void;

let listener: Listener | undefined;

/** Sets the one listener (the CLI's printer); undefined removes it. */
export function onPythonImport(next: Listener | undefined): void {
  listener = next;
}

/** Tells the listener, if any. */
export function announcePythonImport(report: PythonImportReport): void {
  listener?.(report);
}
