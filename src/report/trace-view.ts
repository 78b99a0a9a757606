/**
 * `aiorch trace RUN_ID`: a run step by step. A header (run, pipeline, status, duration,
 * cost, the run it resumed), then one line per step — symbol, name (flow children indented
 * under their parent), attempts, start offset, duration, a bar on the run's timeline — and
 * under it what there is to say: LLM model/tokens/cost/cache, foreach item counts and the
 * failed items, the error, the reason it was skipped or reused, the rendered input and the
 * output (one line each, whole with `-v`).
 */
import type { ItemRow, StepRow } from "../history/index.ts";
import { formatDuration } from "../model/duration.ts";
import { formatUsd } from "../model/money.ts";
import { formatTimestamp, plural, stepSymbol } from "./history-format.ts";
import { fullValue, previewValue } from "./preview.ts";
import { hasPromptSteps, importedLine } from "./run-summary-view.ts";
import { itemSummary, traceOrder, type TraceData, type TraceEntry } from "./trace-data.ts";
import { attemptsDetail } from "./trace-attempts.ts";
import { barWidth, scaleLine, stepBar, timelineSpan, type TimelineSpan } from "./trace-timeline.ts";

/** Width of one-line inputs, outputs and errors without `-v`. */
const PREVIEW_WIDTH = 100;
/** Columns of the detail labels (`input`, `output`, …). */
const LABEL_WIDTH = 7;

export interface TraceViewOptions {
  /** Inputs, outputs and errors whole, and every failed item. */
  verbose: boolean;
  /** The terminal's width; undefined (not a terminal) draws bars {@link FIXED_BAR_WIDTH} wide. */
  columns?: number;
}

function header(data: TraceData, span: TimelineSpan): string[] {
  const { run } = data;
  const length = formatDuration(span.end - span.start);
  const took =
    run.finishedAt !== null
      ? length
      : run.status === "running"
        ? `${length} so far (pid ${run.pid})`
        : `- (crashed: its process, pid ${run.pid}, is gone)`;
  const lines = [
    `run       ${run.id}`,
    `pipeline  ${run.pipeline}`,
    `status    ${run.status}`,
    `started   ${formatTimestamp(run.startedAt)}`,
    `took      ${took}`,
    ...(hasPromptSteps(data.steps) ? [`cost      ${formatUsd(run.totalCost)}`] : []),
  ];
  if (run.resumedFrom) lines.push(`resumed   from run ${run.resumedFrom}`);
  if (run.imported) lines.push(`imported  ${importedLine(run.imported)}`);
  return lines;
}

/** `label   value` lines under a step, at `indent`; a multi-line value continues under its first line. */
function detail(indent: string, label: string, text: string): string[] {
  const [first = "", ...rest] = text.replace(/\s+$/, "").split("\n");
  const pad = " ".repeat(LABEL_WIDTH + 1);
  return [
    `${indent}${label.padEnd(LABEL_WIDTH)} ${first}`.trimEnd(),
    ...rest.map((line) => `${indent}${pad}${line}`.trimEnd()),
  ];
}

/** An error: its first line, and how many more there are, unless verbose. */
function errorText(error: string, verbose: boolean): string {
  if (verbose) return error;
  const lines = error.replace(/\s+$/, "").split("\n");
  const first = lines[0] ?? "";
  return lines.length > 1 ? `${first} (+${plural(lines.length - 1, "line")}; -v shows them)` : first;
}

