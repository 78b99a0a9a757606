/**
 * Small formatters shared by the history views (`history`, `history RUN_ID`, `trace`):
 * times, costs, sizes, statuses. Pure: the clock is a parameter.
 */
import type { RunRow, ShownStatus, StepRow } from "../history/index.ts";
import { formatDuration } from "../model/duration.ts";
import { formatUsd } from "../model/money.ts";
import { stringifyPyJson } from "../model/py-json.ts";

const pad2 = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2026-11-24 17:03:12` in local time. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
 * A start time for a table, in local time and as short as it can be while still clear:
 * `17:03:12` today, `Nov 24 17:03` this year, `2025-11-24` before.
 */
export function formatCompactTime(ms: number, now: number): string {
  const d = new Date(ms);
  const today = new Date(now);
  const clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  if (d.getFullYear() !== today.getFullYear())
    return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  if (d.getMonth() === today.getMonth() && d.getDate() === today.getDate()) return `${clock}:${pad2(d.getSeconds())}`;
  return `${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ${clock}`;
}

/** A cost cell of a table: the amount as {@link formatUsd} writes it, `-` for nothing spent. */
export function formatCostCell(cost: number): string {
  return cost > 0 ? formatUsd(cost) : "-";
}

/** `512 B`, `1.5 KB`, `12.0 MB` (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** How long a run took: finished runs their recorded span, a live run its time so far; undefined for a crashed run (its end is unknown). */
export function runDurationMs(run: RunRow, now: number): number | undefined {
  if (run.finishedAt !== null) return Math.max(0, run.finishedAt - run.startedAt);
  if (run.status === "running") return Math.max(0, now - run.startedAt);
  return undefined;
}

/** The duration cell of a run: `3.2s`, `1m 3s…` while it runs, `-` when unknown. */
export function formatRunDuration(run: RunRow, now: number): string {
  const ms = runDurationMs(run, now);
  if (ms === undefined) return "-";
  return run.finishedAt === null ? `${formatDuration(ms)}…` : formatDuration(ms);
}

/** Runs `aiorch resume` accepts: they ended without succeeding and are not still going. */
export function isResumable(status: ShownStatus): boolean {
  return status === "failed" || status === "cancelled" || status === "crashed";
}

/** A step whose result was taken from an earlier run (`resume`, `run --step/--from`). */
export function isReused(step: StepRow): boolean {
  return step.status === "success" && step.reason !== null && step.reason.startsWith("reused from run ");
}

/**
 * The symbol of a step's outcome, as the live run view draws it; `?` for a step that was
 * still running when its run stopped (crashed), so its outcome is unknown.
 */
export function stepSymbol(step: StepRow, runStatus: ShownStatus): string {
  if (isReused(step)) return "↺";
  switch (step.status) {
    case "success":
    case "cached":
      return "✓";
    case "failed":
      return "✗";
    case "skipped":
      return "-";
    case "cancelled":
      return "■";
    case "running":
      return runStatus === "running" ? "▶" : "?";
  }
}

/** `3 attempts`, `1 attempt`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Indented Python-exact JSON of a document that may hold bytes (`{"$bytes": base64}`, as in `run --format json`), big ints or floats. */
export function documentJson(document: unknown): string {
  return stringifyPyJson(document, { indent: 2 });
}

/** An epoch time as ISO 8601 (UTC) for JSON, null stays null. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
