/** How the pages write times, durations and money: the CLI's formats where it has one. */
import { formatDuration } from "../../model/duration.ts";
import { formatUsd } from "../../model/money.ts";
import type { RunStatus, StepStatus } from "./payloads.ts";

export { formatDuration, formatUsd };

/** `2026-05-01 14:03:22` in the browser's time zone. */
export function formatTime(iso: string | null): string {
  if (!iso) return "—";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : formatDuration(ms);
}

/** The colour of each status, in the charts and the badges (style.css has the same). */
export const STATUS_COLOURS: Record<RunStatus | StepStatus, string> = {
  success: "#2f9e44",
  failed: "#e03131",
  running: "#1c7ed6",
  crashed: "#e8590c",
  interrupted: "#e8590c",
  cancelled: "#868e96",
  skipped: "#ced4da",
};

/** A value as pretty JSON; text stays text. */
export function pretty(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2) ?? "null";
}

/** An ISO time as epoch ms (0 for none). */
export function epoch(iso: string | null): number {
  return iso ? Date.parse(iso) : 0;
}
