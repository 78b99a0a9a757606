import { formatDuration } from "../model/duration.ts";

/** Progress of one foreach, as the item-end events report it. */
export interface ForeachProgress {
  done: number;
  failed: number;
  total: number;
}

/**
 * `  each  412/1000  1 failed  85.2 items/s  ETA 7s` — the live line of a running foreach
 * (§5.5). `elapsedMs` is time since the step started.
 */
export function progressLine(path: string, progress: ForeachProgress, elapsedMs: number): string {
  const finished = progress.done + progress.failed;
  const rate = elapsedMs > 0 ? (finished * 1000) / elapsedMs : 0;
  const left = progress.total - finished;
  const eta = rate > 0 ? ` ETA ${formatDuration((left / rate) * 1000)}` : "";
  const failed = progress.failed ? `  ${progress.failed} failed` : "";
  const pct = progress.total ? Math.floor((finished * 100) / progress.total) : 100;
  return `  ${path}  ${finished}/${progress.total} (${pct}%)${failed}  ${rate.toFixed(rate < 10 ? 1 : 0)} items/s${eta}`;
}

/**
 * Rewrites one terminal line in place, at most ten times a second, after the foreach has
 * run for `delayMs` (short ones never show a line).
 */
export class ProgressPainter {
  private shown = false;
  private lastPaint = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly delayMs = 1000,
  ) {}

  update(line: string, elapsedMs: number): void {
    const now = performance.now();
    if (elapsedMs < this.delayMs || now - this.lastPaint < 100) return;
    this.lastPaint = now;
    const width = (this.out.columns || 100) - 1;
    this.out.write(`\r\x1b[2K${line.slice(0, width)}`);
    this.shown = true;
  }

  /** Removes the line before ordinary output is printed. */
  clear(): void {
    if (!this.shown) return;
    this.out.write("\r\x1b[2K");
    this.shown = false;
  }
}
