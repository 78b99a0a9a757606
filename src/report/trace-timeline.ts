/**
 * The common timeline of a trace: every step's bar is placed on one scale, from the run's
 * start to its end (or to the last thing recorded, for a run that crashed).
 */
import type { RunRow, StepRow } from "../history/index.ts";

/** Bar width when the output is not a terminal (a file, a pipe, a test). */
export const FIXED_BAR_WIDTH = 40;
/** The narrowest bar drawn on a terminal, however narrow it is. */
const MIN_BAR_WIDTH = 10;

/** A finished step's bar; a step still running (or interrupted by a crash) is drawn lighter, to the end of the timeline. */
const DONE = "█";
const OPEN = "░";

/** The time the timeline covers: from the run's start to its `end`, in epoch milliseconds. */
export interface TimelineSpan {
  start: number;
  end: number;
}

/**
 * From the run's start to its end: the recorded finish (or the latest step end, if later),
 * `now` for a run still going, the last recorded step end for a crashed run.
 */
export function timelineSpan(run: RunRow, steps: readonly StepRow[], now: number): TimelineSpan {
  let end = run.finishedAt ?? run.startedAt;
  if (run.status === "running") end = Math.max(end, now);
  for (const step of steps) {
    if (step.startedAt !== null) end = Math.max(end, step.startedAt + step.durationMs);
  }
  return { start: run.startedAt, end };
}

/** The bar width for a line whose other columns take `prefixWidth`: the terminal's rest, or {@link FIXED_BAR_WIDTH}. */
export function barWidth(prefixWidth: number, terminalColumns: number | undefined): number {
  if (terminalColumns === undefined) return FIXED_BAR_WIDTH;
  return Math.max(MIN_BAR_WIDTH, terminalColumns - prefixWidth - 1);
}

/**
 * The bar of one step on a `width`-column timeline: spaces up to where it started, then
 * at least one block for as long as it took. Empty for a step that never started.
 */
export function stepBar(step: StepRow, span: TimelineSpan, width: number): string {
  if (step.startedAt === null) return "";
  const total = Math.max(1, span.end - span.start);
  const open = step.status === "running";
  const from = Math.max(0, step.startedAt - span.start);
  const to = open ? total : Math.min(total, from + step.durationMs);
  const first = Math.min(width - 1, Math.floor((from / total) * width));
  // Both ends round down, so a step that starts as another ends never shares its column.
  const last = Math.max(first + 1, Math.min(width, Math.floor((to / total) * width)));
  return " ".repeat(first) + (open ? OPEN : DONE).repeat(last - first);
}

/** The scale above the bars: `0` at the left, the span's length at the right. */
export function scaleLine(width: number, totalLabel: string): string {
  const right = totalLabel.length + 1 >= width ? totalLabel : totalLabel.padStart(width - 1);
  return `0${right}`;
}
