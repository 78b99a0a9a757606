import { formatDuration } from "../model/duration.ts";
import { progressLine, type ForeachProgress } from "./progress-line.ts";

/** How the board shows progress: lines redrawn in place (a terminal), or a line now and then (a log). */
export type BoardMode = "terminal" | "log";

interface RunningStep {
  path: string;
  started: number;
  /** Foreach counts; absent for a step without foreach. */
  items?: ForeachProgress;
}

/** On a terminal: a foreach gets its line after this long, a plain step after {@link PLAIN_DELAY_MS}. */
const FOREACH_DELAY_MS = 1000;
const PLAIN_DELAY_MS = 3000;
/** On a terminal: how often the lines are redrawn. */
const REDRAW_MS = 200;

/**
 * The progress of the steps running now. On a terminal each running foreach (and each step
 * running for more than a few seconds) keeps one line at the bottom, redrawn in place and
 * cleared before any other output; in a log (CI), every `intervalMs` one line per step that
 * has been running that long, so a long job shows it is alive without flooding the log.
 */
export class ProgressBoard {
  private readonly running = new Map<string, RunningStep>();
  private shownLines = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly mode: BoardMode,
    /** Log mode: time between progress lines. */
    private readonly intervalMs: number,
    /** Applied to each line before it is written (masks secrets, escapes control characters). */
    private readonly mask: (text: string) => string = (text) => text,
  ) {}

  /** A step started; `items` for a foreach, with `reused` of them taken from the run being resumed. */
  start(path: string, items?: number, reused = 0): void {
    if (this.stopped) return;
    this.running.set(path, {
      path,
      started: performance.now(),
      ...(items !== undefined ? { items: { done: 0, failed: 0, total: items, reused } } : {}),
    });
    this.ensureTimer();
  }

  /** A foreach item ended: the step's counts so far. */
  item(path: string, progress: ForeachProgress): void {
    const step = this.running.get(path);
    if (step?.items) step.items = { ...progress, reused: step.items.reused };
  }

  end(path: string): void {
    this.running.delete(path);
    if (this.running.size === 0) this.stopTimer();
  }

  /** Removes the lines from the terminal before other output is written (they come back at the next redraw). */
  clear(): void {
    if (this.shownLines === 0) return;
    this.write(`\x1b[${this.shownLines}A\r\x1b[0J`);
    this.shownLines = 0;
  }

  /** Ctrl-C or the end of the run: the lines go for good. */
  stop(): void {
    this.clear();
    this.stopped = true;
    this.running.clear();
    this.stopTimer();
  }

  /** The progress lines of the steps running for at least their delay, oldest first. */
  lines(now = performance.now(), minimumMs?: number): string[] {
    const lines: string[] = [];
    for (const step of this.running.values()) {
      const elapsed = now - step.started;
      if (elapsed < (minimumMs ?? (step.items ? FOREACH_DELAY_MS : PLAIN_DELAY_MS))) continue;
      lines.push(
        step.items
          ? progressLine(step.path, step.items, elapsed)
          : `  ${step.path}  running for ${formatDuration(elapsed < 1000 ? elapsed : Math.floor(elapsed / 1000) * 1000)}`,
      );
    }
    return lines;
  }

  private tick = (): void => {
    if (this.mode === "log") {
      for (const line of this.lines(performance.now(), this.intervalMs)) this.write(`${this.mask(line)}\n`);
      return;
    }
    const width = Math.max(20, (this.out.columns || 100) - 1);
    const lines = this.lines().map((line) => this.mask(line).slice(0, width));
    this.clear();
    if (lines.length === 0) return;
    this.write(lines.map((line) => `${line}\n`).join(""));
    this.shownLines = lines.length;
  };

  private ensureTimer(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(this.tick, this.mode === "terminal" ? REDRAW_MS : this.intervalMs);
    this.timer.unref?.();
  }

  private stopTimer(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private write(text: string): void {
    try {
      this.out.write(text);
    } catch {
      // The reader has gone (`| head`): progress is not worth failing the run over.
      this.stop();
    }
  }
}
