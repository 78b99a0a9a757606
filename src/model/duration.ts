const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Milliseconds of `500ms`, `2s`, `1.5m`, `1h`, `30d`, `2w`, or of a bare number of seconds;
 * undefined when it does not parse. Pipeline fields accept only ms to h (the schema's
 * `DURATION` pattern); days and weeks are for ages such as `history prune --older-than 30d`.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

/**
 * A positive duration written in an environment variable (`AIORCH_PROGRESS_INTERVAL=30s`):
 * a duration, or a bare number of seconds; undefined when it is neither, or not above 0.
 */
export function positiveDurationText(text: string): number | undefined {
  const trimmed = text.trim();
  const ms = parseDuration(/^[0-9]+(?:\.[0-9]+)?$/.test(trimmed) ? Number(trimmed) : trimmed);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/** `1.5s`, `250ms`, `2m 3s` — for messages and summaries. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, "")}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
}
