/** `aiorch cache stats`: the LLM cache's entries, hits and the dollars the hits saved, as text and as JSON. */
import type { CacheStats } from "../llm/response-cache.ts";
import { formatUsd } from "../model/money.ts";
import { isoTime } from "./history-format.ts";

/** Before any answer was cached (no database yet). */
export const EMPTY_CACHE: CacheStats = { entries: 0, hits: 0, savedUsd: 0, oldest: null, newest: null };

/** `cache stats --format json`, and the `cache` of `dashboard --format json`: times in ISO 8601. */
export function cacheStatsJson(stats: CacheStats, file: string) {
  return {
    file,
    entries: stats.entries,
    hits: stats.hits,
    saved_usd: stats.savedUsd,
    oldest: isoTime(stats.oldest),
    newest: isoTime(stats.newest),
  };
}

/** The lines of the cache figures, indented, as `cache stats` and the dashboard print them. */
export function cacheStatsLines(stats: CacheStats): string[] {
  return [`  entries   ${stats.entries}`, `  hits      ${stats.hits}`, `  saved     ${formatUsd(stats.savedUsd)}`];
}
