/**
 * `aiorch history RUN_ID`: one run's summary (file, inputs, status, times, cost, the run it
 * resumed, how its steps ended, the errors of the failed ones, what to do next).
 */
import type { RunRow, StepCounts, StepRow } from "../history/index.ts";
import { formatDuration } from "../model/duration.ts";
import { stringifyPyJson } from "../model/py-json.ts";
import { formatUsd } from "../model/money.ts";
import { formatTimestamp, isResumable, plural, runDurationMs } from "./history-format.ts";
import { formatStepCounts } from "./history-view.ts";
import type { TraceData } from "./trace-data.ts";

/** Lines of an error shown under a failed step; `aiorch trace ID -v` shows the rest. */
const ERROR_LINES = 5;
/** Width of one input's value. */
const VALUE_WIDTH = 100;

/** What a summary shows: the run as a trace reads it, and its top-level step counts (`HistoryStore.stepCounts`). */
export interface RunSummary extends TraceData {
  counts: StepCounts | undefined;
}

/** A run with no prompt step (a skipped one counts) spends nothing: its views print no cost. */
export function hasPromptSteps(steps: readonly StepRow[]): boolean {
  return steps.some((s) => s.primitive === "prompt" || s.model !== null);
}

function oneLineJson(value: unknown): string {
  const text = stringifyPyJson(value, { bytes: (bytes) => `<${bytes.byteLength} bytes>` });
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}

function inputLines(inputs: unknown): string[] {
  if (inputs === undefined || inputs === null) return ["(none)"];
  if (typeof inputs !== "object" || Array.isArray(inputs)) return [oneLineJson(inputs)];
  const entries = Object.entries(inputs);
  if (entries.length === 0) return ["(none)"];
  return entries.map(([key, value]) => `${key} = ${oneLineJson(value)}`);
}

function statusLine(run: RunRow): string {
  if (run.status === "crashed") return `crashed (its process, pid ${run.pid}, is gone: it stopped without finishing)`;
  if (run.status === "running") return `running (pid ${run.pid})`;
  return run.status;
}

/** Where an imported run came from. */
export function importedLine(imported: NonNullable<RunRow["imported"]>): string {
  return `run #${imported.id} of the Python aiorch (from ${imported.from})`;
}

/** Label and value lines, the value column aligned; extra lines of a value are indented to it. */
function fields(entries: [string, string[]][]): string[] {
  const width = Math.max(...entries.map(([label]) => label.length));
  return entries.flatMap(([label, values]) =>
    values.map((value, i) => `${(i === 0 ? label : "").padEnd(width)}  ${value}`.trimEnd()),
  );
}

function errorBlock(step: StepRow): string[] {
  const attempts = step.attempts > 1 ? ` (${plural(step.attempts, "attempt")})` : "";
  const lines = (step.error ?? "failed").replace(/\s+$/, "").split("\n");
  const shown = lines.slice(0, ERROR_LINES).map((line) => `      ${line}`.trimEnd());
  if (lines.length > ERROR_LINES) shown.push(`      … ${plural(lines.length - ERROR_LINES, "more line")}`);
  return [`  ✗ ${step.name}${attempts}`, ...shown];
}

/** The text of `aiorch history RUN_ID`. */
export function renderRunSummary(summary: RunSummary): string {
  const { run, steps, counts, now } = summary;
  const duration = runDurationMs(run, now);
  const finished =
    run.finishedAt !== null
      ? `${formatTimestamp(run.finishedAt)} (took ${formatDuration(duration ?? 0)})`
      : run.status === "running"
        ? `- (running for ${formatDuration(duration ?? 0)})`
        : "-";
  const nested = steps.filter((s) => s.name.includes("/")).length;
  const stepLine = `${formatStepCounts(counts, run)}${nested > 0 ? `; ${nested} more inside flows` : ""}`;
  const lines = fields([
    ["run", [run.id]],
    ["pipeline", [run.pipeline]],
    ["file", [run.file]],
    ["status", [statusLine(run)]],
    ["started", [formatTimestamp(run.startedAt)]],
    ["finished", [finished]],
    ...(hasPromptSteps(steps) ? ([["cost", [formatUsd(run.totalCost)]]] as [string, string[]][]) : []),
    ...(run.resumedFrom ? ([["resumed", [`from run ${run.resumedFrom}`]]] as [string, string[]][]) : []),
    ...(run.imported ? ([["imported", [importedLine(run.imported)]]] as [string, string[]][]) : []),
    ["inputs", run.imported ? ["(the Python aiorch did not record them)"] : inputLines(run.inputs)],
    ["steps", [stepLine]],
  ]);
  const failed = steps.filter((s) => s.status === "failed");
  if (failed.length > 0) lines.push("", "failed steps", ...failed.flatMap(errorBlock));
  const interrupted = steps.filter((s) => s.status === "running");
  if (interrupted.length > 0 && run.status !== "running") {
    lines.push("", "still running when the run stopped", ...interrupted.map((s) => `  ? ${s.name}`));
  }
  lines.push("", `aiorch trace ${run.id}   every step: timing, input, output, errors`);
  if (isResumable(run.status) && !run.imported) lines.push(`aiorch resume ${run.id}  runs again what did not succeed`);
  return lines.join("\n");
}