function llmText(step: StepRow): string | undefined {
  const parts: string[] = [];
  if (step.model) parts.push(step.model);
  if (step.promptTokens !== null || step.completionTokens !== null) {
    parts.push(`${step.promptTokens ?? 0} prompt + ${step.completionTokens ?? 0} completion tokens`);
  }
  if (step.model !== null || step.cost > 0) parts.push(formatUsd(step.cost));
  const cache = cacheText(step);
  if (cache) parts.push(cache);
  if (step.reasks) parts.push(plural(step.reasks, "re-ask"));
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/**
 * How the LLM cache answered the step: `cache hit` when it answered everything, `cache
 * 3/10` (questions answered from it / asked) when only some; rows recorded before these
 * counts were kept say `cache hit` or nothing.
 */
export function cacheText(step: Pick<StepRow, "cached" | "cacheHits" | "llmRequests" | "reasks">): string | undefined {
  const hits = step.cacheHits ?? null;
  if (hits === null || step.llmRequests === null || step.llmRequests === undefined)
    return step.cached ? "cache hit" : undefined;
  if (hits === 0) return undefined;
  const asked = hits + step.llmRequests - (step.reasks ?? 0);
  return hits >= asked ? "cache hit" : `cache ${hits}/${asked}`;
}

function itemLines(data: TraceData, step: StepRow, indent: string, verbose: boolean): string[] {
  const summary = itemSummary(step, data.itemCounts.get(step.name));
  if (!summary) return [];
  const parts = [`${summary.succeeded}/${summary.total} ok`];
  if (summary.failed) parts.push(`${summary.failed} failed`);
  if (summary.cancelled) parts.push(`${summary.cancelled} cancelled`);
  if (summary.notRun > 0) parts.push(`${summary.notRun} not run`);
  const lines = detail(indent, "items", parts.join(", "));
  const failures: readonly ItemRow[] = data.failures.get(step.name) ?? [];
  const itemIndent = `${indent}${" ".repeat(LABEL_WIDTH + 1)}`;
  for (const item of failures) {
    const [first = "", ...rest] = errorText(item.error ?? "failed", verbose).split("\n");
    const label = `[${item.index}] `;
    const under = `${itemIndent}${" ".repeat(label.length)}`;
    lines.push(`${itemIndent}${label}${first}`.trimEnd(), ...rest.map((line) => `${under}${line}`.trimEnd()));
    // Each failed item with its own rendered input: what it really ran.
    if (item.input)
      lines.push(...detail(under, "input", verbose ? item.input : previewValue(item.input, PREVIEW_WIDTH)));
    const printed = attemptsDetail(item.failedAttempts, verbose, item.error);
    if (printed) lines.push(...detail(under, printed.label, printed.text));
  }
  if (summary.failed > failures.length)
    lines.push(`${itemIndent}… ${summary.failed - failures.length} more failed (-v shows them all)`);
  return lines;
}

function outputText(output: unknown, verbose: boolean): string {
  if (output === "") return "(empty)";
  return verbose ? fullValue(output) : previewValue(output, PREVIEW_WIDTH);
}

function stepDetails(data: TraceData, entry: TraceEntry, indent: string, verbose: boolean): string[] {
  const { step } = entry;
  const lines: string[] = [];
  if (step.status === "running" && data.run.status !== "running")
    lines.push(...detail(indent, "status", "interrupted: still running when the run stopped"));
  if (step.reason) lines.push(...detail(indent, "reason", step.reason));
  const llm = llmText(step);
  if (llm) lines.push(...detail(indent, "llm", llm));
  lines.push(...itemLines(data, step, indent, verbose));
  if (step.error) lines.push(...detail(indent, "error", errorText(step.error, verbose)));
  // A foreach step's failures are shown under its failed items.
  const printed = step.itemsTotal === null ? attemptsDetail(step.failedAttempts, verbose, step.error) : undefined;
  if (printed) lines.push(...detail(indent, printed.label, printed.text));
  if (step.input)
    lines.push(...detail(indent, "input", verbose ? step.input : previewValue(step.input, PREVIEW_WIDTH)));
  if (step.output !== undefined) lines.push(...detail(indent, "output", outputText(step.output, verbose)));
  if (step.log) lines.push(...detail(indent, "log", verbose ? step.log : previewValue(step.log, PREVIEW_WIDTH)));
  return lines;
}

/** The text of `aiorch trace RUN_ID`. */
export function renderTrace(data: TraceData, options: TraceViewOptions): string {
  const span = timelineSpan(data.run, data.steps, data.now);
  const lines = header(data, span);
  const entries = traceOrder(data.steps);
  if (entries.length === 0) return [...lines, "", "no steps recorded"].join("\n");
  const cells = entries.map(({ step, depth, label }) => {
    const started = step.startedAt !== null;
    const open = step.status === "running";
    return {
      name: `${"  ".repeat(depth)}${label}`,
      attempts: step.attempts > 0 ? String(step.attempts) : "-",
      offset: started ? `+${formatDuration(step.startedAt! - span.start)}` : "-",
      took: !started ? "-" : open ? "…" : formatDuration(step.durationMs),
    };
  });
  const widths = {
    name: Math.max(4, ...cells.map((c) => c.name.length)),
    attempts: Math.max(5, ...cells.map((c) => c.attempts.length)),
    offset: Math.max(5, ...cells.map((c) => c.offset.length)),
    took: Math.max(4, ...cells.map((c) => c.took.length)),
  };
  const prefix = (symbol: string, name: string, attempts: string, offset: string, took: string) =>
    `${symbol}  ${name.padEnd(widths.name)}  ${attempts.padStart(widths.attempts)}  ${offset.padStart(widths.offset)}  ${took.padStart(widths.took)}  `;
  const prefixWidth = prefix("", "", "", "", "").length + 1;
  const width = barWidth(prefixWidth, options.columns);
  lines.push(
    "",
    `${prefix(" ", "STEP", "TRIES", "START", "TOOK")}${scaleLine(width, formatDuration(span.end - span.start))}`,
  );
  entries.forEach((entry, i) => {
    const cell = cells[i]!;
    const symbol = stepSymbol(entry.step, data.run.status);
    lines.push(
      `${prefix(symbol, cell.name, cell.attempts, cell.offset, cell.took)}${stepBar(entry.step, span, width)}`.trimEnd(),
    );
    lines.push(...stepDetails(data, entry, " ".repeat(3 + 2 * entry.depth + 2), options.verbose));
  });
  return lines.join("\n");
}
