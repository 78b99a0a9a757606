import { formatDuration } from "../model/duration.ts";

/** Progress of one foreach, as the item-end events report it. */
export interface ForeachProgress {
  done: number;
  failed: number;
  total: number;
  /** Items taken from the run being resumed (counted in `done`, not in the rate). */
  reused?: number;
}

/**
 * `  each  412/1000 (41%)  1 failed  85.2 items/s ETA 7s` — the live line of a running
 * foreach (docs/execution.md#foreach). `elapsedMs` is time since the step started. On a resume the items reused
 * are named (`400 reused`) and the rate counts only the items run now.
 */
export function progressLine(path: string, progress: ForeachProgress, elapsedMs: number): string {
  const finished = progress.done + progress.failed;
  const reused = progress.reused ?? 0;
  const ran = Math.max(0, finished - reused);
  const rate = elapsedMs > 0 ? (ran * 1000) / elapsedMs : 0;
  const left = progress.total - finished;
  const eta = rate > 0 && left > 0 ? ` ETA ${formatDuration((left / rate) * 1000)}` : "";
  const failed = progress.failed ? `  ${progress.failed} failed` : "";
  const reusedText = reused ? `  ${reused} reused` : "";
  const pct = progress.total ? Math.floor((finished * 100) / progress.total) : 100;
  return `  ${path}  ${finished}/${progress.total} (${pct}%)${reusedText}${failed}  ${rate.toFixed(rate < 10 ? 1 : 0)} items/s${eta}`;
}
