/** What the CLI says, once, when it finds the Python aiorch's history where ours goes (docs/history.md). */
import { onPythonImport, type PythonImportReport } from "../history/import-notices.ts";
import { printErr } from "./output.ts";

/** `1 run`, `12 runs` (kept here: dispatch loads this module for every command, so it stays small). */
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The notice (or warning) for one import; on stderr, so that `--format json` output stays a document. */
export function pythonImportText(report: PythonImportReport): string {
  if (report.error !== undefined) {
    return [
      `warning: ${report.found} was the Python aiorch's history; it was moved, unchanged, to ${report.keptAt},`,
      `  but its runs could not be imported (${report.error}); a new history starts at ${report.found}`,
    ].join("\n");
  }
  return [
    `note: ${report.found} was the Python aiorch's history: imported ${plural(report.runs, "run")} (${plural(report.steps, "step")}) into a new history there;`,
    `  the original is kept, unchanged, at ${report.keptAt}. \`aiorch history\` shows them (the ids end in -py<number>)`,
  ].join("\n");
}

/** From now on, an import is told on stderr. */
export function reportPythonImports(): void {
  onPythonImport((report) => printErr(pythonImportText(report)));
}
